// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.link.KernelHeader;
import org.kplugins.kpc.link.PluginLinker;
import org.kplugins.kpc.link.Prototypes;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.monitor.link.DataExport;
import org.kplugins.monitor.link.FunctionExport;
import org.kplugins.monitor.link.HostFunction;
import org.kplugins.monitor.link.SymbolTable;

/**
 * A host's plugin kernel: its symbol table of exported functions and data windows, its hook points,
 * and the plugins it has loaded, all sharing one polyglot {@link Engine} so that every context
 * reuses the code compiled for a plugin source.
 *
 * <pre>{@code
 * try (Kernel kernel = Kernel.create("demo")) {
 *     kernel.exportFunction("int scale(int value)", (memory, args) -> args[0] * 3);
 *     KernelHook hook = kernel.declareHook("int filter(int value)");
 *     Plugin plugin = kernel.load("triple", "int scale(int); int filter(int v) { return scale(v) + 1; }");
 *     hook.link(plugin, "filter");
 *     int result = hook.call(5).asInt(); // 16
 * }
 * }</pre>
 *
 * <p>Threading: each host thread that calls a plugin gets its own instance of it (its own address
 * space, globals and heap) in a context of its own, created on the thread's first call. Plugin
 * globals are therefore per thread, and plugin code never races with itself. Exporting, declaring
 * hooks, loading, linking, unlinking, replacing and unloading are safe from any thread while calls
 * run. A kernel is closed once; closing unloads every plugin.
 */
public final class Kernel implements AutoCloseable {

    private final String name;
    private final SymbolTable symbols;
    private final Engine engine;
    private final boolean ownsEngine;
    private final OutputStream out;
    private final PluginLimits defaultLimits;
    private final Map<String, KernelHook> hooks = new ConcurrentHashMap<>();
    private final List<Plugin> plugins = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private boolean engineClosed;

    private Kernel(String name, Engine engine, boolean ownsEngine, OutputStream out, PluginLimits defaultLimits) {
        this.name = name;
        this.symbols = new SymbolTable(name);
        this.engine = engine;
        this.ownsEngine = ownsEngine;
        this.out = out;
        this.defaultLimits = defaultLimits;
    }

