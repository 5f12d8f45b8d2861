// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.regalloc;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.x86.ir.VReg;
import org.kplugins.x86.select.MachineBlock;
import org.kplugins.x86.select.MachineFunction;
import org.kplugins.x86.select.MachineInstr;

/**
 * Computes the live interval of every virtual register of a machine function.
 *
 * <p>Instructions are numbered in block layout order, and instruction i reads its operands at
 * position 2i and writes its result at 2i + 1, so a value whose last read is at instruction i
 * does not overlap a value that instruction i writes. Per block, the registers read before any
 * write ({@code use}) and the registers written ({@code def}) give the classic backward data-flow
 * equations {@code liveOut(b) = union of liveIn(s)} over the successors s and
 * {@code liveIn(b) = use(b) + (liveOut(b) - def(b))}, iterated to a fixed point. A register's
 * interval then spans its reads and writes, the start of every block it is live into and the end
 * of every block it is live out of. A value that crosses a loop's back edge therefore stays live
 * over the whole loop.
 */
public final class Liveness {

    private Liveness() {
    }

    /** Returns one interval per virtual register that the function reads or writes, in no particular order. */
    public static List<LiveInterval> intervals(MachineFunction function) {
        List<MachineBlock> blocks = function.blocks();
        int registers = function.ir().registerCount();
        Map<MachineBlock, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            index.put(blocks.get(i), i);
        }

        BitSet[] use = new BitSet[blocks.size()];
        BitSet[] def = new BitSet[blocks.size()];
        int[] firstPosition = new int[blocks.size()];
        int[] lastPosition = new int[blocks.size()];
        int position = 0;
        for (int b = 0; b < blocks.size(); b++) {
            use[b] = new BitSet(registers);
            def[b] = new BitSet(registers);
            firstPosition[b] = position;
            for (MachineInstr instruction : blocks.get(b).instructions()) {
                for (VReg read : instruction.uses()) {
                    if (!def[b].get(read.id())) {
                        use[b].set(read.id());
                    }
                }
                VReg written = instruction.def();
                if (written != null) {
                    def[b].set(written.id());
                }
                position++;
            }
            lastPosition[b] = Math.max(firstPosition[b], position - 1);
        }

        BitSet[] liveIn = new BitSet[blocks.size()];
        BitSet[] liveOut = new BitSet[blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            liveIn[b] = new BitSet(registers);
            liveOut[b] = new BitSet(registers);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int b = blocks.size() - 1; b >= 0; b--) {
                BitSet out = new BitSet(registers);
                for (MachineBlock successor : blocks.get(b).successors()) {
                    out.or(liveIn[index.get(successor)]);
                }
                BitSet in = (BitSet) out.clone();
                in.andNot(def[b]);
                in.or(use[b]);
                if (!in.equals(liveIn[b]) || !out.equals(liveOut[b])) {
                    liveIn[b] = in;
                    liveOut[b] = out;
                    changed = true;
                }
            }
        }

        int[] start = new int[registers];
        int[] end = new int[registers];
        VReg[] byId = new VReg[registers];
        java.util.Arrays.fill(start, Integer.MAX_VALUE);
        java.util.Arrays.fill(end, -1);
        position = 0;
        for (int b = 0; b < blocks.size(); b++) {
            for (int id = liveIn[b].nextSetBit(0); id >= 0; id = liveIn[b].nextSetBit(id + 1)) {
                start[id] = Math.min(start[id], 2 * firstPosition[b]);
                end[id] = Math.max(end[id], 2 * firstPosition[b]);
            }
            for (int id = liveOut[b].nextSetBit(0); id >= 0; id = liveOut[b].nextSetBit(id + 1)) {
                start[id] = Math.min(start[id], 2 * lastPosition[b] + 1);
                end[id] = Math.max(end[id], 2 * lastPosition[b] + 1);
            }
            for (MachineInstr instruction : blocks.get(b).instructions()) {
                for (VReg register : instruction.uses()) {
                    extend(register, 2 * position, byId, start, end);
                }
                if (instruction.def() != null) {
                    extend(instruction.def(), 2 * position + 1, byId, start, end);
                }
                position++;
            }
        }

        List<LiveInterval> intervals = new ArrayList<>();
        for (int id = 0; id < registers; id++) {
            if (byId[id] == null && start[id] != Integer.MAX_VALUE) {
                throw new IllegalStateException("v" + id + " is live in " + function.ir().name()
                                + "() but no instruction reads or writes it");
            }
            if (byId[id] != null) {
                intervals.add(new LiveInterval(byId[id], start[id], end[id]));
            }
        }
        return intervals;
    }

    /**
     * Returns the spill weight of each virtual register, indexed by id: its reads and writes, each
     * counted 10 times more per loop that contains it, up to 4 loops. A loop is found by its back
     * edge, a jump to a block at or before the jumping block in layout order, and spans the blocks
     * from the target to the source. Blocks are in reverse postorder, so for the structured control
     * flow of C without goto these are the natural loops.
     */
    public static double[] spillWeights(MachineFunction function) {
        List<MachineBlock> blocks = function.blocks();
        Map<MachineBlock, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < blocks.size(); i++) {
            index.put(blocks.get(i), i);
        }
        int[] depth = new int[blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            for (MachineBlock successor : blocks.get(b).successors()) {
                int target = index.get(successor);
                if (target <= b) {
                    for (int inLoop = target; inLoop <= b; inLoop++) {
                        depth[inLoop]++;
                    }
                }
            }
        }
        double[] weights = new double[function.ir().registerCount()];
        for (int b = 0; b < blocks.size(); b++) {
            double weight = Math.pow(10, Math.min(depth[b], 4));
            for (MachineInstr instruction : blocks.get(b).instructions()) {
                for (VReg read : instruction.uses()) {
                    weights[read.id()] += weight;
                }
                if (instruction.def() != null) {
                    weights[instruction.def().id()] += weight;
                }
            }
        }
        return weights;
    }

    private static void extend(VReg register, int position, VReg[] byId, int[] start, int[] end) {
        byId[register.id()] = register;
        start[register.id()] = Math.min(start[register.id()], position);
        end[register.id()] = Math.max(end[register.id()], position);
    }
}
