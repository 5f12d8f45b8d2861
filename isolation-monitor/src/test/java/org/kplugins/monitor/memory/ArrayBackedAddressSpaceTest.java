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
}
