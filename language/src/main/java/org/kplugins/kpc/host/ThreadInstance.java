// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.kplugins.monitor.link.CallGate;

/**
 * One thread's instance of a plugin: its context and the plugin instance evaluated in it. It is
 * also the thread's slot in the plugin's {@link CallGate}. Only the owning thread calls through it;
 * the plugin's release clears it, so that an instance that a table still refers to holds nothing
 * big.
 */
final class ThreadInstance extends CallGate.Slot implements ThreadTable.Entry {

    private final long threadId;
    /** The context, or null until the first admitted call creates it and after the release. */
    Context context;
    Value plugin;
    /**
     * Calls made on this instance. Only the owning thread writes it, without synchronization,
     * so that counting costs no atomic operation; other threads read a recent value.
     */
    long calls;

    ThreadInstance(long threadId) {
        this.threadId = threadId;
    }

    @Override
    public long threadId() {
        return threadId;
    }

    void clear() {
        context = null;
        plugin = null;
    }
}
