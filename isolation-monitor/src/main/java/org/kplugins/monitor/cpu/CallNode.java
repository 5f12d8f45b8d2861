// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.DirectCallNode;
import com.oracle.truffle.api.nodes.IndirectCallNode;

/**
 * A call: pushes the return address and runs the callee's translated region as a Truffle call,
 * so Graal can inline it. The registers go to the {@link CpuState} before the call and come back
 * after it.
 *
 * <p>A call to the upcall gate runs the host call and returns at once, and a call to the exit gate
 * ends the region there, after pushing the return address. When the callee's region
 * ends at an address other than this call's return address (a fault stub unwinding to the entry
 * trampoline, or a return address the code overwrote), this region ends too, at that address,
 * and {@link X86Machine#run} goes on from there. Past {@link #MAX_NESTING} nested regions a call
 * ends the region at the callee's address, so deep recursion in plugin code never deepens the
 * Java stack.
 */
final class CallNode extends InstructionNode {

    static final int MAX_NESTING = 48;

    private final X86Machine machine;
    private final long returnAddress;
    /** Linear address of a direct call's callee, or 0 for an indirect call. */
    private final long directTarget;
    @Child private OperandNode indirectTarget;
    @Child private MemoryOperand returnSlot;
    /** The first callee, as one object, so that no thread reads one callee's address with another callee's call node. */
    @CompilationFinal private Cached cached;
    @CompilationFinal private volatile boolean megamorphic;
    @Child private IndirectCallNode anyCall;

    CallNode(int offset, X86Machine machine, long returnAddress, long directTarget, OperandNode indirectTarget) {
        super(offset);
        this.machine = machine;
        this.returnAddress = returnAddress;
        this.directTarget = directTarget;
        this.indirectTarget = indirectTarget;
        this.returnSlot = new MemoryOperand(new Operand.Mem(Segment.DEFAULT, CpuState.RSP, Operand.NONE, 1, -8), machine, offset, 0);
    }

    @Override
    long execute(VirtualFrame frame, CpuState state) {
        long target = indirectTarget == null ? directTarget : indirectTarget.read(frame, state, 8);
        returnSlot.write(frame, state, 8, returnAddress);
        long rsp = frame.getLong(CpuState.RSP);
        frame.setLong(CpuState.RSP, rsp - 8);
        if (target == machine.upcallGate()) {
            long result = upcall(state, frame.getLong(CpuState.RDI), frame.getLong(CpuState.RSI), frame.getLong(CpuState.RDX));
            frame.setLong(CpuState.RAX, result);
            frame.setLong(CpuState.RSP, rsp);
            return CONTINUE;
        }
        if (target == machine.exitGate()) {
            // The exit gate contains no code, so the region ends there, and so does X86Machine.run.
            return target;
        }
        if (state.depth >= MAX_NESTING) {
            return target;
        }
        MachineRoot.store(frame, state);
        state.depth++;
        long resume;
        try {
            resume = call(state, target);
        } finally {
            state.depth--;
        }
        MachineRoot.load(frame, state);
        return resume == returnAddress ? CONTINUE : resume;
    }

    @TruffleBoundary
    private static long upcall(CpuState state, long rdi, long rsi, long rdx) {
        return state.gates().upcall(rdi, rsi, rdx);
    }

    private long call(CpuState state, long target) {
        Cached known = cached;
        if (known != null && target == known.target()) {
            return (long) known.call().call(state);
        }
        if (!megamorphic) {
            CompilerDirectives.transferToInterpreterAndInvalidate();
            // Threads running instances of one program share this node, so they specialize it in turn.
            synchronized (getLock()) {
                if (cached == null) {
                    CallTarget callee = machine.regionAt(state, target, offset);
                    cached = new Cached(target, insert(DirectCallNode.create(callee)));
                } else if (target != cached.target()) {
                    megamorphic = true;
                    anyCall = insert(IndirectCallNode.create());
                }
            }
            if (!megamorphic && target == cached.target()) {
                return (long) cached.call().call(state);
            }
        }
        return (long) anyCall.call(lookup(state, target), state);
    }

    /** A callee's linear address and the direct call node of its translated region. */
    private record Cached(long target, DirectCallNode call) {
    }

    @TruffleBoundary
    private CallTarget lookup(CpuState state, long target) {
        return machine.regionAt(state, target, offset);
    }
}
