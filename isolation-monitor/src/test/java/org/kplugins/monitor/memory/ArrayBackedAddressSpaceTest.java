// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kplugins.monitor.fault.FaultKind;

/** The shared address-space tests on the byte-array backing store, and how that store grows. */
class ArrayBackedAddressSpaceTest extends AddressSpaceTest {

    @Override
    AddressSpace create(String pluginName, int segmentLimit) {
        return new AddressSpace(pluginName, segmentLimit);
    }

    @Test
    void constructorRejectsInvalidLimits() {
        assertThrows(IllegalArgumentException.class, () -> new AddressSpace("test", 0));
        assertThrows(IllegalArgumentException.class, () -> new AddressSpace("test", PAGE + 1));
        assertThrows(IllegalArgumentException.class, () -> new AddressSpace("test", Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new AddressSpace("test", -PAGE));
        assertEquals(AddressSpace.MAX_SEGMENT_LIMIT, new AddressSpace("test", AddressSpace.MAX_SEGMENT_LIMIT).segmentLimit());
    }

    @Test
    void backingStoreGrowsOnDemand() {
        AddressSpace space = new AddressSpace("test", 256 << 20);
        assertEquals(0, space.residentBytes());

        space.map(0x1000, PAGE, RW);
        assertEquals(2 * PAGE, space.residentBytes());

        space.map(0x2000, PAGE, RW);
        assertEquals(4 * PAGE, space.residentBytes(), "growth doubles the backing store");

        space.map(0x10_0000, PAGE, RW);
        assertEquals(0x10_1000, space.residentBytes());
        space.storeI64(null, 0x10_0FF8, 99L);
        assertEquals(99L, space.loadI64(null, 0x10_0FF8));
        assertEquals(FaultKind.PAGE_NOT_PRESENT, expectFault(() -> space.loadI8(null, 0x10_1000)).kind());
    }

    @Test
    void backingStoreGrowthCappedAtLimit() {
        AddressSpace space = new AddressSpace("test", 3 * PAGE);
        space.map(PAGE, PAGE, RW);
        space.map(2 * PAGE, PAGE, RW);
        assertEquals(3 * PAGE, space.residentBytes());
    }

    @Test
    void growthAboveDoublingLimitIsExact() {
        AddressSpace space = new AddressSpace("test", 256 << 20);
        space.limitDoubling(16 * PAGE);
        space.map(PAGE, 8 * PAGE, RW);
        assertEquals(9 * PAGE, space.residentBytes());
        space.map(9 * PAGE, PAGE, RW);
        assertEquals(16 * PAGE, space.residentBytes(), "doubling stops at the limit");

        space.map(16 * PAGE, 3 * PAGE, RW);
        assertEquals(19 * PAGE, space.residentBytes());
        space.map(19 * PAGE, 1, RW);
        assertEquals(20 * PAGE, space.residentBytes(), "each mapping above the limit grows the store by its size");
    }

    @Test
    void trimKeepsPresentPagesAndTheirBytes() {
        AddressSpace space = new AddressSpace("test", 256 << 20);
        space.map(PAGE, 2 * PAGE, RW);
        space.storeI32(null, 2 * PAGE + 8, 0x12345678);
        space.map(0x10_0000, 64 * PAGE, RW);
        space.unmap(0x10_0000, 64 * PAGE);

        assertEquals(0x14_0000 - 3 * PAGE, space.trim());
        assertEquals(3 * PAGE, space.residentBytes());
        assertEquals(0x12345678, space.loadI32(null, 2 * PAGE + 8));
        assertEquals(0, space.trim(), "nothing is left to trim");

        space.map(0x10_0000, PAGE, RW);
        assertEquals(0, space.loadI64(null, 0x10_0000), "a page mapped again after a trim reads as zero");
    }
}
