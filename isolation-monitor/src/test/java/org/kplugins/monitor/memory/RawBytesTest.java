// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bounds check of {@link RawBytes}, which alone keeps its accesses inside the array. */
class RawBytesTest {

    @ParameterizedTest(name = "length {0}, base {1}, end {2}: {3}")
    @CsvSource({
        "10, 0, 1, true",
        "10, 9, 1, true",
        "10, 10, 1, false",
        "10, 8, 2, true",
        "10, 9, 2, false",
        "10, 0, 10, true",
        "10, 0, 11, false",
        "10, 1, 10, false",
        "10, -1, 1, false",
        "10, -2, 3, false",
        "10, 2147483647, 1, false",
        "0, 0, 1, false",
        "4, 0, 4104, false",
        "8192, 4087, 4105, true",
        "8192, 4088, 4105, false",
    })
    void coversExactlyTheBytesInsideTheArray(int length, int base, int end, boolean expected) {
        assertEquals(expected, RawBytes.covers(new byte[length], base, end));
    }

    @Test
    void readsAndWritesAtBasePlusDisplacement() {
        assertTrue(RawBytes.AVAILABLE, "sun.misc.Unsafe is available on the test JVM");
        byte[] array = new byte[16];
        RawBytes.putByte(array, 5, 3, (byte) 0x7f);
        assertEquals(0x7f, array[8]);
        array[15] = -2;
        assertEquals(-2, RawBytes.getByte(array, 12, 3));
    }

    @Test
    void wideValuesAreLittleEndian() {
        byte[] array = new byte[32];
        RawBytes.putShort(array, 3, 2, (short) 0x1234);
        assertArrayEquals(new byte[] {0x34, 0x12}, Arrays.copyOfRange(array, 5, 7));
        RawBytes.putInt(array, 7, 1, 0x89ABCDEF);
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xCD, (byte) 0xAB, (byte) 0x89}, Arrays.copyOfRange(array, 8, 12));
        RawBytes.putLong(array, 13, 3, 0x0102030405060708L);
        assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, Arrays.copyOfRange(array, 16, 24));

        assertEquals((short) 0x1234, RawBytes.getShort(array, 0, 5));
        assertEquals(0x89ABCDEF, RawBytes.getInt(array, 4, 4));
        assertEquals(0x0102030405060708L, RawBytes.getLong(array, 15, 1));
        // Unaligned: the int that starts in the middle of the short and the long.
        assertEquals(0xCDEF0012, RawBytes.getInt(array, 6, 0));
    }
}
