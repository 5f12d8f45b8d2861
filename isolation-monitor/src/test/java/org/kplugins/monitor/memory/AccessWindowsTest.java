// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kplugins.monitor.fault.PluginFault;

/**
 * The access windows of {@link AddressSpace}, checked against its page table after random
 * sequences of map, mapWithData, unmap and protect.
 */
class AccessWindowsTest {

    private static final int PAGE = AddressSpace.PAGE_SIZE;
    private static final int RW = PageFlags.PRESENT | PageFlags.WRITABLE;
    private static final int[] FLAG_CHOICES = {PageFlags.PRESENT, RW, PageFlags.PRESENT | PageFlags.EXECUTABLE, PageFlags.ALL};

    /** A page range [start, end) in bytes. */
    private record Range(int start, int end) {
    }

    @Test
    void windowsMatchRunsInSmallSpace() {
        // 16 pages hold at most 8 maximal runs, fewer than the table's capacity, so every run
        // must be exactly one window.
        Random random = new Random(1);
        for (int sequence = 0; sequence < 200; sequence++) {
            AddressSpace space = new AddressSpace("test", 16 * PAGE);
            for (int step = 0; step < 40; step++) {
                applyRandomOperation(space, random);
                String context = "sequence " + sequence + ", step " + step;
                assertWindowsSound(space, space.readWindows(), context);
                assertWindowsSound(space, space.writeWindows(), context);
                assertEquals(maximalRuns(space, PageFlags.PRESENT), windowRanges(space.readWindows()), "read windows, " + context);
                assertEquals(maximalRuns(space, RW), windowRanges(space.writeWindows()), "write windows, " + context);
            }
        }
    }

    @Test
    void windowsStaySoundBeyondCapacity() {
        // 128 pages can hold 64 runs, so the table overflows and drops windows.
        Random random = new Random(2);
        for (int sequence = 0; sequence < 50; sequence++) {
            AddressSpace space = new AddressSpace("test", 128 * PAGE);
            for (int step = 0; step < 200; step++) {
                applyRandomOperation(space, random);
                String context = "sequence " + sequence + ", step " + step;
                assertWindowsSound(space, space.readWindows(), context);
                assertWindowsSound(space, space.writeWindows(), context);
            }
        }
    }

    @Test
    void windowAccessesAgreeWithPageChecks() {
        Random random = new Random(3);
        AddressSpace space = new AddressSpace("test", 32 * PAGE);
        for (int step = 0; step < 2_000; step++) {
            applyRandomOperation(space, random);
            int address = random.nextInt(34 * PAGE) - PAGE;
            int size = 1 << random.nextInt(4);

            int readWindow = space.findReadWindow(address, size);
            if (readWindow != AddressSpace.NO_WINDOW) {
                assertTrue(space.isInReadWindow(readWindow, address, size));
                space.checkRead(null, address, size);
            }
            int writeWindow = space.findWriteWindow(address, size);
            if (writeWindow != AddressSpace.NO_WINDOW) {
                assertTrue(space.isInWriteWindow(writeWindow, address, size));
                space.checkWrite(null, address, size);
            }
        }
    }

    @Test
    void heapGrowingPageByPageKeepsOneWindow() {
        AddressSpace space = new AddressSpace("test", 64 * PAGE);
        space.map(8 * PAGE, PAGE, RW);
        int window = space.findWriteWindow(8 * PAGE, 1);
        for (int page = 9; page < 40; page++) {
            space.map(page * PAGE, PAGE, RW);
            assertEquals(window, space.findWriteWindow(page * PAGE, 1), "window index after mapping page " + page);
        }
        assertTrue(space.isInWriteWindow(window, 8 * PAGE, 32 * PAGE - 8));
    }

    @Test
    void protectSplitsWindow() {
        AddressSpace space = new AddressSpace("test", 16 * PAGE);
        space.map(PAGE, 6 * PAGE, RW);
        int window = space.findWriteWindow(PAGE, 1);
        space.protect(3 * PAGE, PAGE, PageFlags.PRESENT);

        assertEquals(window, space.findWriteWindow(PAGE, 1), "the left part keeps the slot");
        assertEquals(AddressSpace.NO_WINDOW, space.findWriteWindow(3 * PAGE, 1));
        assertFalse(space.isInWriteWindow(window, 3 * PAGE - 1, 2), "a write across the protected page");
        assertTrue(space.findWriteWindow(4 * PAGE, 1) >= 0);
        assertEquals(space.findReadWindow(PAGE, 1), space.findReadWindow(7 * PAGE - 8, 8), "reads still see one window");
    }

