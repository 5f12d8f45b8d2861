// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.graalvm.options.OptionDescriptor;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.kplugins.kpc.host.Plugin;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.monitor.fault.FaultKind;

/**
 * A polyglot context with one compiled and linked plugin in it, and the time each step took.
 * Compile and link errors and plugin faults leave as {@code PolyglotException}, which
 * {@link KpcMain} prints.
 */
final class PluginSession implements AutoCloseable {

    /**
     * The name Truffle 25.0.1 gives its fallback runtime ({@code DefaultTruffleRuntime}), which
     * has no compiler. Any other runtime name means that Graal compiles hot code.
     */
    static final String FALLBACK_RUNTIME_NAME = "Interpreted";

    private final Context context;
    private final Path file;
    private final Value plugin;
    private final long contextNanos;
    private final long compileNanos;

    private PluginSession(Context context, Path file, Value plugin, long contextNanos, long compileNanos) {
        this.context = context;
        this.file = file;
        this.plugin = plugin;
        this.contextNanos = contextNanos;
        this.compileNanos = compileNanos;
    }

    /**
     * Creates a context from {@code builder} and evaluates the plugin source, which compiles and
     * links it.
     *
     * @throws InvalidInputException if the plugin file is missing or unreadable
     */
    static PluginSession open(Context.Builder builder, Path file) {
        ImageFiles.requireReadableFile(file, "plugin");
        Source source;
        try {
            source = Source.newBuilder(KpcMain.LANGUAGE_ID, new File(file.toString())).build();
        } catch (IOException e) {
            throw new InvalidInputException("cannot read plugin '" + file + "': " + e.getMessage());
        }

        long start = System.nanoTime();
        Context context = builder.build();
        long contextReady = System.nanoTime();
        try {
            Value plugin = context.eval(source);
            long compiled = System.nanoTime();
            return new PluginSession(context, file, plugin, contextReady - start, compiled - contextReady);
        } catch (RuntimeException | Error e) {
            context.close();
            throw e;
        }
    }

    /**
     * Returns the exported function {@code name}.
     *
     * @param fix what to do when the plugin lacks the function, appended to the error
     * @throws InvalidInputException if the plugin exports no function of that name
     */
    Value function(String name, String fix) {
        Value function = plugin.hasMembers() ? plugin.getMember(name) : null;
        if (function == null || function.isNull()) {
            function = context.getBindings(KpcMain.LANGUAGE_ID).getMember(name);
        }
        if (function == null || !function.canExecute()) {
            throw new InvalidInputException("plugin '" + file + "' exports no function '" + name + "'; " + fix);
        }
        return function;
    }

    /**
     * Runs {@code call}, a call of a function of this session's plugin. A fault of the execution
     * budget leaves as {@link BudgetFaultException}, because the fault's kind can only be read while
     * the context is open.
     */
    static Value call(Supplier<Value> call) {
        try {
            return call.get();
        } catch (PolyglotException e) {
            if (Plugin.faultKind(e) == FaultKind.WATCHDOG) {
                throw new BudgetFaultException(e);
            }
            throw e;
        }
    }

    /**
     * Returns the C prototype of an exported function, with typedef names resolved, for example
     * {@code int transcode(const unsigned char *, unsigned char *, unsigned int, unsigned int)}.
     * KPC functions show their prototype as their display string.
     */
    static String prototype(Value function) {
        return function.toString();
    }

    /**
     * Returns the value of the integer language option {@code name} (such as kpc.MemoryLimit) in
     * this context: the value in {@code givenOptions}, which contains the command line's polyglot
     * options, or else the option's default.
     */
    long languageOption(String name, Map<String, String> givenOptions) {
        String given = givenOptions.get(name);
        if (given != null) {
            // The context was built with this value, so the language has already accepted it.
            return Long.parseLong(given.strip());
        }
        OptionDescriptor descriptor = context.getEngine().getLanguages().get(KpcMain.LANGUAGE_ID).getOptions().get(name);
        if (descriptor == null) {
            throw new IllegalStateException("language " + KpcMain.LANGUAGE_ID + " has no option " + name);
        }
        return ((Number) descriptor.getKey().getDefaultValue()).longValue();
    }

    /** Returns the time to create the context, in nanoseconds. */
    long contextNanos() {
        return contextNanos;
    }

    /** Returns the time from source to linked plugin (the eval call), in nanoseconds. */
    long compileNanos() {
        return compileNanos;
    }

    /**
     * Returns the tier the plugin actually runs in, with the checks of the emulated tier's code.
     * The jit tier only interprets on a JVM without the Graal compiler, where Truffle falls back
     * to a runtime that cannot compile, and with engine.Compilation=false.
     *
     * @param tier            the tier that --tier or --kpc.Tier selected
     * @param emulatedCode    the emulated tier's checks in effect: hardware or checked
     * @param polyglotOptions the command line's polyglot options, which may contain engine.Compilation
     */
    String effectiveTier(Tier tier, String emulatedCode, Map<String, String> polyglotOptions) {
        String noCompiler = null;
        if (!compilesAtRuntime()) {
            noCompiler = "the Truffle runtime cannot compile: start with bin/kpc";
        } else if (tier != Tier.INTERP && "false".equals(polyglotOptions.get("engine.Compilation"))) {
            noCompiler = "--engine.Compilation=false turns the compiler off";
        }
        return switch (tier) {
            case INTERP, NATIVE -> tier.optionValue();
            case EMULATED -> tier.optionValue() + " (" + emulatedCode + ")";
            case JIT -> noCompiler == null ? tier.optionValue() : Tier.INTERP.optionValue() + " (jit requested, but " + noCompiler + ")";
            case AUTO -> noCompiler == null ? tier.optionValue()
                            : tier.optionValue() + " (interpreted until the plugin is hot, because " + noCompiler + ")";
        };
    }

    /**
     * Returns the tier that the plugin's next call from the host runs in, as the language names
     * it: truffle, native, emulated (checked) or emulated (hardware). Only in the auto tier does the
     * value change, when the plugin moves to machine code.
     */
    String currentTier() {
        return plugin.invokeMember(PluginInstance.TIER_MEMBER).asString();
    }

    /** Returns whether this context's engine runs on a Truffle runtime with a compiler. */
    boolean compilesAtRuntime() {
        return !FALLBACK_RUNTIME_NAME.equals(context.getEngine().getImplementationName());
    }

    @Override
    public void close() {
        context.close();
    }
}
