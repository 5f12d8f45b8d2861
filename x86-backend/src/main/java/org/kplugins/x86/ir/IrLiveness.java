// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The virtual registers live into each block of an IR function: those that some path from the
 * block's start reads before it writes them. It solves the backward data-flow equations
 * {@code liveOut(b) = union of liveIn(s)} over the successors s and
 * {@code liveIn(b) = use(b) + (liveOut(b) - def(b))} to a fixed point. The result describes the
 * function as it was when computed; a pass that changes the function computes it again.
 */
final class IrLiveness {

    private final Map<Block, BitSet> liveIn = new IdentityHashMap<>();
    private final int registerCount;

    private IrLiveness(int registerCount) {
        this.registerCount = registerCount;
    }

    static IrLiveness of(IrFunction function) {
        IrLiveness liveness = new IrLiveness(function.registerCount());
        List<Block> blocks = function.blocks();
        Map<Block, BitSet> use = new IdentityHashMap<>();
        Map<Block, BitSet> def = new IdentityHashMap<>();
        for (Block block : blocks) {
            BitSet reads = new BitSet();
            BitSet writes = new BitSet();
            for (Instr instruction : block.instructions()) {
                for (VReg read : instruction.uses()) {
                    if (!writes.get(read.id())) {
                        reads.set(read.id());
                    }
                }
                if (instruction.def() != null) {
                    writes.set(instruction.def().id());
                }
            }
            use.put(block, reads);
            def.put(block, writes);
            liveness.liveIn.put(block, new BitSet());
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            // Blocks are in reverse postorder, so walking them backwards converges in few rounds.
            for (Block block : blocks.reversed()) {
                BitSet in = liveness.liveOut(block);
                in.andNot(def.get(block));
                in.or(use.get(block));
                if (!in.equals(liveness.liveIn.get(block))) {
                    liveness.liveIn.put(block, in);
                    changed = true;
                }
            }
        }
        return liveness;
    }

    /** Returns a new set of the registers live into {@code block}, empty for a block not in the function. */
    BitSet liveIn(Block block) {
        BitSet in = liveIn.get(block);
        return in == null ? new BitSet(registerCount) : (BitSet) in.clone();
    }

    /** Returns a new set of the registers live out of {@code block}: the union of its successors' live-in sets. */
    BitSet liveOut(Block block) {
        BitSet out = new BitSet(registerCount);
        for (Block successor : block.successors()) {
            BitSet in = liveIn.get(successor);
            if (in != null) {
                out.or(in);
            }
        }
        return out;
    }
}