    @Test
    void unmappedWindowRejectsAccesses() {
        AddressSpace space = new AddressSpace("test", 16 * PAGE);
        space.map(PAGE, 2 * PAGE, RW);
        int window = space.findReadWindow(PAGE, 1);
        space.unmap(PAGE, 2 * PAGE);
        assertFalse(space.isInReadWindow(window, PAGE, 1));
        assertFalse(space.isInWriteWindow(space.findWriteWindow(PAGE, 1), PAGE, 1));
        assertThrows(PluginFault.class, () -> space.loadI8(null, window, PAGE));
    }

    @Test
    void negativeWindowIndexTakesFullCheck() {
        AddressSpace space = new AddressSpace("test", 16 * PAGE);
        space.map(PAGE, PAGE, RW);
        assertFalse(space.isInReadWindow(AddressSpace.NO_WINDOW, PAGE, 1));
        space.storeI32(null, AddressSpace.NO_WINDOW, PAGE, 7);
        assertEquals(7, space.loadI32(null, -2, PAGE));
        assertThrows(PluginFault.class, () -> space.loadI8(null, AddressSpace.NO_WINDOW, 0));
    }

    @Test
    void mapWithDataCopiesAndZeroesTail() {
        AddressSpace space = new AddressSpace("test", 16 * PAGE);
        space.map(2 * PAGE, 2 * PAGE, RW);
        space.storeI32(null, 3 * PAGE + 16, -1);
        byte[] data = {9, 8, 7, 6, 5};
        space.mapWithData(2 * PAGE, PAGE + 1, PageFlags.PRESENT, data, 1, 3);

        byte[] contents = new byte[2 * PAGE];
        space.hostRead(2 * PAGE, contents, 0, contents.length);
        byte[] expected = new byte[2 * PAGE];
        expected[0] = 8;
        expected[1] = 7;
        expected[2] = 6;
        assertArrayEquals(expected, contents, "the data, then zeros over both pages");
        assertEquals(PageFlags.PRESENT, space.flagsOf(3 * PAGE));
        assertEquals(AddressSpace.NO_WINDOW, space.findWriteWindow(2 * PAGE, 1));
        assertTrue(space.findReadWindow(2 * PAGE, 8) >= 0);
    }

