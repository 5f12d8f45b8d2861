// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The clock of kpc.CallTimeout: one daemon thread for the whole JVM that runs the expiry of each
 * timed call from the host. {@link PluginInstance} arms it when a call starts and cancels it when
 * the call returns, so the thread only wakes for calls that run past their deadline.
 */
final class CallTimer {

    /**
     * Time between two stop requests to machine code that has not stopped yet, in nanoseconds.
     * The stop request writes the step counter that the machine code decrements without a lock,
     * so a request that lands between the code's read and write of the counter is lost, and the
     * next one repeats it.
     */
    static final long RESTOP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static final ScheduledThreadPoolExecutor TIMER = createTimer();

    private CallTimer() {
    }

    private static ScheduledThreadPoolExecutor createTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                        Thread.ofPlatform().name("kpc-call-timer").daemon(true).factory());
        // Most calls return before their deadline; their cancelled expiries leave the queue at once.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Runs {@code expiry} on the timer thread after {@code delayNanos}, unless the returned future is cancelled first. */
    static ScheduledFuture<?> schedule(Runnable expiry, long delayNanos) {
        return TIMER.schedule(expiry, delayNanos, TimeUnit.NANOSECONDS);
    }
}
