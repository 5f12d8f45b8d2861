// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Wall-clock times of repeated plugin calls, in nanoseconds, in call order. */
final class CallTimes {

    /** The maximum number of calls that the warmed time covers. */
    static final int MAX_WARMED_CALLS = 10;

    private final List<Long> nanos = new ArrayList<>();

    void add(long callNanos) {
        nanos.add(callNanos);
    }

    int count() {
        return nanos.size();
    }

    /** Returns the time of the first call, which includes interpreting and compiling cold code. */
    long first() {
        return nanos.get(0);
    }

    /** Returns how many calls {@link #warmedMedian()} covers: the last min(N - 1, 10). */
    int warmedCount() {
        return Math.min(nanos.size() - 1, MAX_WARMED_CALLS);
    }

    /**
     * Returns the median of the last {@link #warmedCount()} calls, averaging the two middle
     * values for an even count.
     *
     * @throws IllegalStateException if there was only one call
     */
    long warmedMedian() {
        int count = warmedCount();
        if (count < 1) {
            throw new IllegalStateException("a warmed time needs at least two calls");
        }
        long[] warmed = nanos.subList(nanos.size() - count, nanos.size()).stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(warmed);
        int middle = count / 2;
        return count % 2 == 1 ? warmed[middle] : (warmed[middle - 1] + warmed[middle]) / 2;
    }

    /** Formats nanoseconds as milliseconds with two decimals, for example {@code 12.34 ms}. */
    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