    @Test
    void mapWithDataFromReadOnlyBuffer() {
        AddressSpace space = new AddressSpace("test", 16 * PAGE);
        java.nio.ByteBuffer source = java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}).asReadOnlyBuffer();
        source.position(3);
        space.mapWithData(2 * PAGE, PAGE, PageFlags.PRESENT, source);

        assertEquals(0x04030201, space.loadI32(null, 2 * PAGE), "bytes from index 0 to the limit, not from the position");
        assertEquals(0, space.loadI32(null, 2 * PAGE + 4), "zeros after the data");
        assertEquals(3, source.position(), "the buffer's position is kept");
    }

    @Test
    void hostReadIntoDirectBuffer() {
        AddressSpace space = new AddressSpace("test", 16 * PAGE);
        space.map(2 * PAGE, PAGE, RW);
        space.storeI32(null, 2 * PAGE, 0x0A0B0C0D);
        java.nio.ByteBuffer target = java.nio.ByteBuffer.allocateDirect(8);
        target.position(5);

        space.hostRead(2 * PAGE, target, 4);

        assertEquals(0x0D, target.get(0));
        assertEquals(0x0A, target.get(3));
        assertEquals(5, target.position(), "the buffer's position is kept");
        assertThrows(IndexOutOfBoundsException.class, () -> space.hostRead(2 * PAGE, target, 9));
    }

    @Test
    void mapWithDataRejectsDataLongerThanSize() {
        AddressSpace space = new AddressSpace("test", 16 * PAGE);
        byte[] data = new byte[PAGE + 1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> space.mapWithData(PAGE, PAGE, RW, data, 0, data.length));
        assertEquals("cannot map 4096 bytes at 0x00001000 with 4097 bytes of data: expected 0 to 4096 bytes", e.getMessage());
        assertEquals(0, space.flagsOf(PAGE), "nothing was mapped");
    }

    /** Maps, maps with data, unmaps or protects a random page range, skipping page 0. */
    private static void applyRandomOperation(AddressSpace space, Random random) {
        int pages = space.segmentLimit() / PAGE;
        int first = 1 + random.nextInt(pages - 1);
        int count = 1 + random.nextInt(Math.min(6, pages - first));
        int address = first * PAGE;
        int size = count * PAGE;
        int flags = FLAG_CHOICES[random.nextInt(FLAG_CHOICES.length)];
        switch (random.nextInt(4)) {
            case 0 -> space.map(address, size, flags);
            case 1 -> space.mapWithData(address, size, flags, new byte[]{1, 2, 3}, 0, 3);
            case 2 -> space.unmap(address, size);
            default -> {
                if (allPresent(space, first, count)) {
                    space.protect(address, size, flags);
                }
            }
        }
    }

    private static boolean allPresent(AddressSpace space, int firstPage, int count) {
        for (int page = firstPage; page < firstPage + count; page++) {
            if ((space.flagsOf(page * PAGE) & PageFlags.PRESENT) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Asserts the table's invariant: windows lie below the limit, do not overlap, and cover only pages with the required flags. */
    private static void assertWindowsSound(AddressSpace space, AccessWindows windows, String context) {
        List<Range> ranges = windowRanges(windows);
        for (int i = 0; i < ranges.size(); i++) {
            Range range = ranges.get(i);
            assertTrue(range.start() > 0 && range.end() <= space.segmentLimit(), "window " + range + " out of range, " + context);
            assertEquals(0, range.start() % PAGE, "window start " + range + ", " + context);
            assertEquals(0, range.end() % PAGE, "window end " + range + ", " + context);
            for (int page = range.start(); page < range.end(); page += PAGE) {
                int flags = space.flagsOf(page);
                if ((flags & windows.requiredFlags) != windows.requiredFlags) {
                    fail("window " + range + " covers page 0x" + Integer.toHexString(page) + " with flags " + flags
                                    + ", which lacks " + windows.requiredFlags + "; " + context);
                }
            }
            if (i > 0) {
                assertTrue(ranges.get(i - 1).end() <= range.start(), "windows " + ranges.get(i - 1) + " and " + range + " overlap, " + context);
            }
        }
    }

    /** Returns the windows of the table, sorted by start address. */
    private static List<Range> windowRanges(AccessWindows windows) {
        List<Range> ranges = new ArrayList<>();
        for (int slot = 0; slot < AccessWindows.CAPACITY; slot++) {
            if (windows.lengths[slot] != 0) {
                ranges.add(new Range(windows.starts[slot], windows.starts[slot] + windows.lengths[slot]));
            }
        }
        ranges.sort((a, b) -> Integer.compare(a.start(), b.start()));
        return ranges;
    }

    /** Returns the maximal runs of pages that have all of {@code required}, from the page table. */
    private static List<Range> maximalRuns(AddressSpace space, int required) {
        List<Range> runs = new ArrayList<>();
        int runStart = -1;
        for (int page = 0; page <= space.segmentLimit(); page += PAGE) {
            boolean allowed = page < space.segmentLimit() && (space.flagsOf(page) & required) == required;
            if (allowed && runStart < 0) {
                runStart = page;
            } else if (!allowed && runStart >= 0) {
                runs.add(new Range(runStart, page));
                runStart = -1;
            }
        }
        return runs;
    }

    @Test
    void maximalRunsHelperFindsRuns() {
        AddressSpace space = new AddressSpace("test", 8 * PAGE);
        space.map(PAGE, 2 * PAGE, RW);
        space.map(5 * PAGE, 3 * PAGE, PageFlags.PRESENT);
        assertEquals(Arrays.asList(new Range(PAGE, 3 * PAGE), new Range(5 * PAGE, 8 * PAGE)), maximalRuns(space, PageFlags.PRESENT));
        assertEquals(List.of(new Range(PAGE, 3 * PAGE)), maximalRuns(space, RW));
    }
}
