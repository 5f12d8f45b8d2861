// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.ThreadLocalAction;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.kplugins.kpc.KpcContext;

/**
 * The call timeout (kpc.CallTimeout) of one plugin instance. It numbers the calls from the host,
 * arms {@link CallTimer} when one starts, and stops a call that outlives its deadline:
 *
 * <ul>
 * <li>Truffle nodes (the interp and jit tiers, and the auto tier before it compiles a plugin) are
 * stopped by a Truffle thread-local action. Truffle polls for such actions at every loop back
 * edge and function return, in the interpreter and in compiled code, and the action throws the
 * TIMEOUT fault there. The emulated CPU polls at every backward jump of the machine code, so the
 * same action stops the emulated tier.</li>
 * <li>Machine code on the host processor (the native tier, and the auto tier once it compiled
 * the plugin) never polls, so the expiry sets the step counter of the call's context block to a
 * negative value. The code faults at its next loop iteration, goto or call, where it counts a
 * step, and {@link Faults#budgetUsedUp} reports that fault as TIMEOUT. The counter cannot stop
 * the emulated CPU reliably, because its compiled code may keep the counter in a register.</li>
 * </ul>
 *
 * <p>Either way the call stops at its next step. Between two steps the plugin runs straight-line
 * code, and one step can still copy a large struct, work that the plugin's memory bounds.
 * The owner thread runs {@link #begin} and {@link #end}; the timer thread runs {@link #expire}.
 */
final class CallWatch {

    private final PluginInstance instance;
    private final KpcContext context;
    private final long timeoutMillis;
    /** Serializes the end of a call with its expiry, so a late expiry never stops the next call. */
    private final Object lock = new Object();
    /** Number of the last call from the host; only the owner thread writes it. */
    private long lastCall;
    /** Number of the call running now, 0 between calls. */
    private volatile long activeCall;
    /** Number of the last call that expired. */
    private volatile long expiredCall;
    /** The thread of the running call, which the thread-local action runs on. */
    private volatile Thread callThread;
    private ScheduledFuture<?> timer;

    CallWatch(PluginInstance instance, KpcContext context, long timeoutMillis) {
        this.instance = instance;
        this.context = context;
        this.timeoutMillis = timeoutMillis;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    /** Starts the clock of a call from the host on this thread. */
    @TruffleBoundary
    void begin() {
        callThread = Thread.currentThread();
        long call;
        synchronized (lock) {
            call = ++lastCall;
            activeCall = call;
        }
        timer = CallTimer.schedule(() -> expire(call), TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    /** Stops the clock of the call that {@link #begin} started; a later expiry of it does nothing. */
    @TruffleBoundary
    void end() {
        synchronized (lock) {
            activeCall = 0;
        }
        ScheduledFuture<?> armed = timer;
        timer = null;
        if (armed != null) {
            armed.cancel(false);
        }
    }

    /** Returns whether the running call has passed its deadline. The owner thread asks when a call faults. */
    boolean isExpired() {
        long call = activeCall;
        return call != 0 && expiredCall == call;
    }

    /**
     * Stops call {@code call} if it still runs, and comes back after {@link CallTimer#RESTOP_NANOS}
     * until it has returned. Runs on the timer thread.
     */
    private void expire(long call) {
        boolean first;
        synchronized (lock) {
            if (activeCall != call) {
                return;
            }
            first = expiredCall != call;
            expiredCall = call;
            // Inside the lock: the call cannot end and the next one cannot reset the counter meanwhile.
            if (instance.tierState() instanceof NativeTier.StoppableState state) {
                state.stopAtNextStep();
            }
        }
        CallTimer.schedule(() -> expire(call), CallTimer.RESTOP_NANOS);
        if (first) {
            // On a thread of its own, so that a submission that waits for the context cannot
            // delay the stop requests of this or any other call.
            Thread.ofVirtual().name("kpc-call-stop").start(() -> submitStop(call));
        }
    }

    private void submitStop(long call) {
        Thread thread = callThread;
        try {
            context.env().submitThreadLocal(new Thread[]{thread}, new ThreadLocalAction(true, false) {
                @Override
                protected void perform(Access access) {
                    // The action may run at a later safepoint, after the call has returned, or in an
                    // upcall of native code, which the step counter stops instead.
                    if (activeCall == call && !instance.isRunningNativeCode()) {
                        throw Faults.callTimedOut(access.getLocation(), instance);
                    }
                }
            });
        } catch (IllegalStateException e) {
            // The context is closing or closed: its calls end with it.
        }
    }
}
