// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.link;

/**
 * Counts the calls running in one plugin and releases the plugin after it is retired and the last
 * of them has returned. Each thread that calls the plugin owns a {@link Slot}, which it
 * {@link #add adds} once. A call {@link #enter enters} through its thread's slot before it touches
 * the plugin and {@link #exit exits} through it when it is done. Once {@link #retire} has run, no
 * call enters again, and the release action runs exactly once, when the gate is retired and no
 * call is running: on the retiring thread, or on a thread whose exit ends the last call.
 *
 * <p>A call writes only its own slot, so callers on different threads share no written cache line
 * and no call needs an atomic read-modify-write. The handshake with {@link #retire} is Dekker's:
 * {@link #enter} writes the slot's count and then reads the retired flag, and the idle check that
 * follows a retire reads every slot after the flag was written. Both fields are volatile, whose
 * accesses the Java memory model orders in one total order consistent with each thread's program
 * order. So either the entering call sees the flag and backs out, or the idle check sees the call.
 */
public final class CallGate {

    /**
     * Bytes in front of a slot's count, so that the count of one thread and a field that another
     * thread writes never share a 64-byte cache line, wherever the garbage collector moves the
     * objects. HotSpot lays out the fields of a superclass before those of its subclasses, and
     * would put an int of a subclass into the 4 bytes after a 12-byte object header: {@code p0}
     * takes them.
     */
    @SuppressWarnings("unused")
    private abstract static class PaddingBefore {
        private int p0;
        private long p1;
        private long p2;
        private long p3;
        private long p4;
        private long p5;
        private long p6;
        private long p7;
    }

    /** The count of a {@link Slot}, between the padding of its superclass and the padding of its subclass. */
    private abstract static class Count extends PaddingBefore {

        /** Calls of the owner thread that entered and have not exited; written only by the owner. */
        volatile int running;
    }

    /**
     * One thread's count of the calls it runs in the plugin. Only the owner thread enters and exits
     * through it; other threads only read the count. A count above one means the thread entered the
     * plugin again from a host function that the plugin called. The count is written twice per
     * call, so it is padded on both sides; subclasses add their fields after the padding.
     */
    @SuppressWarnings("unused")
    public static class Slot extends Count {
        private long q1;
        private long q2;
        private long q3;
        private long q4;
        private long q5;
        private long q6;
        private long q7;

        /** Returns the calls of the owner thread that run in the plugin now. */
        public final int running() {
            return running;
        }
    }

    private static final Slot[] NO_SLOTS = new Slot[0];

    private final Runnable release;
    /** Every slot added and not removed; replaced, never changed, under the gate's lock. */
    private volatile Slot[] slots = NO_SLOTS;
    private volatile boolean retired;
    /** Whether the release action has started; written under the gate's lock. */
    private boolean released;

    /** @param release what to do once the gate is retired and idle, for example closing the plugin's contexts */
    public CallGate(Runnable release) {
        this.release = release;
    }

    /**
     * Adds the slot of the calling thread. Add it before the thread's first {@link #enter}; the
     * slot's count must be zero.
     */
    public synchronized void add(Slot slot) {
        Slot[] current = slots;
        Slot[] grown = new Slot[current.length + 1];
        System.arraycopy(current, 0, grown, 0, current.length);
        grown[current.length] = slot;
        slots = grown;
    }

    /**
     * Removes a slot whose thread runs no call, for example because the thread ends. Does nothing
     * if the slot was not added.
     *
     * @throws IllegalStateException if the slot's thread is running a call
     */
    public synchronized void remove(Slot slot) {
        if (slot.running != 0) {
            throw new IllegalStateException("cannot remove the call slot of a thread that runs " + slot.running
                            + " call(s)");
        }
        Slot[] current = slots;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == slot) {
                Slot[] shrunk = new Slot[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, shrunk.length - i);
                slots = shrunk;
                return;
            }
        }
    }

    /**
     * Admits a call of the thread that owns {@code slot}: returns false, counting nothing, when
     * the gate is retired.
     */
    public boolean enter(Slot slot) {
        // The volatile write comes before the read of the flag; see the class comment.
        slot.running = slot.running + 1;
        if (retired) {
            exit(slot);
            return false;
        }
        return true;
    }

    /** Ends a call admitted by {@link #enter} through the same slot. */
    public void exit(Slot slot) {
        slot.running = slot.running - 1;
        if (retired) {
            releaseIfIdle();
        }
    }

    /**
     * Stops admitting calls. Returns false if the gate was retired already. The release action runs
     * now if no call is running, or when the last running call exits.
     */
    public boolean retire() {
        synchronized (this) {
            if (retired) {
                return false;
            }
            retired = true;
        }
        releaseIfIdle();
        return true;
    }

    /** Runs the release action unless a call is running or the action has started already. */
    private void releaseIfIdle() {
        for (Slot slot : slots) {
            if (slot.running != 0) {
                return;
            }
        }
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        release.run();
    }

    public boolean isRetired() {
        return retired;
    }

    /** Returns the number of calls running now on all threads. */
    public long runningCalls() {
        long sum = 0;
        for (Slot slot : slots) {
            sum += slot.running;
        }
        return sum;
    }
}
