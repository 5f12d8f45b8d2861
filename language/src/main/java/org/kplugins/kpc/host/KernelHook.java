// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.monitor.link.Hook;

/**
 * A hook point of the kernel: a C prototype that one plugin function at a time is linked to.
 * {@link #link}, {@link #unlink} and {@link #replace} are atomic and safe while other threads
 * {@link #call} the hook: a call runs entirely on the binding it found when it started, so calls
 * already running finish on the old plugin and calls that start later go to the new one.
 */
public final class KernelHook {

    /** A plugin function linked to the hook, with its index in the plugin's instances. */
    record Binding(Plugin plugin, String function, int index) {
    }

    private final String name;
    private final FunctionType type;
    private final Hook<Binding> hook;
    /** The plugin whose quarantine unlinked this hook last, named when a call finds the hook empty. */
    private volatile Plugin lastQuarantined;

    KernelHook(String name, String prototype, FunctionType type) {
        this.name = name;
        this.type = type;
        this.hook = new Hook<>(name, prototype);
    }

    public String name() {
        return name;
    }

    /** Returns the prototype the hook was declared with. */
    public String prototype() {
        return hook.prototype();
    }

    /** Returns the plugin linked now, or null. */
    public Plugin plugin() {
        Binding binding = hook.binding();
        return binding == null ? null : binding.plugin();
    }

    /** Returns the name of the plugin function linked now, or null. */
    public String function() {
        Binding binding = hook.binding();
        return binding == null ? null : binding.function();
    }

    /**
     * Links {@code function} of {@code plugin} to this unlinked hook.
     *
     * @throws LinkException if the hook is linked already (use {@link #replace}), or as
     *                       {@link #replace} describes
     */
    public void link(Plugin plugin, String function) {
        if (!hook.link(bind(plugin, function))) {
            Binding current = hook.binding();
            throw new LinkException("hook '" + name + "' is linked to " + describe(current)
                            + " already; replace it, or unlink it first");
        }
        unlinkIfUnloaded(plugin);
    }

    /**
     * Links {@code function} of {@code plugin} in place of what is linked now, atomically, and
     * returns the plugin that was linked, or null. The old plugin stays loaded: unload it when no
     * hook needs it.
     *
     * @throws LinkException if the plugin is unloaded or quarantined, exports no such function, or
     *                       its prototype differs from the hook's (the message shows both)
     */
    public Plugin replace(Plugin plugin, String function) {
        Binding old = hook.replace(bind(plugin, function));
        unlinkIfUnloaded(plugin);
        return old == null ? null : old.plugin();
    }

    /** Unlinks whatever is linked and returns its plugin, or null. Calls running on it finish. */
    public Plugin unlink() {
        Binding old = hook.unlink();
        return old == null ? null : old.plugin();
    }

    /** Unlinks {@code plugin} if it is linked here; the kernel calls it when the plugin is unloaded. */
    void unlinkPlugin(Plugin plugin) {
        Binding current = hook.binding();
        if (current != null && current.plugin() == plugin && hook.unlink(current) && plugin.isQuarantined()) {
            lastQuarantined = plugin;
        }
    }

    private Binding bind(Plugin plugin, String function) {
        if (!plugin.isLoaded()) {
            throw new LinkException("cannot link plugin '" + plugin.name() + "' to hook '" + name + "': the plugin is "
                            + (plugin.isQuarantined() ? "quarantined" : "unloaded"));
        }
        FunctionType actual = plugin.type(function);
        if (!actual.sameAs(type)) {
            throw new LinkException("cannot link '" + function + "' of plugin '" + plugin.name() + "' to hook '" + name
                            + "': the hook is '" + type.prototype(name) + "' but the plugin defines '"
                            + actual.prototype(function) + "'");
        }
        return new Binding(plugin, function, plugin.functionIndex(function));
    }

    /**
     * Undoes a link that raced with the plugin's unload: the unload unlinks the plugin from every
     * hook, but a link that was checked before the unload and stored after it would stay.
     */
    private void unlinkIfUnloaded(Plugin plugin) {
        if (!plugin.isLoaded()) {
            unlinkPlugin(plugin);
        }
    }

    /**
     * Calls the linked plugin function on this thread's instance of the plugin.
     *
     * @throws PolyglotException     the plugin's fault, whose message is the fault report; the
     *                               plugin is quarantined when this fault reaches its fault limit
     * @throws IllegalStateException if nothing is linked
     */
    public Value call(Object... arguments) {
        while (true) {
            Binding binding = hook.binding();
            if (binding == null) {
                throw unlinkedError();
            }
            Plugin plugin = binding.plugin();
            if (!plugin.gate().enter()) {
                // The plugin was unloaded after the binding was read: the hook has moved on or is
                // being unlinked, so read it again.
                hook.unlink(binding);
                continue;
            }
            try {
                return plugin.execute(binding.index(), arguments);
            } finally {
                plugin.gate().exit();
            }
        }
    }

    private IllegalStateException unlinkedError() {
        Plugin quarantined = lastQuarantined;
        String reason = quarantined == null ? ""
                        : " (plugin '" + quarantined.name() + "' was quarantined after " + quarantined.faults()
                                        + " faults: " + firstLine(quarantined.lastFault()) + ")";
        return new IllegalStateException("hook '" + name + "' has no plugin function linked" + reason + "; link one first");
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    private static String describe(Binding binding) {
        return binding == null ? "nothing" : "'" + binding.function() + "' of plugin '" + binding.plugin().name() + "'";
    }

    @Override
    public String toString() {
        return "hook " + name + " -> " + describe(hook.binding());
    }
}
