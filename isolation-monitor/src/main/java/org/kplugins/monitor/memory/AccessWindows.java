// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

/**
 * A small table of access windows: page-aligned address ranges of an {@link AddressSpace} in
 * which every page has the flags that one kind of access requires. An access that lies inside a
 * window needs only one unsigned compare against the window's bounds, in place of the segment
 * limit compare and the page-table lookups.
 *
 * <p>Invariant: every page of every window has all of {@link #requiredFlags} set in the page
 * table, and no two windows overlap. {@link AddressSpace} calls {@link #update} after every
 * change to the page table, so a window never allows an access that the page table forbids.
 *
 * <p>Completeness is best effort. {@link #update} merges adjacent ranges, so while there are at
 * most {@link #CAPACITY} maximal runs of such pages, each run is exactly one window. Beyond that,
 * the smallest windows are dropped, and accesses outside every window take the page-table check.
 *
 * <p>A slot keeps its index while its window shrinks, grows or merges with a neighbour to its
 * right, so code that speculates on a window index stays valid when, for example, the heap grows
 * page by page. The arrays are {@code int[]} so that the compiler can tell that stores to the
 * {@code byte[]} backing store never change them, and can hoist their loads out of loops.
 */
final class AccessWindows {

    /** Number of slots. */
    static final int CAPACITY = 16;

    /** The {@link PageFlags} that every page of a window has. */
    final int requiredFlags;
    /** Start address of each slot's window, page-aligned. */
    final int[] starts = new int[CAPACITY];
    /** Length in bytes of each slot's window, a multiple of the page size; 0 marks a free slot. */
    final int[] lengths = new int[CAPACITY];

    AccessWindows(int requiredFlags) {
        this.requiredFlags = requiredFlags;
    }

    /**
     * Returns whether {@code [address, address + size)} lies inside the window in slot
     * {@code window}. A negative index, a free slot and an address range that wraps around
     * 2^32 all return false.
     *
     * @param window slot index below {@link #CAPACITY}, or negative for no window
     * @param size   access size in bytes, 1 to 8
     */
    boolean contains(int window, int address, int size) {
        if (window < 0) {
            return false;
        }
        // The first and the last byte, each an unsigned compare that Graal can move out of a
        // counted loop. A free slot has length 0, so both fail.
        int offset = address - starts[window];
        int length = lengths[window];
        return Integer.compareUnsigned(offset, length) < 0 && Integer.compareUnsigned(offset + (size - 1), length) < 0;
    }

    /** Returns the slot whose window contains {@code [address, address + size)}, or -1. */
    int find(int address, int size) {
        for (int slot = 0; slot < CAPACITY; slot++) {
            if (contains(slot, address, size)) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * Brings the windows up to date after the flags of pages {@code [firstPage, endPage)} changed
     * in {@code pageFlags}. Windows that overlap the range are cut back to the parts outside it,
     * then each run of pages inside the range that has {@link #requiredFlags} becomes a window,
     * merged with the windows that end or start right next to it.
     */
    void update(byte[] pageFlags, int firstPage, int endPage) {
        int rangeStart = firstPage << AddressSpace.PAGE_SHIFT;
        int rangeEnd = endPage << AddressSpace.PAGE_SHIFT;
        cutOut(rangeStart, rangeEnd);

        int page = firstPage;
        while (page < endPage) {
            if (!hasRequiredFlags(pageFlags[page])) {
                page++;
                continue;
            }
            int runStart = page;
            while (page < endPage && hasRequiredFlags(pageFlags[page])) {
                page++;
            }
            addMerged(runStart << AddressSpace.PAGE_SHIFT, page << AddressSpace.PAGE_SHIFT);
        }
    }

    private boolean hasRequiredFlags(byte entry) {
        return (entry & requiredFlags) == requiredFlags;
    }

    /**
     * Removes {@code [start, end)} from every window. A window that loses its middle keeps its
     * left part in its slot and moves its right part to a free slot, or drops the smaller part
     * when no slot is free.
     */
    private void cutOut(int start, int end) {
        for (int slot = 0; slot < CAPACITY; slot++) {
            int windowStart = starts[slot];
            int windowEnd = windowStart + lengths[slot];
            if (lengths[slot] == 0 || windowEnd <= start || windowStart >= end) {
                continue;
            }
            boolean keepsLeft = windowStart < start;
            boolean keepsRight = windowEnd > end;
            if (keepsLeft) {
                lengths[slot] = start - windowStart;
            } else {
                free(slot);
            }
            if (keepsRight) {
                int rightSlot = keepsLeft ? freeSlot() : slot;
                if (rightSlot < 0) {
                    // No free slot: keep the larger part.
                    if (windowEnd - end > lengths[slot]) {
                        set(slot, end, windowEnd - end);
                    }
                } else {
                    set(rightSlot, end, windowEnd - end);
                }
            }
        }
    }

    /**
     * Adds the window {@code [start, end)}, merged with a window that ends at {@code start} and
     * one that starts at {@code end}. The merged window takes the left neighbour's slot, else the
     * right neighbour's, else a free slot. When no slot is free, it replaces the smallest window
     * if that is smaller, and is dropped otherwise.
     */
    private void addMerged(int start, int end) {
        int slot = -1;
        for (int other = 0; other < CAPACITY; other++) {
            if (lengths[other] != 0 && starts[other] + lengths[other] == start) {
                start = starts[other];
                slot = other;
                break;
            }
        }
        for (int other = 0; other < CAPACITY; other++) {
            if (lengths[other] != 0 && starts[other] == end) {
                end = starts[other] + lengths[other];
                if (slot < 0) {
                    slot = other;
                } else {
                    free(other);
                }
                break;
            }
        }
        if (slot < 0) {
            slot = freeSlot();
        }
        if (slot < 0) {
            int smallest = 0;
            for (int other = 1; other < CAPACITY; other++) {
                if (lengths[other] < lengths[smallest]) {
                    smallest = other;
                }
            }
            if (lengths[smallest] >= end - start) {
                return;
            }
            slot = smallest;
        }
        set(slot, start, end - start);
    }

    private int freeSlot() {
        for (int slot = 0; slot < CAPACITY; slot++) {
            if (lengths[slot] == 0) {
                return slot;
            }
        }
        return -1;
    }

    private void set(int slot, int start, int length) {
        starts[slot] = start;
        lengths[slot] = length;
    }

    private void free(int slot) {
        starts[slot] = 0;
        lengths[slot] = 0;
    }
}
