// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThreadTableTest {

    private record Owned(long threadId, String name) implements ThreadTable.Entry {
    }

    @Test
    void emptyTableFindsNothing() {
        ThreadTable.Entry[] table = ThreadTable.empty();
        assertNull(ThreadTable.get(table, 1));
        assertEquals(0, ThreadTable.size(table));
    }

    @Test
    void collidingIdsAreAllFound() {
        // Ids 3, 11 and 19 share their low three bits, so they collide in tables of length 4 and 8.
        Owned first = new Owned(3, "first");
        Owned second = new Owned(11, "second");
        Owned third = new Owned(19, "third");
        ThreadTable.Entry[] table = ThreadTable.with(ThreadTable.with(ThreadTable.with(ThreadTable.empty(), first),
                        second), third);

        assertSame(first, ThreadTable.get(table, 3));
        assertSame(second, ThreadTable.get(table, 11));
        assertSame(third, ThreadTable.get(table, 19));
        assertNull(ThreadTable.get(table, 27));
        assertEquals(3, ThreadTable.size(table));
    }

    @Test
    void tableGrowsToTwiceItsEntries() {
        ThreadTable.Entry[] table = ThreadTable.empty();
        for (long id = 1; id <= 100; id++) {
            table = ThreadTable.with(table, new Owned(id * 7, "thread " + id));
        }

        assertEquals(100, ThreadTable.size(table));
        assertTrue(table.length >= 200, "length " + table.length);
        assertEquals(0, table.length & (table.length - 1), "length " + table.length + " is a power of two");
        for (long id = 1; id <= 100; id++) {
            Owned found = ThreadTable.get(table, id * 7);
            assertEquals("thread " + id, found.name());
        }
    }

    @Test
    void withReplacesEntryOfSameThread() {
        ThreadTable.Entry[] table = ThreadTable.with(ThreadTable.empty(), new Owned(5, "old"));
        ThreadTable.Entry[] replaced = ThreadTable.with(table, new Owned(5, "new"));

        assertEquals("new", ThreadTable.<Owned>get(replaced, 5).name());
        assertEquals(1, ThreadTable.size(replaced));
        assertEquals("old", ThreadTable.<Owned>get(table, 5).name(), "the old table is unchanged");
    }

    @Test
    void withoutKeepsOtherThreads() {
        ThreadTable.Entry[] table = ThreadTable.empty();
        for (long id = 0; id < 8; id++) {
            table = ThreadTable.with(table, new Owned(id * 4, "thread " + id));
        }
        ThreadTable.Entry[] smaller = ThreadTable.without(table, 12);

        assertNull(ThreadTable.get(smaller, 12));
        assertEquals(7, ThreadTable.size(smaller));
        for (long id = 0; id < 8; id++) {
            if (id != 3) {
                assertEquals("thread " + id, ThreadTable.<Owned>get(smaller, id * 4).name());
            }
        }
        assertEquals(8, ThreadTable.size(ThreadTable.without(table, 99)));
    }
}
