// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The shared address-space tests on a native backing store, and what machine code relies on: plugin
 * address {@code a} is byte {@code a} of the segment, and the native page table follows every
 * change of the page table.
 */
class NativeBackedAddressSpaceTest extends AddressSpaceTest {

    @Override
    AddressSpace create(String pluginName, int segmentLimit) {
        return AddressSpace.withNativeMemory(pluginName, segmentLimit, Arena.ofAuto().allocate(segmentLimit));
    }

    @Test
    void storesLandAtTheirAddressInTheSegment() {
        AddressSpace space = newSpace();
        space.storeI32(null, 0x1004, 0x11223344);
        space.storeI64(null, 0x1FFC, 0x0102030405060708L);

        MemorySegment memory = space.nativeMemory();
        assertEquals(0x11223344, memory.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0x1004));
        assertEquals((byte) 0x08, memory.get(ValueLayout.JAVA_BYTE, 0x1FFC));
        assertEquals((byte) 0x01, memory.get(ValueLayout.JAVA_BYTE, 0x2003));
    }

    @Test
    void nativePageTableFollowsChanges() {
        AddressSpace space = newSpace();
        MemorySegment table = space.nativePageTable();
        assertEquals(AddressSpace.NATIVE_PAGE_TABLE_ENTRIES, table.byteSize());
        for (int page = 0; page < LIMIT / PAGE; page++) {
            assertEquals(space.flagsOf(page * PAGE), table.get(ValueLayout.JAVA_BYTE, page), "page " + page);
        }
        for (int page = LIMIT / PAGE; page < AddressSpace.NATIVE_PAGE_TABLE_ENTRIES; page += 4093) {
            assertEquals(0, table.get(ValueLayout.JAVA_BYTE, page), "page " + page + " beyond the limit");
        }
        assertEquals(0, table.get(ValueLayout.JAVA_BYTE, AddressSpace.NATIVE_PAGE_TABLE_ENTRIES - 1), "page 2^20");

        space.protect(0x1000, PAGE, 0);
        assertEquals(PageFlags.PRESENT, table.get(ValueLayout.JAVA_BYTE, 1));
        space.unmap(0x2000, PAGE);
        assertEquals(0, table.get(ValueLayout.JAVA_BYTE, 2));
        space.map(0x5000, 2 * PAGE, RW);
        assertEquals(RW, table.get(ValueLayout.JAVA_BYTE, 5));
        assertEquals(RW, table.get(ValueLayout.JAVA_BYTE, 6));

        space.release();
        for (int page = 0; page < LIMIT / PAGE; page++) {
            assertEquals(0, table.get(ValueLayout.JAVA_BYTE, page), "page " + page + " after release");
        }
    }

    @Test
    void mapZeroFillsReusedPages() {
        AddressSpace space = newSpace();
        space.storeI64(null, 0x2000, -1L);
        space.unmap(0x2000, PAGE);
        space.map(0x2000, PAGE, RW);
        assertEquals(0L, space.loadI64(null, 0x2000));
    }

    @Test
    void mapWithDataFromBufferIgnoresPosition() {
        AddressSpace space = newSpace();
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
        buffer.position(3);
        space.mapWithData(0x5000, PAGE, PageFlags.PRESENT, buffer.asReadOnlyBuffer());
        byte[] out = new byte[6];
        space.hostRead(0x5000, out, 0, 6);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 0}, out);
        assertEquals(3, buffer.position());

        ByteBuffer copy = ByteBuffer.allocateDirect(4);
        space.hostRead(0x5001, copy, 4);
        assertEquals(0x05040302, copy.order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }

    @Test
    void arrayBackedSpaceHasNoNativeMemory() {
        AddressSpace space = new AddressSpace("test", LIMIT);
        assertNull(space.nativeMemory());
        assertNull(space.nativePageTable());
    }

    @Test
    void withNativeMemoryRejectsSmallOrHeapSegments() {
        assertThrows(IllegalArgumentException.class,
                        () -> AddressSpace.withNativeMemory("test", LIMIT, Arena.ofAuto().allocate(LIMIT - PAGE)));
        assertThrows(IllegalArgumentException.class,
                        () -> AddressSpace.withNativeMemory("test", LIMIT, MemorySegment.ofArray(new byte[LIMIT])));
        MemorySegment memory = Arena.ofAuto().allocate(LIMIT);
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> AddressSpace.withNativeMemory(
                        "test", LIMIT, memory, Arena.ofAuto().allocate(AddressSpace.NATIVE_PAGE_TABLE_ENTRIES - 1)));
        assertEquals("invalid native page table of " + (AddressSpace.NATIVE_PAGE_TABLE_ENTRIES - 1) + " bytes: expected a"
                        + " native segment of at least " + AddressSpace.NATIVE_PAGE_TABLE_ENTRIES + " zero bytes", small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressSpace.withNativeMemory("test", LIMIT, memory,
                        MemorySegment.ofArray(new byte[AddressSpace.NATIVE_PAGE_TABLE_ENTRIES])));
    }

    @Test
    void pageTableMayBeGivenByTheCaller() {
        MemorySegment table = Arena.ofAuto().allocate(AddressSpace.NATIVE_PAGE_TABLE_ENTRIES + PAGE);
        AddressSpace space = AddressSpace.withNativeMemory("test", LIMIT, Arena.ofAuto().allocate(LIMIT), table);
        space.map(PAGE, PAGE, RW);
        assertEquals(table, space.nativePageTable());
        assertEquals(RW, table.get(ValueLayout.JAVA_BYTE, 1));
        assertEquals(0, table.get(ValueLayout.JAVA_BYTE, 2));
    }

    @Test
    void trimReleasesPagesOnlyWithReleaser() {
        MemorySegment memory = Arena.ofAuto().allocate(LIMIT);
        AddressSpace keeping = AddressSpace.withNativeMemory("test", LIMIT, memory);
        keeping.map(PAGE, PAGE, RW);
        keeping.map(8 * PAGE, 4 * PAGE, RW);
        keeping.unmap(8 * PAGE, 4 * PAGE);
        assertEquals(0, keeping.trim(), "without a releaser the pages stay");
        assertEquals(12 * PAGE, keeping.residentBytes());

        java.util.List<MemorySegment> released = new java.util.ArrayList<>();
        AddressSpace trimming = AddressSpace.withNativeMemory("test", LIMIT, Arena.ofAuto().allocate(LIMIT),
                        Arena.ofAuto().allocate(AddressSpace.NATIVE_PAGE_TABLE_ENTRIES), released::add);
        trimming.map(PAGE, PAGE, RW);
        trimming.storeI32(null, PAGE, 77);
        trimming.map(8 * PAGE, 4 * PAGE, RW);
        trimming.unmap(8 * PAGE, 4 * PAGE);
        assertEquals(10 * PAGE, trimming.trim());
        assertEquals(2 * PAGE, trimming.residentBytes());
        assertEquals(1, released.size());
        assertEquals(trimming.nativeMemory().address() + 2 * PAGE, released.get(0).address());
        assertEquals(10 * PAGE, released.get(0).byteSize());
        assertEquals(77, trimming.loadI32(null, PAGE));
    }
}
