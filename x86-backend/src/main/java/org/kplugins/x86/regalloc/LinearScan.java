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
import org.kplugins.x86.select.MachineFunction;

/**
 * The linear-scan allocator. Intervals are visited by increasing start, and intervals that ended
 * before the current start give their register back. When no register is free, the interval that ends last among the active ones and the
 * current one is spilled to a slot of its own for its whole life.
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

        List<LiveInterval> intervals = new ArrayList<>(Liveness.intervals(function));
        intervals.sort(Comparator.comparingInt(LiveInterval::start).thenComparingInt(i -> i.register().id()));
        PriorityQueue<LiveInterval> active = new PriorityQueue<>(
                        Comparator.comparingInt(LiveInterval::end).thenComparingInt(i -> i.register().id()));
        Deque<Register> free = new ArrayDeque<>(registers);

        for (LiveInterval interval : intervals) {
            while (!active.isEmpty() && active.peek().end() < interval.start()) {
                free.addFirst(assigned[active.poll().register().id()]);
            }
            if (!free.isEmpty()) {
                Register register = free.pollFirst();
                assigned[interval.register().id()] = register;
                used.add(register);
                active.add(interval);
                continue;
            }
            LiveInterval longest = active.stream().max(Comparator.comparingInt(LiveInterval::end)).orElseThrow();
            if (longest.end() > interval.end()) {
                // The active interval lives longer: it moves to memory and the current one takes its register.
                Register register = assigned[longest.register().id()];
                assigned[longest.register().id()] = null;
                slots[longest.register().id()] = slotCount++;
                active.remove(longest);
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
}
