// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import com.oracle.truffle.api.CompilerAsserts;
import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.TruffleSafepoint;
import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.FrameSlotKind;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.BytecodeOSRNode;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.LoopNode;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.RootNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A translated region of machine code: the basic blocks reachable from one entry offset through
 * jumps, as Truffle nodes. Calls stay inside blocks (see {@link CallNode}); a return, an indirect
 * jump or a jump to code outside the region ends it, and the call target returns the linear
 * address where execution goes on.
 *
 * <p>The blocks run in a loop that Graal explodes with {@code MERGE_EXPLODE}, so the block index
 * is a constant in every copy of a block and each jump becomes a direct branch of the compiled
 * code, as in a bytecode interpreter. Registers and flags live in frame slots, which Graal keeps
 * in machine registers; they are loaded from the {@link CpuState} on entry and stored back on
 * exit. Loops are counted for on-stack replacement, so one long call gets compiled while it
 * runs.
 */
final class MachineRoot extends RootNode implements BytecodeOSRNode {

    static final int XMM_LOW = 16;
    static final int XMM_HIGH = 32;
    static final int FLAG_KIND = 48;
    static final int FLAG_A = 49;
    static final int FLAG_B = 50;
    static final int FLAG_RESULT = 51;
    private static final int SLOTS = 52;

    /**
     * Most instructions one region translates; jumps to code beyond it end the region there and
     * continue in another region. Graal's partial evaluation of a region grows with its blocks,
     * and regions of 24,000 instructions failed to compile after many seconds, so regions stay
     * small enough to compile.
     */
    static final int MAX_INSTRUCTIONS = 3000;

    private final X86Machine machine;
    private final int entry;
    @Children private final BlockNode[] blocks;
    @CompilationFinal private Object osrMetadata;

    MachineRoot(X86Machine machine, int entry) {
        super(machine.language(), frameDescriptor());
        this.machine = machine;
        this.entry = entry;
        this.blocks = new Translation(machine, entry).blocks();
    }

    private static FrameDescriptor frameDescriptor() {
        FrameDescriptor.Builder builder = FrameDescriptor.newBuilder();
        builder.addSlots(SLOTS, FrameSlotKind.Long);
        return builder.build();
    }

    @Override
    public Object execute(VirtualFrame frame) {
        CpuState state = (CpuState) frame.getArguments()[0];
        load(frame, state);
        try {
            return dispatch(frame, state, 0);
        } catch (X86Exception e) {
            storeAtException(frame, state, e);
            throw e;
        }
    }

    @Override
    public Object executeOSR(VirtualFrame osrFrame, int target, Object interpreterState) {
        // The CPU travels as the interpreter state: the OSR frame's arguments hold a parent frame,
        // which may itself be an OSR frame after compiled code was dropped and entered again.
        CpuState state = (CpuState) interpreterState;
        try {
            return dispatch(osrFrame, state, target);
        } catch (X86Exception e) {
            storeAtException(osrFrame, state, e);
            throw e;
        }
    }

    /**
     * Stores the registers and flags as they were before the instruction that raised {@code e},
     * so that exceptions are precise, as on the processor. Only the innermost region that the
     * exception leaves stores them, because it has the latest values. Its callers, and the
     * interpreter frame under an OSR frame, have older ones.
     */
    private static void storeAtException(VirtualFrame frame, CpuState state, X86Exception e) {
        if (state.storedException != e) {
            store(frame, state);
            state.storedException = e;
        }
    }

    @Override
    public Object getOSRMetadata() {
        return osrMetadata;
    }

    @Override
    public void setOSRMetadata(Object osrMetadata) {
        this.osrMetadata = osrMetadata;
    }

    @ExplodeLoop(kind = ExplodeLoop.LoopExplosionKind.MERGE_EXPLODE)
    private long dispatch(VirtualFrame frame, CpuState state, int start) {
        int current = start;
        while (true) {
            CompilerAsserts.partialEvaluationConstant(current);
            BlockNode block = blocks[current];
            long leave = block.executeBody(frame, state);
            if (leave != InstructionNode.CONTINUE) {
                store(frame, state);
                return leave;
            }
            // Each successor is assigned in a branch of its own, so the block index stays a
            // constant at every loop end, which loop explosion requires.
            switch (block.kind) {
                case BlockNode.GOTO -> {
                    if (block.taken <= current) {
                        Object osr = backEdge(frame, state, block.taken);
                        if (osr != null) {
                            return (long) osr;
                        }
                    }
                    current = block.taken;
                }
                case BlockNode.BRANCH -> {
                    if (InstructionNode.condition(frame, block.condition)) {
                        if (block.taken <= current) {
                            Object osr = backEdge(frame, state, block.taken);
                            if (osr != null) {
                                return (long) osr;
                            }
                        }
                        current = block.taken;
                    } else {
                        if (block.fallthrough <= current) {
                            Object osr = backEdge(frame, state, block.fallthrough);
                            if (osr != null) {
                                return (long) osr;
                            }
                        }
                        current = block.fallthrough;
                    }
                }
                case BlockNode.RETURN -> {
                    long address = block.returnSlot.read(frame, state, 8);
                    frame.setLong(CpuState.RSP, frame.getLong(CpuState.RSP) + 8);
                    store(frame, state);
                    return address;
                }
                case BlockNode.JUMP_INDIRECT -> {
                    long address = block.jumpTarget.read(frame, state, 8);
                    store(frame, state);
                    return address;
                }
                default -> {
                    store(frame, state);
                    return block.exitAddress;
                }
            }
        }
    }

