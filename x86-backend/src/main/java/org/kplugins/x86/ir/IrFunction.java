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
    private final List<Block> blocks = new ArrayList<>();
    private final List<Site> sites = new ArrayList<>();
    private int registerCount;

    public IrFunction(String name, SourceLocation location, int parameterCount, Width result, int stackFrameSize) {
        this.name = name;
        this.location = location;
        this.parameterCount = parameterCount;
        this.result = result;
        this.stackFrameSize = stackFrameSize;
    }

    public String name() {
        return name;
    }

    /** The location of the definition, where a stack overflow on entry from the host is reported. */
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
        Site site = new Site(sites.size(), location);
        sites.add(site);
        return site;
    }

    /**
     * Drops the blocks that no path from the entry reaches, such as the block that follows a
     * {@code return}, and renumbers nothing: block ids stay as they were.
     */
    public void removeUnreachableBlocks() {
        Set<Block> reached = new HashSet<>();
        Deque<Block> pending = new ArrayDeque<>();
        pending.add(blocks.getFirst());
        while (!pending.isEmpty()) {
            Block block = pending.pop();
            if (reached.add(block)) {
                pending.addAll(block.successors());
            }
        }
        blocks.removeIf(block -> !reached.contains(block));
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
