// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IR optimizations that run after lowering and inlining. None of them moves or removes an
 * instruction that can fault, access memory, call or cost a budget step, so faults, their reports
 * and the budget count stay as the lowering made them. They change where pure values are
 * computed and which registers carry them, and loop versioning drops page-table checks that a
 * check before the loop has shown to pass, and budget steps that it took before the loop, where
 * they cannot run out.
 *
 * <ol>
 * <li>Straight-line blocks are merged: a block that jumps to a block with no other predecessor
 * takes in that block's instructions. Inlining leaves such chains, and the later passes see
 * more at once in one block.
 * <li>{@link LocalValueNumbering} propagates copies and removes recomputations in each block.
 * <li>An operation whose result only feeds the copy right after it writes the copy's
 * destination itself, so {@code t = x + 1; x = t} becomes {@code x = x + 1}.
 * <li>{@link LoopInvariantCodeMotion} moves pure computations whose operands a loop does not
 * change into a block before the loop.
 * <li>{@link LoopVersioning} checks the pages that a simple counted loop accesses once before it,
 * and runs a copy of the loop without those accesses' checks when they all pass. In the copy,
 * addresses grow by their stride instead of being computed from the counter, and the budget
 * steps of every iteration are taken before the loop. Code for hardware
 * isolation, which checks no pages itself, gets that copy without a page walk.
 * <li>Dead assignments are removed: a pure instruction whose result no path reads before it is
 * written again, such as the zeroing of a local that the code assigns before reading it.
 * </ol>
 */
public final class Optimizer {

    private Optimizer() {
    }

    /** Optimizes every function of {@code functions} in place, for code that checks the page table. */
    public static void optimize(List<IrFunction> functions) {
        optimize(functions, true);
    }

    /**
     * Optimizes every function of {@code functions} in place.
     *
     * @param pageTable whether the code checks the page table itself. Code for hardware isolation
     *                  has no checks that {@link LoopVersioning} could drop, so the pass then
     *                  walks no pages and only reduces the strength of loop addresses.
     */
    public static void optimize(List<IrFunction> functions, boolean pageTable) {
        for (IrFunction function : functions) {
            optimize(function, pageTable);
        }
    }

    /**
     * Optimizes {@code function} in place, for code that checks the page table. Its blocks must be
     * in the order of {@link IrFunction#orderBlocks}.
     */
    public static void optimize(IrFunction function) {
        optimize(function, true);
    }

    /**
     * Optimizes {@code function} in place; {@code pageTable} as in {@link #optimize(List, boolean)}.
     * Its blocks must be in the order of {@link IrFunction#orderBlocks}.
     */
    public static void optimize(IrFunction function, boolean pageTable) {
        mergeStraightLineBlocks(function);
        removeDeadAssignments(function);
        LocalValueNumbering.run(function);
        removeDeadAssignments(function);
        writeResultsDirectly(function);
        LoopInvariantCodeMotion.run(function);
        removeDeadAssignments(function);
        LoopVersioning.run(function, pageTable);
        removeDeadAssignments(function);
    }

    /**
     * Appends to each block that ends in a jump the block it jumps to, when that block has no other
     * predecessor and is not the entry, and drops the appended block. The reverse postorder of the
     * remaining blocks stays a reverse postorder.
     */
    static void mergeStraightLineBlocks(IrFunction function) {
        List<Block> blocks = function.blocks();
        Map<Block, Integer> predecessors = new IdentityHashMap<>();
        for (Block block : blocks) {
            for (Block successor : block.successors()) {
                predecessors.merge(successor, 1, Integer::sum);
            }
        }
        Block entry = blocks.getFirst();
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            while (block.instructions().getLast() instanceof Instr.Jump jump && jump.target() != block
                            && jump.target() != entry && predecessors.get(jump.target()) == 1) {
                Block next = jump.target();
                block.remove(block.instructions().size() - 1);
                for (int i = 0; i < next.instructions().size(); i++) {
                    block.add(next.instructions().get(i), next.location(i));
                }
                int index = blocks.indexOf(next);
                blocks.remove(index);
                if (index < b) {
                    b--;
                }
            }
        }
    }

    /**
     * Rewrites {@code t = op(...); x = t} as {@code x = op(...)} when the copy is the only reader of
     * {@code t} and the operation its only writer. The operation still reads its operands before
     * it writes {@code x}, so the rewrite is also correct when it reads {@code x}.
     */
    static void writeResultsDirectly(IrFunction function) {
        int[] reads = new int[function.registerCount()];
        int[] writes = new int[function.registerCount()];
        for (Block block : function.blocks()) {
            for (Instr instruction : block.instructions()) {
                for (VReg read : instruction.uses()) {
                    reads[read.id()]++;
                }
                if (instruction.def() != null) {
                    writes[instruction.def().id()]++;
                }
            }
        }
        for (Block block : function.blocks()) {
            List<Instr> instructions = block.instructions();
            for (int i = 0; i + 1 < instructions.size(); i++) {
                Instr operation = instructions.get(i);
                if (instructions.get(i + 1) instanceof Instr.Move copy && copy.src() instanceof VReg result
                                && result.equals(operation.def()) && reads[result.id()] == 1 && writes[result.id()] == 1
                                && result.width() == copy.dst().width()) {
                    Instr direct = switch (operation) {
                        case Instr.Binary b -> new Instr.Binary(b.op(), copy.dst(), b.left(), b.right());
                        case Instr.Unary u -> new Instr.Unary(u.op(), copy.dst(), u.src());
                        case Instr.Convert c -> new Instr.Convert(copy.dst(), c.src(), c.fromBits(), c.signed());
                        case Instr.Compare c -> new Instr.Compare(c.cond(), copy.dst(), c.left(), c.right());
                        default -> null;
                    };
                    if (direct != null) {
                        block.replace(i, direct);
                        block.remove(i + 1);
                    }
                }
            }
        }
    }

    /**
     * Loops per function that loop-invariant code motion and loop versioning each take on. Both
     * recompute liveness for each loop, so a function with thousands of loops would take
     * quadratic time to compile; its other loops run as lowered.
     */
    static final int MAX_OPTIMIZED_LOOPS = 64;

    /**
     * Rounds of {@link #removeDeadAssignments} per call. A round removes every dead assignment
     * that its liveness shows, and a chain of assignments that crosses blocks loses one link per
     * round, so an unbounded loop of rounds takes quadratic time on a long chain. Assignments
     * left over are only slower code.
     */
    static final int DEAD_ASSIGNMENT_ROUNDS = 4;

    /**
     * Removes pure instructions whose result is dead where they write it, for at most
     * {@link #DEAD_ASSIGNMENT_ROUNDS} rounds. A register is dead after an instruction when no path
     * from there reads it before writing it.
     */
    static void removeDeadAssignments(IrFunction function) {
        boolean removed = true;
        for (int round = 0; removed && round < DEAD_ASSIGNMENT_ROUNDS; round++) {
            removed = false;
            IrLiveness liveness = IrLiveness.of(function);
            for (Block block : function.blocks()) {
                BitSet live = liveness.liveOut(block);
                List<Instr> instructions = block.instructions();
                for (int i = instructions.size() - 1; i >= 0; i--) {
                    Instr instruction = instructions.get(i);
                    VReg written = instruction.def();
                    if (written != null && IrFunction.isPure(instruction) && !live.get(written.id())) {
                        block.remove(i);
                        removed = true;
                        continue;
                    }
                    if (written != null) {
                        live.clear(written.id());
                    }
                    for (VReg read : instruction.uses()) {
                        live.set(read.id());
                    }
                }
            }
        }
    }
}