    /**
     * Runs at a jump to an earlier block: polls the safepoint, counts the iteration towards
     * compilation and, in the interpreter, may switch to compiled code for the rest of the
     * region. Returns the region's result when it did, else null.
     */
    private Object backEdge(VirtualFrame frame, CpuState state, int target) {
        TruffleSafepoint.poll(this);
        if (CompilerDirectives.inInterpreter()) {
            LoopNode.reportLoopCount(this, 1);
            if (BytecodeOSRNode.pollOSRBackEdge(this)) {
                return BytecodeOSRNode.tryOSR(this, target, state, null, frame);
            }
        }
        return null;
    }

    @ExplodeLoop
    static void load(VirtualFrame frame, CpuState state) {
        for (int i = 0; i < 16; i++) {
            frame.setLong(i, state.gpr[i]);
            frame.setLong(XMM_LOW + i, state.xmmLow[i]);
            frame.setLong(XMM_HIGH + i, state.xmmHigh[i]);
        }
        frame.setLong(FLAG_KIND, state.flagKind);
        frame.setLong(FLAG_A, state.flagA);
        frame.setLong(FLAG_B, state.flagB);
        frame.setLong(FLAG_RESULT, state.flagResult);
    }

    @ExplodeLoop
    static void store(VirtualFrame frame, CpuState state) {
        for (int i = 0; i < 16; i++) {
            state.gpr[i] = frame.getLong(i);
            state.xmmLow[i] = frame.getLong(XMM_LOW + i);
            state.xmmHigh[i] = frame.getLong(XMM_HIGH + i);
        }
        state.flagKind = frame.getLong(FLAG_KIND);
        state.flagA = frame.getLong(FLAG_A);
        state.flagB = frame.getLong(FLAG_B);
        state.flagResult = frame.getLong(FLAG_RESULT);
    }

    @Override
    public String getName() {
        return "x86@0x" + Integer.toHexString(entry);
    }

    @Override
    public String toString() {
        return getName();
    }

    /** One basic block: its straight-line instructions and how it ends. */
    static final class BlockNode extends Node {
        static final int GOTO = 0;
        static final int BRANCH = 1;
        static final int RETURN = 2;
        static final int JUMP_INDIRECT = 3;
        /** Leaves the region at {@link #exitAddress}: a jump to untranslated code, or after an instruction that always traps. */
        static final int EXIT = 4;

        @Children final InstructionNode[] body;
        final int kind;
        final int condition;
        @CompilationFinal int taken;
        @CompilationFinal int fallthrough;
        final long exitAddress;
        @Child MemoryOperand returnSlot;
        @Child OperandNode jumpTarget;

        BlockNode(InstructionNode[] body, int kind, int condition, long exitAddress) {
            this.body = body;
            this.kind = kind;
            this.condition = condition;
            this.exitAddress = exitAddress;
        }

        @ExplodeLoop
        long executeBody(VirtualFrame frame, CpuState state) {
            for (InstructionNode instruction : body) {
                long leave = instruction.execute(frame, state);
                if (leave != InstructionNode.CONTINUE) {
                    return leave;
                }
            }
            return InstructionNode.CONTINUE;
        }
    }

    /** Finds the blocks of a region and builds their nodes. */
    private static final class Translation {
        private final X86Machine machine;
        private final Map<Integer, Instruction> decoded = new HashMap<>();
        private final TreeSet<Integer> leaders = new TreeSet<>();
        private final Deque<Integer> work = new ArrayDeque<>();
        private final Map<Integer, Integer> indexOf = new HashMap<>();
        private final List<BlockNode> blocks = new ArrayList<>();
        private final Map<Long, Integer> exits = new HashMap<>();

