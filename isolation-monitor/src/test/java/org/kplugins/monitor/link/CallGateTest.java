// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallGateTest {

    private final AtomicInteger releases = new AtomicInteger();
    private final CallGate gate = new CallGate(releases::incrementAndGet);

    private CallGate.Slot addSlot() {
        CallGate.Slot slot = new CallGate.Slot();
        gate.add(slot);
        return slot;
    }

    @Test
    void runningCallsCountsEverySlot() {
        CallGate.Slot first = addSlot();
        CallGate.Slot second = addSlot();

        assertTrue(gate.enter(first));
        assertTrue(gate.enter(first));
        assertTrue(gate.enter(second));
        assertEquals(2, first.running());
        assertEquals(1, second.running());
        assertEquals(3, gate.runningCalls());

        gate.exit(first);
        gate.exit(second);
        assertEquals(1, gate.runningCalls());
        gate.exit(first);
        assertEquals(0, gate.runningCalls());
        assertEquals(0, releases.get());
    }

    @Test
    void retireReleasesAtOnceWhenIdle() {
        CallGate.Slot slot = addSlot();
        assertTrue(gate.enter(slot));
        gate.exit(slot);

        assertTrue(gate.retire());
        assertTrue(gate.isRetired());
        assertEquals(1, releases.get());
        assertFalse(gate.retire());
        assertEquals(1, releases.get());
    }

    @Test
    void enterAfterRetireCountsNothing() {
        CallGate.Slot slot = addSlot();
        gate.retire();

        assertFalse(gate.enter(slot));
        assertEquals(0, slot.running());
        assertEquals(0, gate.runningCalls());
        assertFalse(gate.enter(addSlot()));
        assertEquals(1, releases.get());
    }

    @Test
    void lastExitReleasesAfterRetire() {
        CallGate.Slot nested = addSlot();
        CallGate.Slot other = addSlot();
        assertTrue(gate.enter(nested));
        assertTrue(gate.enter(nested));
        assertTrue(gate.enter(other));

        assertTrue(gate.retire());
        assertEquals(0, releases.get());
        gate.exit(other);
        assertEquals(0, releases.get());
        gate.exit(nested);
        assertEquals(0, releases.get(), "one call of the nested slot still runs");
        gate.exit(nested);
        assertEquals(1, releases.get());

        // A call refused after the release does not release again.
        assertFalse(gate.enter(other));
        assertEquals(1, releases.get());
    }

    @Test
    void removeRejectsRunningSlot() {
        CallGate.Slot slot = addSlot();
        assertTrue(gate.enter(slot));

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> gate.remove(slot));
        assertEquals("cannot remove the call slot of a thread that runs 1 call(s)", error.getMessage());
        assertEquals(1, gate.runningCalls());
        gate.exit(slot);
    }

    @Test
    void removedSlotNoLongerCounts() {
        CallGate.Slot remaining = addSlot();
        CallGate.Slot removed = addSlot();
        assertTrue(gate.enter(remaining));
        gate.remove(removed);
        gate.remove(removed);

        assertEquals(1, gate.runningCalls());
        gate.retire();
        assertEquals(0, releases.get());
        gate.exit(remaining);
        assertEquals(1, releases.get());
    }

    /**
     * Caller threads enter and exit through slots of their own while the main thread retires the
     * gate, many times over. The release must run exactly once per gate, never while an admitted
     * call runs, and every caller must be refused in the end.
     */
    @Test
    void retireRacesWithCallers() throws Exception {
        int callers = 3;
        for (int round = 0; round < 200; round++) {
            AtomicInteger roundReleases = new AtomicInteger();
            AtomicBoolean released = new AtomicBoolean();
            AtomicLong callsAfterRelease = new AtomicLong();
            CallGate raced = new CallGate(() -> {
                roundReleases.incrementAndGet();
                released.set(true);
            });
            CountDownLatch started = new CountDownLatch(callers);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                Thread caller = new Thread(() -> {
                    CallGate.Slot slot = new CallGate.Slot();
                    raced.add(slot);
                    started.countDown();
                    while (raced.enter(slot)) {
                        if (released.get()) {
                            callsAfterRelease.incrementAndGet();
                        }
                        raced.exit(slot);
                    }
                });
                caller.setUncaughtExceptionHandler((thread, error) -> {
                    synchronized (failures) {
                        failures.add(error);
                    }
                });
                threads.add(caller);
                caller.start();
            }
            assertTrue(started.await(30, TimeUnit.SECONDS));
            raced.retire();
            for (Thread caller : threads) {
                caller.join(30_000);
                assertFalse(caller.isAlive(), "a caller was still admitted after the retire");
            }

            assertEquals(List.of(), failures);
            assertEquals(1, roundReleases.get(), "releases in round " + round);
            assertEquals(0, callsAfterRelease.get(), "calls admitted after the release in round " + round);
            assertEquals(0, raced.runningCalls());
        }
    }
}
