// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * One plugin function in IR: its blocks with the entry first, its virtual registers and its fault
 * sites. {@code stackFrameSize} is the bytes it takes on the plugin stack, as the Truffle tier
 * computes it, and {@code result} the width of its return value, or null for void.
 */
public final class IrFunction {

    private final String name;
    private final SourceLocation location;
    private final int parameterCount;
    private final Width result;
    private final int stackFrameSize;
    private final boolean variadic;
    private final List<Block> blocks = new ArrayList<>();
    private final List<Site> sites = new ArrayList<>();
    private int registerCount;

    public IrFunction(String name, SourceLocation location, int parameterCount, Width result, int stackFrameSize,
                    boolean variadic) {
        this.name = name;
        this.variadic = variadic;
        this.location = location;
        this.parameterCount = parameterCount;
        this.result = result;
        this.stackFrameSize = stackFrameSize;
    }

    public String name() {
        return name;
    }

    /** Returns the location of the definition, where a stack overflow on entry from the host is reported. */
    public SourceLocation location() {
        return location;
    }

    /** Returns the number of C parameters; the stack pointer argument comes on top. */
    public int parameterCount() {
        return parameterCount;
    }

    public Width result() {
        return result;
    }

    public int stackFrameSize() {
        return stackFrameSize;
    }

    /**
     * Returns whether the function has '...': its callers then place every argument in an argument
     * area on the plugin stack and pass the area's start as its stack pointer.
     */
    public boolean isVariadic() {
        return variadic;
    }

    public List<Block> blocks() {
        return blocks;
    }

    public List<Site> sites() {
        return sites;
    }

    public int registerCount() {
        return registerCount;
    }

    public Block newBlock() {
        Block block = new Block(blocks.size());
        blocks.add(block);
        return block;
    }

    public VReg newRegister(Width width, String name) {
        return new VReg(registerCount++, width, name);
    }

    public Site newSite(SourceLocation location) {
        Site site = new Site(sites.size(), location, name);
        sites.add(site);
        return site;
    }

    /**
     * Puts the blocks in reverse postorder from the entry, with the first successor of a branch
     * first, and drops the blocks that no path from the entry reaches, such as the block that
     * follows a {@code return}. In this order a loop's header comes before its body, and the only
     * jumps backwards are loop back edges. Block ids stay as they were.
     */
    public void orderBlocks() {
        List<Block> postorder = new ArrayList<>();
        Set<Block> visited = new HashSet<>();
        // An explicit stack of (block, next successor to visit), because deep nesting could
        // exhaust the Java stack.
        Deque<Object[]> stack = new ArrayDeque<>();
        visited.add(blocks.getFirst());
        stack.push(new Object[] {blocks.getFirst(), blocks.getFirst().successors().size() - 1});
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Block block = (Block) top[0];
            int next = (Integer) top[1];
            if (next < 0) {
                stack.pop();
                postorder.add(block);
                continue;
            }
            top[1] = next - 1;
            // Successors are visited last first, so the first one ends up first in reverse postorder.
            Block successor = block.successors().get(next);
            if (visited.add(successor)) {
                stack.push(new Object[] {successor, successor.successors().size() - 1});
            }
        }
        blocks.clear();
        blocks.addAll(postorder.reversed());
    }

    /**
     * Removes the instructions that only compute a value that no instruction reads, such as the
     * frame base of a function without memory locals or calls, until none is left. An instruction that
     * can fault or has another effect stays even when its result is unused.
     */
    public void removeDeadCode() {
        boolean removed = true;
        while (removed) {
            int[] reads = new int[registerCount];
            for (Block block : blocks) {
                for (Instr instruction : block.instructions()) {
                    for (VReg register : instruction.uses()) {
                        reads[register.id()]++;
                    }
                }
            }
            removed = false;
            for (Block block : blocks) {
                removed |= block.removeIf(instruction -> isPure(instruction) && reads[instruction.def().id()] == 0);
            }
        }
    }

    /** Returns whether an instruction only computes its result: no memory access, fault, call or control flow. */
    static boolean isPure(Instr instruction) {
        return switch (instruction) {
            case Instr.Param p -> true;
            case Instr.DataImportAddress d -> true;
            case Instr.Move m -> true;
            case Instr.Binary b -> true;
            case Instr.Unary u -> true;
            case Instr.Convert c -> true;
            case Instr.Compare c -> true;
            default -> false;
        };
    }

    /** Returns the IR as text, one instruction per line, for tests and debugging. */
    public String render() {
        StringBuilder out = new StringBuilder(name).append(":\n");
        for (Block block : blocks) {
            out.append(block).append(":\n");
            for (Instr instruction : block.instructions()) {
                out.append("    ").append(instruction).append('\n');
            }
        }
        return out.toString();
    }
}
