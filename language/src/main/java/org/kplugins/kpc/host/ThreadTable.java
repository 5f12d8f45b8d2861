// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

/**
 * Entries owned by threads and found by thread id, in an open-addressed hash table with linear
 * probing. A table is an array that is never changed once built: its owner keeps it in a volatile
 * field, reads it without a lock, and replaces it under a lock of its own with the table that
 * {@link #with} or {@link #without} builds. A lookup finds its entry in the first slot it probes
 * unless two threads' ids collide. That takes fewer dependent loads than a {@link ThreadLocal}, and
 * a call from the host pays for each of them.
 *
 * <p>The length of a table is a power of two at least twice its number of entries, so that every
 * probe sequence ends at a null.
 */
final class ThreadTable {

    /** An entry of one thread; a table has at most one entry per thread. */
    interface Entry {

        /** Returns the {@link Thread#threadId()} of the owning thread, which the JVM never gives to another thread. */
        long threadId();
    }

    private static final int MIN_LENGTH = 4;

    private ThreadTable() {
    }

    /** Returns a table without entries. */
    static Entry[] empty() {
        return new Entry[MIN_LENGTH];
    }

    /** Returns the entry of the thread with id {@code threadId} in {@code table}, or null. */
    @SuppressWarnings("unchecked")
    static <E extends Entry> E get(Entry[] table, long threadId) {
        int mask = table.length - 1;
        for (int i = indexOf(threadId, mask);; i = (i + 1) & mask) {
            Entry entry = table[i];
            if (entry == null || entry.threadId() == threadId) {
                return (E) entry;
            }
        }
    }

    /** Returns a copy of {@code table} with {@code added} in place of the entry of its thread, if there is one. */
    static Entry[] with(Entry[] table, Entry added) {
        return rebuild(table, added.threadId(), added);
    }

    /** Returns a copy of {@code table} without the entry of the thread with id {@code threadId}. */
    static Entry[] without(Entry[] table, long threadId) {
        return rebuild(table, threadId, null);
    }

    /** Returns the number of entries in {@code table}. */
    static int size(Entry[] table) {
        int size = 0;
        for (Entry entry : table) {
            if (entry != null) {
                size++;
            }
        }
        return size;
    }

    /** Copies the entries of every thread but {@code threadId}, plus {@code added} unless it is null. */
    private static Entry[] rebuild(Entry[] table, long threadId, Entry added) {
        int count = added == null ? 0 : 1;
        for (Entry entry : table) {
            if (entry != null && entry.threadId() != threadId) {
                count++;
            }
        }
        int length = MIN_LENGTH;
        while (length < 2 * count) {
            length *= 2;
        }
        Entry[] next = new Entry[length];
        for (Entry entry : table) {
            if (entry != null && entry.threadId() != threadId) {
                insert(next, entry);
            }
        }
        if (added != null) {
            insert(next, added);
        }
        return next;
    }

    private static void insert(Entry[] table, Entry entry) {
        int mask = table.length - 1;
        int i = indexOf(entry.threadId(), mask);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = entry;
    }

    /** Thread ids are handed out in sequence, so their low bits spread the threads of a pool over the table. */
    private static int indexOf(long threadId, int mask) {
        return (int) threadId & mask;
    }
}
