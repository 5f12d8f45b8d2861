// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.link;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls running in one plugin and releases the plugin after it is retired and the last
 * of them has returned. A call {@link #enter enters} before it touches the plugin and
 * {@link #exit exits} when it is done; once {@link #retire} has run, no call enters again, and the
 * release action runs exactly once, on the thread that brings the count to zero (or on the retiring
 * thread when no call is running).
 */
public final class CallGate {

    /** Set in {@link #state} once retired; the low bits count the running calls. */
    private static final long RETIRED = 1L << 62;

    private final AtomicLong state = new AtomicLong();
    private final Runnable release;

    /** @param release what to do once the gate is retired and idle, for example closing the plugin's contexts */
    public CallGate(Runnable release) {
        this.release = release;
    }

    /** Admits a call: returns false, counting nothing, when the gate is retired. */
    public boolean enter() {
        long current;
        do {
            current = state.get();
            if ((current & RETIRED) != 0) {
                return false;
            }
        } while (!state.compareAndSet(current, current + 1));
        return true;
    }

    /** Ends a call admitted by {@link #enter}. */
    public void exit() {
        if (state.decrementAndGet() == RETIRED) {
            release.run();
        }
    }

    /**
     * Stops admitting calls. Returns false if the gate was retired already. The release action runs
     * now if no call is running, or when the last running call exits.
     */
    public boolean retire() {
        long current;
        do {
            current = state.get();
            if ((current & RETIRED) != 0) {
                return false;
            }
        } while (!state.compareAndSet(current, current | RETIRED));
        if (current == 0) {
            release.run();
        }
        return true;
    }

    public boolean isRetired() {
        return (state.get() & RETIRED) != 0;
    }

    /** Returns the number of calls running now. */
    public long runningCalls() {
        return state.get() & ~RETIRED;
    }
}
