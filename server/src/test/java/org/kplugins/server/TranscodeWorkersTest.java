// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The worker pool with a call that does not stop: a Java task that ignores interrupts stands in
 * for plugin code whose timeout cannot stop it.
 */
class TranscodeWorkersTest {

    /** Blocks until {@code release} opens, ignoring interrupts as plugin code would. */
    private static String stuck(CountDownLatch release) {
        boolean interrupted = false;
        while (true) {
            try {
                release.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return "stuck call returned";
    }

    @Test
    void stuckCallIsAbandonedAndReplaced() throws Exception {
        AtomicInteger exits = new AtomicInteger();
        TranscodeWorkers workers = new TranscodeWorkers("test-worker-", 1, 4, exits::incrementAndGet);
        CountDownLatch release = new CountDownLatch(1);
        try {
            long start = System.nanoTime();
            HttpError timeout = assertThrows(HttpError.class, () -> workers.run(() -> stuck(release),
                            TimeUnit.MILLISECONDS.toNanos(200), () -> new HttpError(504, "did not stop")));
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(504, timeout.status());
            assertTrue(waitedMillis >= 200, "waited " + waitedMillis + " ms");
            assertTrue(waitedMillis < 5000, "waited " + waitedMillis + " ms");
            assertEquals(1, workers.abandonedWorkers());

            // The replacement thread runs the next call while the first one is still stuck.
            assertEquals("next", workers.run(() -> "next", TimeUnit.SECONDS.toNanos(5), () -> new HttpError(504, "late")));

            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((workers.abandonedWorkers() != 0 || exits.get() == 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, workers.abandonedWorkers());
            // The pool shrank back to one thread, and the thread that left ran its exit hook.
            assertEquals(1, exits.get());
            assertEquals("after", workers.run(() -> "after"));
        } finally {
            release.countDown();
            workers.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void closeDoesNotWaitForStuckCall() throws Exception {
        TranscodeWorkers workers = new TranscodeWorkers("test-worker-", 1, 4, () -> {
        });
        CountDownLatch release = new CountDownLatch(1);
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                workers.run(() -> stuck(release));
            } catch (HttpError e) {
                // The stop cancels the call's wait or its queue entry.
            }
        });
        try {
            Thread.sleep(200);
            long start = System.nanoTime();
            workers.close(Duration.ofMillis(300));
            long closeMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(closeMillis < 2000, "close took " + closeMillis + " ms");
            HttpError stopping = assertThrows(HttpError.class, () -> workers.run(() -> "late"));
            assertEquals(503, stopping.status());
        } finally {
            release.countDown();
            caller.join();
        }
    }
}
