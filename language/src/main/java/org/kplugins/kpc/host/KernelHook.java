// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.kplugins.kpc.types.FunctionType;

/**
 * A hook point of the kernel: a C prototype that one plugin function at a time is linked to.
 * {@link #link}, {@link #unlink} and {@link #replace} are atomic and safe while other threads
 * {@link #call} the hook: a call runs entirely on the binding it found when it started, so calls
 * already running finish on the old plugin and calls that start later go to the new one.
 *
 * <p>Linking, unlinking and replacing are single atomic updates of one field, so a call reads
 * either the old binding or the new one, never a mix. Prototypes are checked before the update.
 */
public final class KernelHook {

    /** Updates {@link #binding} atomically. */
    private static final VarHandle BINDING;

    static {
        try {
            BINDING = MethodHandles.lookup().findVarHandle(KernelHook.class, "binding", ExportedFunction.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final String prototype;
    private final FunctionType type;
    /**
     * The plugin function linked now, or null. A field of the hook itself, so that a call reaches
     * it in one load.
     */
    private volatile ExportedFunction binding;
    /** The plugin whose quarantine unlinked this hook last, named when a call finds the hook empty. */
    private volatile Plugin lastQuarantined;

    KernelHook(String name, String prototype, FunctionType type) {
        this.name = name;
        this.prototype = prototype;
        this.type = type;
    }

    public String name() {
        return name;
    }

    /** Returns the prototype the hook was declared with. */
    public String prototype() {
        return prototype;
    }

    /** Returns the plugin linked now, or null. */
    public Plugin plugin() {
        ExportedFunction binding = this.binding;
        return binding == null ? null : binding.plugin();
    }

    /** Returns the name of the plugin function linked now, or null. */
    public String function() {
        ExportedFunction binding = this.binding;
        return binding == null ? null : binding.name();
    }

    /**
     * Links {@code function} of {@code plugin} to this unlinked hook.
     *
     * @throws LinkException if the hook is linked already (use {@link #replace}), or as
     *                       {@link #replace} describes
     */
    public void link(Plugin plugin, String function) {
        if (!BINDING.compareAndSet(this, null, bind(plugin, function))) {
            ExportedFunction current = binding;
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
        ExportedFunction old = (ExportedFunction) BINDING.getAndSet(this, bind(plugin, function));
        unlinkIfUnloaded(plugin);
        return old == null ? null : old.plugin();
    }

    /** Unlinks whatever is linked and returns its plugin, or null. Calls running on it finish. */
    public Plugin unlink() {
        ExportedFunction old = (ExportedFunction) BINDING.getAndSet(this, null);
        return old == null ? null : old.plugin();
    }

    /** Unlinks {@code plugin} if it is linked here; the kernel calls it when the plugin is unloaded. */
    void unlinkPlugin(Plugin plugin) {
        ExportedFunction current = binding;
        if (current != null && current.plugin() == plugin && BINDING.compareAndSet(this, current, null)
                        && plugin.isQuarantined()) {
            lastQuarantined = plugin;
        }
    }

    private ExportedFunction bind(Plugin plugin, String function) {
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
        return plugin.exported(function);
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
            ExportedFunction binding = this.binding;
            if (binding == null) {
                throw unlinkedError();
            }
            Value result = binding.call(arguments);
            if (result != null) {
                return result;
            }
            // The plugin was unloaded after the binding was read: the hook has moved on or is
            // being unlinked, so read it again.
            BINDING.compareAndSet(this, binding, null);
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

    private static String describe(ExportedFunction binding) {
        return binding == null ? "nothing" : "'" + binding.name() + "' of plugin '" + binding.plugin().name() + "'";
    }

    @Override
    public String toString() {
        return "hook " + name + " -> " + describe(binding);
    }
}
