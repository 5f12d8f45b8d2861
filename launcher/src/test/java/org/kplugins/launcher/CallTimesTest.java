// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CallTimesTest {

    private static CallTimes of(long... nanos) {
        CallTimes times = new CallTimes();
        for (long value : nanos) {
            times.add(value);
        }
        return times;
    }

    @Test
    void singleCallHasNoWarmedTime() {
        CallTimes times = of(500);
        assertEquals(500, times.first());
        assertEquals(0, times.warmedCount());
        assertThrows(IllegalStateException.class, times::warmedMedian);
    }

    @Test
    void warmedMedianSkipsFirstCall() {
        CallTimes times = of(1000, 5, 1, 3);
        assertEquals(3, times.warmedCount());
        assertEquals(3, times.warmedMedian());
    }

    @Test
    void evenCountAveragesMiddlePair() {
        assertEquals(25, of(1000, 10, 40, 20, 30).warmedMedian());
    }

    @Test
    void onlyLastTenCallsCount() {
        // Calls 2 to 5 are slow and fall outside the last ten.
        CallTimes times = of(1000, 900, 900, 900, 900, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertEquals(10, times.warmedCount());
        assertEquals(5, times.warmedMedian());
    }

    @Test
    void millisHasTwoDecimals() {
        assertEquals("1.50 ms", CallTimes.millis(1_500_000));
    }
}
