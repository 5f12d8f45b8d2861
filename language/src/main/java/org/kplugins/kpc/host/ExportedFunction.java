// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import org.graalvm.polyglot.Value;
import org.kplugins.monitor.link.CallGate;

/**
 * A function that a plugin exports, as hooks link it and {@link Plugin#call} calls it: the plugin,
 * the function's name, and the function's value in each thread's instance, fetched on the thread's
 * first call. Keeping the value here, by thread id, lets a call reach it in a few dependent loads.
 */
final class ExportedFunction {

    /** The function's value in one thread's instance. */
    private static final class ThreadFunction implements ThreadTable.Entry {

        private final long threadId;
        final ThreadInstance instance;
        final Value value;

        ThreadFunction(ThreadInstance instance, Value value) {
            this.threadId = instance.threadId();
            this.instance = instance;
            this.value = value;
        }

        @Override
        public long threadId() {
            return threadId;
        }
    }

    private final Plugin plugin;
    /** The plugin's gate, kept here so that a call reaches it in one load. */
    private final CallGate gate;
    private final String name;
    /** The {@link ThreadFunction} of each thread, a {@link ThreadTable} replaced under this object's lock. */
    private volatile ThreadTable.Entry[] threads = ThreadTable.empty();

    ExportedFunction(Plugin plugin, CallGate gate, String name) {
        this.plugin = plugin;
        this.gate = gate;
        this.name = name;
    }

    Plugin plugin() {
        return plugin;
    }

    String name() {
        return name;
    }

    /**
     * Calls the function on this thread's instance, counting the call and its fault. Returns null,
     * calling nothing, when the plugin is unloaded or quarantined.
     *
     * @throws org.graalvm.polyglot.PolyglotException the plugin's fault
     */
    Value call(Object[] arguments) {
        ThreadFunction entry = ThreadTable.get(threads, Thread.currentThread().threadId());
        if (entry == null) {
            return callFirstTime(arguments);
        }
        ThreadInstance instance = entry.instance;
        if (!gate.enter(instance)) {
            return null;
        }
        try {
            return plugin.execute(instance, entry.value, arguments);
        } finally {
            gate.exit(instance);
        }
    }

    /** Calls for a thread that has no value of the function yet. */
    private Value callFirstTime(Object[] arguments) {
        ThreadInstance instance = plugin.enter();
        if (instance == null) {
            return null;
        }
        try {
            Value value = instance.plugin.getMember(name);
            synchronized (this) {
                threads = ThreadTable.with(threads, new ThreadFunction(instance, value));
            }
            return plugin.execute(instance, value, arguments);
        } finally {
            gate.exit(instance);
        }
    }

    /**
     * Returns this thread's value of the function, creating the thread's instance if it has none.
     * Returns null when the plugin is unloaded or quarantined.
     */
    Value value() {
        ThreadInstance instance = plugin.enter();
        if (instance == null) {
            return null;
        }
        try {
            return instance.plugin.getMember(name);
        } finally {
            gate.exit(instance);
        }
    }

    /** Forgets the value of the thread with id {@code threadId}, whose instance is being released. */
    synchronized void forgetThread(long threadId) {
        threads = ThreadTable.without(threads, threadId);
    }

    /** Forgets every thread's value, once the plugin is released. */
    synchronized void forgetAll() {
        threads = ThreadTable.empty();
    }
}
