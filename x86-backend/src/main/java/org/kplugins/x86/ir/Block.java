// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.ArrayList;
import java.util.List;
import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * A basic block: instructions that run in order, the last of which is a terminator once the
 * block is complete. Each instruction keeps the source location of the statement or expression
 * it came from, for the line table.
 */
public final class Block {

    private final int id;
    private final List<Instr> instructions = new ArrayList<>();
    private final List<SourceLocation> locations = new ArrayList<>();

    Block(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public List<Instr> instructions() {
        return instructions;
    }

    /** Returns the source location of instruction {@code index}, or null when it has none. */
    public SourceLocation location(int index) {
        return locations.get(index);
    }

    /**
     * Appends an instruction.
     *
     * @throws IllegalStateException if the block already ends in a terminator
     */
    public void add(Instr instruction, SourceLocation location) {
        if (isTerminated()) {
            throw new IllegalStateException("block b" + id + " already ends in " + instructions.getLast()
                            + "; cannot append " + instruction);
        }
        instructions.add(instruction);
        locations.add(location);
    }

    /** Removes the instructions that match {@code filter}, with their locations, and returns whether any matched. */
    boolean removeIf(java.util.function.Predicate<Instr> filter) {
        boolean removed = false;
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (filter.test(instructions.get(i))) {
                instructions.remove(i);
                locations.remove(i);
                removed = true;
            }
        }
        return removed;
    }

    /** Replaces instruction {@code index}, keeping its location. */
    void replace(int index, Instr instruction) {
        instructions.set(index, instruction);
    }

    /** Removes instruction {@code index} with its location. */
    void remove(int index) {
        instructions.remove(index);
        locations.remove(index);
    }

    /** Inserts {@code instruction} with {@code location} before instruction {@code index}. */
    void insert(int index, Instr instruction, SourceLocation location) {
        instructions.add(index, instruction);
        locations.add(index, location);
    }

    /** Removes the instructions from {@code index} on, with their locations. */
    void truncate(int index) {
        instructions.subList(index, instructions.size()).clear();
        locations.subList(index, locations.size()).clear();
    }

    public boolean isTerminated() {
        return !instructions.isEmpty() && instructions.getLast().isTerminator();
    }

    /** Returns the blocks control can go to after this one, in the terminator's order. */
    public List<Block> successors() {
        if (!isTerminated()) {
            return List.of();
        }
        return switch (instructions.getLast()) {
            case Instr.Jump jump -> List.of(jump.target());
            case Instr.Branch branch -> List.of(branch.ifTrue(), branch.ifFalse());
            default -> List.of();
        };
    }

    @Override
    public String toString() {
        return "b" + id;
    }
}
