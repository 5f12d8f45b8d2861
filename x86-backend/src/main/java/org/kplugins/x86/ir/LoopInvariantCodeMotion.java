// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves pure computations out of loops into the loop's preheader, innermost loops first.
 *
 * <p>A loop is a natural loop: a back edge from a block to a header that dominates it, and the
 * blocks that reach the back edge without passing through the header. The preheader is the only
 * block outside the loop that jumps to the header. When the header has several entries or an
 * entry that branches, the pass makes a preheader. An instruction moves when it is a copy or a pure integer
 * operation ({@link Instr.Move}, {@link Instr.Binary}, {@link Instr.Unary}, {@link Instr.Convert},
 * {@link Instr.Compare}), none of which can fault, and all of these hold:
 * <ul>
 * <li>no instruction of the loop writes its operands, or only instructions that moved already;
 * <li>it is the only instruction of the loop that writes its result;
 * <li>its result is live neither into the header nor into a block that the loop exits to.
 * </ul>
 * The registers are not in SSA form, and the last two conditions stand in for it. A read in the
 * loop then always reads this instruction's value, which does not change from one iteration to
 * the next, and no code after the loop reads the result. Computing the value once before the loop,
 * even when the loop body never runs, is therefore invisible.
 */
final class LoopInvariantCodeMotion {

    private LoopInvariantCodeMotion() {
    }

    /** A natural loop: its header and every block of its body, the header included. */
    record Loop(Block header, Set<Block> body) {
    }

    static void run(IrFunction function) {
        Set<Block> done = new HashSet<>();
        while (done.size() < Optimizer.MAX_OPTIMIZED_LOOPS) {
            Loop next = null;
            for (Loop loop : loops(function)) {
                if (!done.contains(loop.header()) && (next == null || loop.body().size() < next.body().size())) {
                    next = loop;
                }
            }
            if (next == null) {
                return;
            }
            done.add(next.header());
            hoist(function, next);
        }
    }

