// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kplugins.monitor.fault.Access;
import org.kplugins.monitor.fault.FaultKind;
import org.kplugins.monitor.fault.FaultReport;
import org.kplugins.monitor.fault.PluginFault;

class PluginHeapTest {

    private static final int PAGE = AddressSpace.PAGE_SIZE;
    private static final int HEAP_BASE = 0x10000;
    private static final int HEAP_SIZE = 4 * PAGE;

    private final AddressSpace space = new AddressSpace("heap-test", 64 * PAGE);
    private final PluginHeap heap = new PluginHeap(space, HEAP_BASE, HEAP_SIZE);

    @Test
    void allocateReturnsAlignedWritableBlocks() {
        int first = heap.allocate(5);
        int second = heap.allocate(12);
        assertEquals(HEAP_BASE, first);
        assertEquals(HEAP_BASE + 8, second);
        assertEquals(8, heap.blockSize(first));
        assertEquals(16, heap.blockSize(second));

        space.storeI64(null, first, -1L);
        space.storeI64(null, second + 8, 42L);
        assertEquals(42L, space.loadI64(null, second + 8));
        assertEquals(PageFlags.PRESENT | PageFlags.WRITABLE, space.flagsOf(HEAP_BASE));
    }

    @Test
    void pagesMappedOnDemand() {
        assertEquals(0, space.flagsOf(HEAP_BASE));
        heap.allocate(PAGE + 1);
        assertEquals(PageFlags.PRESENT | PageFlags.WRITABLE, space.flagsOf(HEAP_BASE + PAGE));
        assertEquals(0, space.flagsOf(HEAP_BASE + 2 * PAGE));
    }

    @Test
    void allocateZeroReturnsUniquePointer() {
        int first = heap.allocate(0);
        int second = heap.allocate(0);
        assertNotEquals(0, first);
        assertNotEquals(first, second);
        heap.free(null, first);
        heap.free(null, second);
        assertEquals(0, heap.liveBlockCount());
    }

    @Test
    void freedBlockIsReused() {
        int first = heap.allocate(64);
        int second = heap.allocate(64);
        heap.free(null, first);
        assertEquals(first, heap.allocate(32));
        assertEquals(first + 32, heap.allocate(32), "first fit splits the rest of the freed block");
        assertEquals(second + 64, heap.allocate(8));
    }

    @Test
    void adjacentFreeBlocksCoalesce() {
        int a = heap.allocate(16);
        int b = heap.allocate(16);
        int c = heap.allocate(16);
        heap.allocate(16);

        heap.free(null, a);
        heap.free(null, c);
        heap.free(null, b);
        assertEquals(a, heap.allocate(48), "a, b and c merge into one 48-byte block");
    }

    @Test
    void freeAtTopShrinksHeap() {
        int a = heap.allocate(16);
        int b = heap.allocate(16);
        heap.free(null, b);
        heap.free(null, a);
        assertEquals(0, heap.extent());
        assertEquals(HEAP_BASE, heap.allocate(HEAP_SIZE));
    }

    @Test
    void outOfMemoryReturnsNull() {
        assertEquals(0, heap.allocate(HEAP_SIZE + 1));
        assertEquals(0, heap.allocate(-1), "size is unsigned, so -1 is 4 GiB - 1");
        int whole = heap.allocate(HEAP_SIZE);
        assertEquals(HEAP_BASE, whole);
        assertEquals(0, heap.allocate(1));
        heap.free(null, whole);
        assertEquals(HEAP_BASE, heap.allocate(1));
    }

    @Test
    void freeNullDoesNothing() {
        heap.allocate(8);
        heap.free(null, 0);
        assertEquals(1, heap.liveBlockCount());
    }

    @Test
    void doubleFreeFaults() {
        int block = heap.allocate(32);
        heap.free(null, block);
        FaultReport report = assertThrows(PluginFault.class, () -> heap.free(null, block)).report();
        assertEquals(FaultKind.GENERAL_PROTECTION, report.kind());
        assertEquals(block, report.address());
        assertEquals(Access.NONE, report.access());
        assertEquals("kp_free(0x00010000): not a live block returned by kp_alloc", report.detail());
    }

    @Test
    void interiorPointerFreeFaults() {
        int block = heap.allocate(32);
        PluginFault fault = assertThrows(PluginFault.class, () -> heap.free(null, block + 8));
        assertEquals(FaultKind.GENERAL_PROTECTION, fault.kind());
        assertEquals("heap-test: fault: general-protection fault: kp_free(0x00010008): not a live block returned"
                        + " by kp_alloc in plugin heap-test", fault.getMessage());
        assertEquals(32, heap.blockSize(block), "a rejected free leaves the block live");
    }

    @Test
    void constructorRejectsInvalidRanges() {
        assertThrows(IllegalArgumentException.class, () -> new PluginHeap(space, 0, PAGE));
        assertThrows(IllegalArgumentException.class, () -> new PluginHeap(space, HEAP_BASE + 8, PAGE));
        assertThrows(IllegalArgumentException.class, () -> new PluginHeap(space, HEAP_BASE, PAGE + 8));
        assertThrows(IllegalArgumentException.class, () -> new PluginHeap(space, HEAP_BASE, 64 * PAGE));
    }
}