    /** Creates a kernel with its own engine, printk output to standard output, and {@link PluginLimits#DEFAULT}. */
    public static Kernel create(String name) {
        return builder(name).build();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Options of a new kernel. */
    public static final class Builder {

        private final String name;
        private Engine engine;
        private OutputStream out = System.out;
        private PluginLimits limits = PluginLimits.DEFAULT;

        private Builder(String name) {
            this.name = name;
        }

        /** Shares {@code sharedEngine}, which the kernel does not close; by default the kernel creates its own. */
        public Builder engine(Engine sharedEngine) {
            this.engine = sharedEngine;
            return this;
        }

        /** Sets where plugins' printk output goes. */
        public Builder out(OutputStream stream) {
            this.out = stream;
            return this;
        }

        /** Sets the limits of plugins loaded without limits of their own. */
        public Builder defaultLimits(PluginLimits pluginLimits) {
            this.limits = pluginLimits;
            return this;
        }

        public Kernel build() {
            boolean owns = engine == null;
            Engine chosen = owns ? Engine.newBuilder(KpcLanguage.ID).out(out).build() : engine;
            return new Kernel(name, chosen, owns, out, limits);
        }
    }

    public String name() {
        return name;
    }

    /** Returns the kernel's symbol table, for tiers and tools that link against it. */
    public SymbolTable symbolTable() {
        return symbols;
    }

    Engine engine() {
        return engine;
    }

    OutputStream out() {
        return out;
    }

    /**
     * Exports a function at version 1.
     *
     * @see #exportFunction(String, int, HostFunction)
     */
    public void exportFunction(String prototype, HostFunction implementation) {
        exportFunction(prototype, 1, implementation);
    }

    /**
     * Exports a function. Plugins that declare it with the same prototype call {@code implementation}.
     *
     * @param prototype a C prototype such as {@code uint32_t checksum(const uint8_t *data, size_t length)}:
     *                  integers and pointers only, not variadic
     * @throws IllegalArgumentException if the prototype is invalid or the name is taken
     */
    public void exportFunction(String prototype, int version, HostFunction implementation) {
        checkOpen();
        Prototypes.Declaration declaration = Prototypes.function(prototype);
        String unsupported = PluginLinker.unsupportedHostSignature((FunctionType) declaration.type());
        if (unsupported != null) {
            throw new IllegalArgumentException("invalid prototype '" + prototype + "': " + unsupported);
        }
        checkNotBuiltin(declaration.name());
        symbols.add(new FunctionExport(declaration.name(), prototype, version, implementation));
    }

    /** Exports a data window at version 1. @see #exportData(String, int, ByteBuffer, boolean) */
    public void exportData(String declaration, ByteBuffer buffer, boolean writable) {
        exportData(declaration, 1, buffer, writable);
    }

    /**
     * Exports {@code buffer} as a global that plugins declare {@code extern}. {@link DataExport}
     * describes when the host's bytes are copied into the plugin and when its writes are copied back.
     *
     * @param declaration a C declaration without {@code extern}, for example {@code const uint8_t palette[768]};
     *                    {@code const} when the window is read-only
     * @throws IllegalArgumentException if the declaration is invalid, its size differs from the
     *                                  buffer's capacity, or the name is taken
     */
    public void exportData(String declaration, int version, ByteBuffer buffer, boolean writable) {
        checkOpen();
        Prototypes.Declaration parsed = Prototypes.data(declaration);
        String unsupported = PluginLinker.unsupportedDataType(parsed.type(), writable);
        if (unsupported != null) {
            throw new IllegalArgumentException("invalid data export '" + declaration + "': " + unsupported);
        }
        if (parsed.type().size() != buffer.capacity()) {
            throw new IllegalArgumentException("invalid data export '" + declaration + "': the declaration has "
                            + parsed.type().size() + " bytes but the buffer has " + buffer.capacity());
        }
        checkNotBuiltin(parsed.name());
        symbols.add(new DataExport(parsed.name(), declaration, version, buffer, writable));
    }

    private static void checkNotBuiltin(String symbol) {
        if (org.kplugins.kpc.builtins.HostExport.find(symbol) != null) {
            throw new IllegalArgumentException("symbol '" + symbol + "' is a built-in export of every kernel;"
                            + " choose another name");
        }
    }

    /**
     * Declares a hook point, such as {@code int transcode(const uint8_t *in, uint8_t *out, uint32_t width,
     * uint32_t height)}, named by the prototype's function name.
     *
     * @throws IllegalArgumentException if the prototype is invalid or the kernel has a hook of that name
     */
    public KernelHook declareHook(String prototype) {
        checkOpen();
        Prototypes.Declaration declaration = Prototypes.function(prototype);
        String unsupported = PluginLinker.unsupportedHostSignature((FunctionType) declaration.type());
        if (unsupported != null) {
            throw new IllegalArgumentException("invalid hook prototype '" + prototype + "': " + unsupported);
        }
        KernelHook hook = new KernelHook(declaration.name(), prototype, (FunctionType) declaration.type());
        if (hooks.putIfAbsent(declaration.name(), hook) != null) {
            throw new IllegalArgumentException("hook '" + declaration.name() + "' is declared already");
        }
        return hook;
    }

    /** Returns the hook {@code hookName}, or null. */
    public KernelHook hook(String hookName) {
        return hooks.get(hookName);
    }

    /** Returns the text of {@code <kernel.h>} as plugins of this kernel see it. */
    public String header() {
        return KernelHeader.render(symbols);
    }

    /** Compiles and links a plugin from source text with the kernel's default limits. */
    public Plugin load(String pluginName, String source) {
        return load(pluginName, source, defaultLimits);
    }

    /** Compiles and links a plugin from source text; fault reports name it {@code pluginName.kpc}. */
    public Plugin load(String pluginName, String source, PluginLimits limits) {
        return load(Source.newBuilder(KpcLanguage.ID, source, pluginName + ".kpc").buildLiteral(), limits);
    }

    /**
     * Compiles and links the plugin in {@code file}, named after the file without {@code .kpc};
     * {@code #include "x.h"} reads files beside it.
     *
     * @throws PluginLoadException also when the file cannot be read
     */
    public Plugin load(Path file, PluginLimits limits) {
        if (!Files.isRegularFile(file)) {
            throw new PluginLoadException("cannot read plugin '" + file + "': " + (Files.exists(file) ? "not a regular file"
                            : "no such file"), null);
        }
        Source source;
        try {
            source = Source.newBuilder(KpcLanguage.ID, file.toFile()).build();
        } catch (IOException e) {
            throw new PluginLoadException("cannot read plugin '" + file + "': " + e.getMessage(), e);
        }
        return load(source, limits);
    }

    /**
     * Compiles the plugin and links its imports against the symbol table, creating its first
     * instance on this thread. Parsing happens once per engine for the same source and limits
     * compatible with it; later loads and instances reuse the code.
     *
     * @throws PluginLoadException with every diagnostic when it does not compile or link
     */
    public Plugin load(Source source, PluginLimits limits) {
        checkOpen();
        Plugin plugin = Plugin.load(this, source, limits);
        plugins.add(plugin);
        return plugin;
    }

    /** Returns the plugins loaded and not yet unloaded. */
    public List<Plugin> plugins() {
        return plugins.stream().filter(Plugin::isLoaded).toList();
    }

    void forget(Plugin plugin) {
        plugins.remove(plugin);
        for (KernelHook hook : hooks.values()) {
            hook.unlinkPlugin(plugin);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("kernel '" + name + "' is closed");
        }
    }

    /**
     * Unloads every plugin and closes the engine the kernel created. Call it after the calling
     * threads have stopped. While a call still runs, the engine cannot close, so this method throws
     * IllegalStateException. The kernel then takes no new work, and a later close tries again.
     */
    @Override
    public void close() {
        closed = true;
        for (Plugin plugin : plugins) {
            plugin.unload();
        }
        if (ownsEngine && !engineClosed) {
            try {
                engine.close();
            } catch (IllegalStateException e) {
                throw new IllegalStateException("kernel '" + name + "' cannot close its engine while a plugin call runs;"
                                + " stop the calling threads and close again", e);
            }
            engineClosed = true;
        }
    }
}
