// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * Replaces calls of small leaf functions with a copy of the callee's body.
 *
 * <p>A callee is inlined when it is not variadic, makes no call of any kind (plugin, pointer or
 * host), has no budget step (so no loop) and no jump backwards, and has at most
 * {@link #MAX_INSTRUCTIONS} instructions. The copy behaves as the call did in the Truffle tier.
 * It costs the call's budget step and checks that the callee's frame fits on the plugin stack,
 * both reported at the call site. Then it runs the callee's instructions with the caller's frame
 * base as their stack pointer. The copied instructions keep the callee's {@link Site}s and source
 * locations, so a fault in them names the callee and its line. Only the native stack check of
 * the callee's prologue goes away: the copy uses no native stack beyond the caller's frame.
 */
public final class Inliner {

    /** The largest callee, in IR instructions, that is copied into its callers. */
    static final int MAX_INSTRUCTIONS = 40;

    private Inliner() {
    }

    /**
     * Inlines the calls of small leaf functions in every function of {@code functions}, then orders
     * the blocks and removes dead code again in each function that changed.
     *
     * @param budgetEnabled whether calls cost a budget step
     */
    public static void inline(List<IrFunction> functions, boolean budgetEnabled) {
        Map<String, IrFunction> leaves = new HashMap<>();
        for (IrFunction function : functions) {
            if (isInlinable(function)) {
                leaves.put(function.name(), function);
            }
        }
        if (leaves.isEmpty()) {
            return;
        }
        for (IrFunction caller : functions) {
            if (inlineCalls(caller, leaves, budgetEnabled)) {
                caller.orderBlocks();
                caller.removeDeadCode();
            }
        }
    }

    private static boolean isInlinable(IrFunction function) {
        if (function.isVariadic()) {
            return false;
        }
        int count = 0;
        int position = 0;
        Map<Block, Integer> order = new HashMap<>();
        for (Block block : function.blocks()) {
            order.put(block, position++);
        }
        for (Block block : function.blocks()) {
            for (Instr instruction : block.instructions()) {
                count++;
                switch (instruction) {
                    case Instr.Call c -> {
                        return false;
                    }
                    case Instr.IndirectCall c -> {
                        return false;
                    }
                    case Instr.HostCall h -> {
                        return false;
                    }
                    case Instr.BudgetStep b -> {
                        return false;
                    }
                    default -> {
                    }
                }
            }
            for (Block successor : block.successors()) {
                if (order.get(successor) <= order.get(block)) {
                    return false;
                }
            }
        }
        return count <= MAX_INSTRUCTIONS;
    }

    /** Inlines the calls of {@code leaves} in {@code caller} and returns whether there was one. */
    private static boolean inlineCalls(IrFunction caller, Map<String, IrFunction> leaves, boolean budgetEnabled) {
        boolean changed = false;
        // Blocks added by an inlining are scanned too; a copied body has no calls.
        for (int b = 0; b < caller.blocks().size(); b++) {
            Block block = caller.blocks().get(b);
            for (int i = 0; i < block.instructions().size(); i++) {
                if (block.instructions().get(i) instanceof Instr.Call call && leaves.containsKey(call.callee())
                                && call.argumentAreaSize() == 0) {
                    inlineCall(caller, block, i, call, leaves.get(call.callee()), budgetEnabled);
                    changed = true;
                    // The rest of the block moved to the continuation, which the outer loop reaches later.
                    break;
                }
            }
        }
        return changed;
    }

    /**
     * Splits {@code block} at the call at {@code index}. The block keeps the instructions before the
     * call, gets the budget step and the stack check, and jumps to the copy of the callee's entry,
     * where each parameter becomes a move of its argument. Each copied return moves its value to the
     * call's result and jumps to a new block that holds the instructions after the call.
     */
    private static void inlineCall(IrFunction caller, Block block, int index, Instr.Call call, IrFunction callee,
                    boolean budgetEnabled) {
        SourceLocation callLocation = block.location(index);
        List<Instr> tail = new ArrayList<>(block.instructions().subList(index + 1, block.instructions().size()));
        List<SourceLocation> tailLocations = new ArrayList<>();
        for (int i = index + 1; i < block.instructions().size(); i++) {
            tailLocations.add(block.location(i));
        }
        block.truncate(index);

        Block continuation = caller.newBlock();
        for (int i = 0; i < tail.size(); i++) {
            continuation.add(tail.get(i), tailLocations.get(i));
        }

        if (budgetEnabled) {
            block.add(new Instr.BudgetStep(call.site()), callLocation);
        }
        block.add(new Instr.StackCheck(call.stackPointer(), callee.stackFrameSize(), call.site()), callLocation);

        Copy copy = new Copy(caller);
        for (Block source : callee.blocks()) {
            copy.blocks.put(source, caller.newBlock());
        }
        block.add(new Instr.Jump(copy.blocks.get(callee.blocks().getFirst())), callLocation);
        for (Block source : callee.blocks()) {
            Block target = copy.blocks.get(source);
            for (int i = 0; i < source.instructions().size(); i++) {
                Instr instruction = source.instructions().get(i);
                SourceLocation location = source.location(i);
                switch (instruction) {
                    case Instr.Param p -> {
                        Operand value = p.index() == 0 ? call.stackPointer() : call.arguments().get(p.index() - 1);
                        target.add(new Instr.Move(copy.register(p.dst()), copy.operand(value, false)), location);
                    }
                    case Instr.Return r -> {
                        if (call.dst() != null && r.value() != null) {
                            target.add(new Instr.Move(call.dst(), copy.operand(r.value(), true)), location);
                        }
                        target.add(new Instr.Jump(continuation), location);
                    }
                    default -> target.add(copy.instruction(instruction), location);
                }
            }
        }
    }

    /** The renaming of one inlined body: each callee register gets a fresh caller register. */
    private static final class Copy {
        private final IrFunction caller;
        private final Map<Block, Block> blocks = new HashMap<>();
        private final Map<Integer, VReg> registers = new HashMap<>();

        Copy(IrFunction caller) {
            this.caller = caller;
        }

        VReg register(VReg register) {
            if (register == null) {
                return null;
            }
            return registers.computeIfAbsent(register.id(), id -> caller.newRegister(register.width(), register.name()));
        }

        /** Renames a callee operand; a caller operand (an argument or the stack pointer) stays as it is. */
        Operand operand(Operand operand, boolean callee) {
            if (callee && operand instanceof VReg register) {
                return register(register);
            }
            return operand;
        }

        private Operand rename(Operand operand) {
            return operand(operand, true);
        }

        Instr instruction(Instr instruction) {
            return switch (instruction) {
                case Instr.DataImportAddress d -> new Instr.DataImportAddress(register(d.dst()), d.index());
                case Instr.Move m -> new Instr.Move(register(m.dst()), rename(m.src()));
                case Instr.Binary b -> new Instr.Binary(b.op(), register(b.dst()), rename(b.left()), rename(b.right()));
                case Instr.Unary u -> new Instr.Unary(u.op(), register(u.dst()), rename(u.src()));
                case Instr.Divide d -> new Instr.Divide(d.op(), register(d.dst()), rename(d.left()), rename(d.right()), d.site());
                case Instr.Convert c -> new Instr.Convert(register(c.dst()), rename(c.src()), c.fromBits(), c.signed());
                case Instr.FloatBinary f -> new Instr.FloatBinary(f.op(), register(f.dst()), rename(f.left()), rename(f.right()));
                case Instr.FloatCompare f -> new Instr.FloatCompare(f.cond(), register(f.dst()), rename(f.left()), rename(f.right()));
                case Instr.FloatConvert f -> new Instr.FloatConvert(f.conversion(), register(f.dst()), rename(f.src()));
                case Instr.Compare c -> new Instr.Compare(c.cond(), register(c.dst()), rename(c.left()), rename(c.right()));
                case Instr.Load l -> new Instr.Load(register(l.dst()), register(l.base()), l.displacement(), l.size(), l.signed(),
                                l.checked(), l.site());
                case Instr.Store s -> new Instr.Store(register(s.base()), s.displacement(), rename(s.value()), s.size(),
                                s.checked(), s.site());
                case Instr.ZeroFill z -> new Instr.ZeroFill(register(z.base()), z.displacement(), z.size());
                case Instr.StackCheck c -> new Instr.StackCheck(register(c.stackPointer()), c.frameSize(), c.site());
                case Instr.Jump j -> new Instr.Jump(blocks.get(j.target()));
                case Instr.Branch b -> new Instr.Branch(b.cond(), rename(b.left()), rename(b.right()), blocks.get(b.ifTrue()),
                                blocks.get(b.ifFalse()));
                default -> throw new IllegalStateException("cannot inline " + instruction);
            };
        }
    }
}
