// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.regalloc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.kplugins.x86.asm.Register;
import org.kplugins.x86.ir.VReg;
import org.kplugins.x86.select.MachineBlock;
import org.kplugins.x86.select.MachineFunction;
import org.kplugins.x86.select.MachineInstr;
import org.kplugins.x86.select.MachineOperand;
import org.kplugins.x86.select.Opcode;

/**
 * The linear-scan allocator. Intervals are visited by increasing start, and intervals that ended
 * before the current start give their register back.
 *
 * <p>Two refinements of the basic algorithm. A register copied from another ({@code mov dst,
 * src}) prefers the source's register when it is free, so the copy disappears when the source
 * dies there. When no register is free, one interval among the active ones and the current one
 * goes to a slot of its own for its whole life. It is the one with the lowest spill weight per
 * position, and of those the one that ends last, so short temporaries and values used in loops
 * keep their registers.
 */
public final class LinearScan {

    private LinearScan() {
    }

    /**
     * Allocates the virtual registers of {@code function} to {@code registers}.
     *
     * @param registers the allocatable registers, in order of preference
     * @throws IllegalArgumentException if {@code registers} is empty
     */
    public static Allocation allocate(MachineFunction function, List<Register> registers) {
        if (registers.isEmpty()) {
            throw new IllegalArgumentException("no allocatable registers: give the allocator at least one register");
        }
        int count = function.ir().registerCount();
        Register[] assigned = new Register[count];
        int[] slots = new int[count];
        Arrays.fill(slots, -1);
        int slotCount = 0;
        Set<Register> used = new LinkedHashSet<>();
        double[] weights = Liveness.spillWeights(function);
        VReg[] copiedFrom = copySources(function);

        List<LiveInterval> intervals = new ArrayList<>(Liveness.intervals(function));
        intervals.sort(Comparator.comparingInt(LiveInterval::start).thenComparingInt(i -> i.register().id()));
        PriorityQueue<LiveInterval> active = new PriorityQueue<>(
                        Comparator.comparingInt(LiveInterval::end).thenComparingInt(i -> i.register().id()));
        Deque<Register> free = new ArrayDeque<>(registers);
        // Spill weight per position of the interval: a short temporary between its write and its
        // read is worth its register, and a long-lived value with few uses is not.
        Comparator<LiveInterval> spillOrder = Comparator
                        .comparingDouble((LiveInterval i) -> weights[i.register().id()] / (i.end() - i.start() + 1))
                        .thenComparing(Comparator.comparingInt(LiveInterval::end).reversed());

        for (LiveInterval interval : intervals) {
            while (!active.isEmpty() && active.peek().end() < interval.start()) {
                free.addFirst(assigned[active.poll().register().id()]);
            }
            if (!free.isEmpty()) {
                VReg source = copiedFrom[interval.register().id()];
                Register hinted = source == null ? null : assigned[source.id()];
                Register register = hinted != null && free.remove(hinted) ? hinted : free.pollFirst();
                assigned[interval.register().id()] = register;
                used.add(register);
                active.add(interval);
                continue;
            }
            LiveInterval cheapest = active.stream().min(spillOrder).orElseThrow();
            if (spillOrder.compare(cheapest, interval) < 0) {
                // The active interval is cheaper to keep in memory: it moves there and the current one takes its register.
                Register register = assigned[cheapest.register().id()];
                assigned[cheapest.register().id()] = null;
                slots[cheapest.register().id()] = slotCount++;
                active.remove(cheapest);
                assigned[interval.register().id()] = register;
                active.add(interval);
            } else {
                slots[interval.register().id()] = slotCount++;
            }
        }
        List<Register> usedInOrder = new ArrayList<>();
        for (Register register : registers) {
            if (used.contains(register)) {
                usedInOrder.add(register);
            }
        }
        return new Allocation(assigned, slots, slotCount, usedInOrder);
    }

    /** Returns, for each virtual register that some {@code mov} copies from another, the last such source. */
    private static VReg[] copySources(MachineFunction function) {
        VReg[] sources = new VReg[function.ir().registerCount()];
        for (MachineBlock block : function.blocks()) {
            for (MachineInstr instruction : block.instructions()) {
                if (instruction.opcode() == Opcode.MOV
                                && instruction.operands().get(0) instanceof MachineOperand.Virtual dst
                                && instruction.operands().get(1) instanceof MachineOperand.Virtual src) {
                    sources[dst.register().id()] = src.register();
                }
            }
        }
        return sources;
    }
}