        Translation(X86Machine machine, int entry) {
            this.machine = machine;
            leaders.add(entry);
            work.push(entry);
            discover();
            // The entry block first: the dispatch loop starts at index 0.
            List<Integer> order = new ArrayList<>();
            order.add(entry);
            for (int leader : leaders) {
                if (leader != entry) {
                    order.add(leader);
                }
            }
            for (int i = 0; i < order.size(); i++) {
                indexOf.put(order.get(i), i);
                blocks.add(null);
            }
            for (int i = 0; i < order.size(); i++) {
                blocks.set(i, build(order.get(i)));
            }
        }

        BlockNode[] blocks() {
            return blocks.toArray(BlockNode[]::new);
        }

        private Instruction decode(int offset) {
            return decoded.computeIfAbsent(offset, machine::decode);
        }

        private void discover() {
            while (!work.isEmpty() && decoded.size() < MAX_INSTRUCTIONS) {
                int offset = work.pop();
                while (decoded.size() < MAX_INSTRUCTIONS) {
                    Instruction in = decode(offset);
                    if (in.op() == Op.JCC) {
                        addLeader(in.target());
                        addLeader(in.next());
                        break;
                    }
                    if (in.op() == Op.JMP) {
                        addLeader(in.target());
                        break;
                    }
                    if (endsRegion(in.op())) {
                        break;
                    }
                    offset = in.next();
                    if (leaders.contains(offset) || decoded.containsKey(offset)) {
                        addLeader(offset);
                        break;
                    }
                }
            }
        }

        private void addLeader(long target) {
            if (machine.isTranslatable(target) && decoded.size() < MAX_INSTRUCTIONS && leaders.add((int) target)) {
                work.push((int) target);
            }
        }

        private static boolean endsRegion(Op op) {
            return switch (op) {
                case RET, JMP_INDIRECT, INVALID, TRUNCATED, UD2, INT3 -> true;
                default -> false;
            };
        }

        private BlockNode build(int leader) {
            List<InstructionNode> body = new ArrayList<>();
            int offset = leader;
            while (true) {
                Instruction in = decoded.containsKey(offset) || decoded.size() < MAX_INSTRUCTIONS ? decode(offset) : null;
                if (in == null) {
                    return new BlockNode(body.toArray(InstructionNode[]::new), BlockNode.EXIT, -1,
                                    machine.codeBase() + offset);
                }
                switch (in.op()) {
                    case JCC -> {
                        BlockNode block = new BlockNode(body.toArray(InstructionNode[]::new), BlockNode.BRANCH,
                                        in.condition(), 0);
                        block.taken = target(in.target());
                        block.fallthrough = target(in.next());
                        return block;
                    }
                    case JMP -> {
                        BlockNode block = new BlockNode(body.toArray(InstructionNode[]::new), BlockNode.GOTO, -1, 0);
                        block.taken = target(in.target());
                        return block;
                    }
                    case RET -> {
                        BlockNode block = new BlockNode(body.toArray(InstructionNode[]::new), BlockNode.RETURN, -1, 0);
                        block.returnSlot = new MemoryOperand(new Operand.Mem(Segment.DEFAULT, CpuState.RSP, Operand.NONE, 1, 0),
                                        machine, in.offset(), in.next());
                        return block;
                    }
                    case JMP_INDIRECT -> {
                        BlockNode block = new BlockNode(body.toArray(InstructionNode[]::new), BlockNode.JUMP_INDIRECT, -1,
                                        0);
                        block.jumpTarget = Instructions.operand(in, 0, machine);
                        return block;
                    }
                    default -> {
                        body.add(Instructions.translate(in, machine));
                        if (endsRegion(in.op())) {
                            // The instruction always traps; the exit after it is never taken.
                            return new BlockNode(body.toArray(InstructionNode[]::new), BlockNode.EXIT, -1,
                                            machine.codeBase() + in.next());
                        }
                    }
                }
                offset = in.next();
                if (leaders.contains(offset)) {
                    BlockNode block = new BlockNode(body.toArray(InstructionNode[]::new), BlockNode.GOTO, -1, 0);
                    block.taken = target(offset);
                    return block;
                }
            }
        }

        /** Returns the index of the block at code offset {@code target}, or of an exit block that leaves the region there. */
        private int target(long target) {
            Integer index = target == (int) target ? indexOf.get((int) target) : null;
            if (index != null) {
                return index;
            }
            long address = machine.codeBase() + target;
            return exits.computeIfAbsent(address, a -> {
                blocks.add(new BlockNode(new InstructionNode[0], BlockNode.EXIT, -1, a));
                return blocks.size() - 1;
            });
        }
    }
}