    /** Returns the natural loops of {@code function}, one per header, skipping a back edge whose target does not dominate it. */
    static List<Loop> loops(IrFunction function) {
        List<Block> blocks = function.blocks();
        Map<Block, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            index.put(blocks.get(i), i);
        }
        Map<Block, List<Block>> predecessors = predecessors(function);
        Map<Block, Set<Block>> bodies = new IdentityHashMap<>();
        Set<Block> invalid = new HashSet<>();
        for (Block block : blocks) {
            for (Block successor : block.successors()) {
                if (index.get(successor) > index.get(block)) {
                    continue;
                }
                if (successor == blocks.getFirst()) {
                    // The entry has no block before it to be the preheader.
                    invalid.add(successor);
                    continue;
                }
                // In reverse postorder, an edge to an earlier block is a retreating edge. It is a
                // back edge when its target dominates its source.
                Set<Block> body = naturalLoop(successor, block, predecessors, blocks.getFirst());
                if (body == null) {
                    invalid.add(successor);
                } else {
                    bodies.computeIfAbsent(successor, h -> new HashSet<>()).addAll(body);
                }
            }
        }
        List<Loop> loops = new ArrayList<>();
        for (Map.Entry<Block, Set<Block>> entry : bodies.entrySet()) {
            if (!invalid.contains(entry.getKey())) {
                loops.add(new Loop(entry.getKey(), entry.getValue()));
            }
        }
        return loops;
    }

    /**
     * Returns the blocks that reach {@code tail} without passing through {@code header}, plus the
     * header, or null when the walk reaches the entry, which means the header does not dominate the tail.
     */
    private static Set<Block> naturalLoop(Block header, Block tail, Map<Block, List<Block>> predecessors, Block entry) {
        Set<Block> body = new HashSet<>();
        body.add(header);
        Deque<Block> work = new ArrayDeque<>();
        if (body.add(tail)) {
            work.push(tail);
        }
        while (!work.isEmpty()) {
            Block block = work.pop();
            if (block == entry) {
                return null;
            }
            for (Block predecessor : predecessors.getOrDefault(block, List.of())) {
                if (body.add(predecessor)) {
                    work.push(predecessor);
                }
            }
        }
        return body;
    }

    private static Map<Block, List<Block>> predecessors(IrFunction function) {
        Map<Block, List<Block>> predecessors = new IdentityHashMap<>();
        for (Block block : function.blocks()) {
            for (Block successor : block.successors()) {
                predecessors.computeIfAbsent(successor, s -> new ArrayList<>()).add(block);
            }
        }
        return predecessors;
    }

    private static void hoist(IrFunction function, Loop loop) {
        IrLiveness liveness = IrLiveness.of(function);
        BitSet mustStay = liveness.liveIn(loop.header());
        for (Block block : loop.body()) {
            for (Block successor : block.successors()) {
                if (!loop.body().contains(successor)) {
                    mustStay.or(liveness.liveIn(successor));
                }
            }
        }
        Map<VReg, Integer> writesInLoop = new HashMap<>();
        for (Block block : loop.body()) {
            for (Instr instruction : block.instructions()) {
                if (instruction.def() != null) {
                    writesInLoop.merge(instruction.def(), 1, Integer::sum);
                }
            }
        }

        Block preheader = null;
        boolean moved = true;
        while (moved) {
            moved = false;
            // Layout order, so a computation moves before the computations in later blocks that
            // read it. The loop walks a copy because making the preheader adds a block to the list.
            for (Block block : List.copyOf(function.blocks())) {
                if (!loop.body().contains(block)) {
                    continue;
                }
                for (int i = 0; i < block.instructions().size(); i++) {
                    Instr instruction = block.instructions().get(i);
                    if (!isInvariant(instruction, writesInLoop, mustStay)) {
                        continue;
                    }
                    if (preheader == null) {
                        preheader = preheader(function, loop);
                    }
                    preheader.insert(preheader.instructions().size() - 1, instruction, block.location(i));
                    block.remove(i);
                    i--;
                    writesInLoop.remove(instruction.def());
                    moved = true;
                }
            }
        }
    }

    private static boolean isInvariant(Instr instruction, Map<VReg, Integer> writesInLoop, BitSet mustStay) {
        boolean movable = switch (instruction) {
            case Instr.Move m -> true;
            case Instr.Binary b -> true;
            case Instr.Unary u -> true;
            case Instr.Convert c -> true;
            case Instr.Compare c -> true;
            default -> false;
        };
        if (!movable || writesInLoop.getOrDefault(instruction.def(), 0) != 1 || mustStay.get(instruction.def().id())) {
            return false;
        }
        for (VReg read : instruction.uses()) {
            if (writesInLoop.containsKey(read)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the block outside {@code loop} whose only successor is the header and which is the
     * header's only predecessor outside the loop, making one when there is none.
     */
    static Block preheader(IrFunction function, Loop loop) {
        Block header = loop.header();
        List<Block> outside = new ArrayList<>();
        for (Block predecessor : predecessors(function).getOrDefault(header, List.of())) {
            if (!loop.body().contains(predecessor)) {
                outside.add(predecessor);
            }
        }
        if (outside.size() == 1 && outside.getFirst().instructions().getLast() instanceof Instr.Jump) {
            return outside.getFirst();
        }
        Block preheader = function.newBlock();
        preheader.add(new Instr.Jump(header), header.location(0));
        for (Block predecessor : outside) {
            int last = predecessor.instructions().size() - 1;
            Instr terminator = predecessor.instructions().get(last);
            predecessor.replace(last, switch (terminator) {
                case Instr.Jump j -> new Instr.Jump(preheader);
                case Instr.Branch b -> new Instr.Branch(b.cond(), b.left(), b.right(),
                                b.ifTrue() == header ? preheader : b.ifTrue(), b.ifFalse() == header ? preheader : b.ifFalse());
                default -> throw new IllegalStateException("block " + predecessor + " jumps to " + header + " with " + terminator);
            });
        }
        // Every outside predecessor comes before the header in reverse postorder, so placing the
        // preheader just before the header keeps the order a reverse postorder.
        List<Block> blocks = function.blocks();
        blocks.remove(preheader);
        blocks.add(blocks.indexOf(header), preheader);
        return preheader;
    }
}
