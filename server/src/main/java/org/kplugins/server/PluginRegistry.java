// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.host.Kernel;
import org.kplugins.kpc.host.KernelHook;
import org.kplugins.kpc.host.LinkException;
import org.kplugins.kpc.host.Plugin;
import org.kplugins.kpc.host.PluginLoadException;
import org.kplugins.monitor.fault.FaultKind;
import org.kplugins.server.image.Grayscale;
import org.kplugins.server.image.RgbImage;

/**
 * The server's transcoders: the plugins by name, and the built-in {@value #JAVA_GRAYSCALE}.
 *
 * <p>Each plugin name has a kernel of its own on the shared engine, with one hook, {@code
 * transcode}, because a kernel names its hooks after the prototype's function. A new upload is
 * compiled and linked into a fresh plugin of that kernel and then swapped into the hook with
 * {@link KernelHook#replace}, so requests already running finish on the old plugin and a failed
 * upload leaves the old one serving. Loads, replacements and deletions run one at a time on a
 * single platform thread, the compiler thread; transcoder calls run on {@link TranscodeWorkers}.
 */
final class PluginRegistry implements AutoCloseable {

    static final String HOOK_PROTOTYPE = "int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height)";
    static final String HOOK_FUNCTION = "transcode";
    /** The name of the plain-Java grayscale transcoder, the baseline of the load test. */
    static final String JAVA_GRAYSCALE = "java:grayscale";
    static final Pattern PLUGIN_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Uploads that may wait while the compiler thread is busy; more get 503. */
    private static final int MAX_QUEUED_COMPILES = 4;
    /**
     * How long a request waits, after the call timeout, for a timed-out call to stop before it
     * abandons the worker. A call stops at its next step, and one step does at most a copy of the
     * plugin's memory (256 MiB by default), which takes well under a second.
     */
    static final Duration CALL_STOP_GRACE = Duration.ofSeconds(2);
    /** How long {@link #close} retries closing the engine while a context is still in use. */
    private static final Duration ENGINE_CLOSE_WAIT = Duration.ofSeconds(1);

    /** The compiler thread's stack, in bytes: the parser descends recursively up to 256 levels. */
    private static final long COMPILER_STACK_BYTES = 64L << 20;

    private static final Logger LOG = Logger.getLogger(PluginRegistry.class.getPackageName());

    /** Calls, faults and time spent in calls of one transcoder. */
    static final class CallStats {
        final LongAdder calls = new LongAdder();
        final LongAdder faults = new LongAdder();
        final LongAdder nanos = new LongAdder();

        double meanMillis() {
            long count = calls.sum();
            return count == 0 ? 0 : nanos.sum() / 1e6 / count;
        }
    }

    /** One loaded plugin of a name, with the statistics of its calls and the plugin memory it reserves. */
    static final class Version {
        final Plugin plugin;
        final String origin;
        final long compileNanos;
        final long linkNanos;
        /** The plugin memory this version reserves until it is released, {@link ServerOptions#pluginCharge}. */
        final long memoryBytes;
        final Instant loadedAt = Instant.now();
        final CallStats stats = new CallStats();
        final AtomicBoolean quarantineReported = new AtomicBoolean();

        Version(Plugin plugin, String origin, long compileNanos, long linkNanos, long memoryBytes) {
            this.plugin = plugin;
            this.origin = origin;
            this.compileNanos = compileNanos;
            this.linkNanos = linkNanos;
            this.memoryBytes = memoryBytes;
        }
    }

    /** A plugin name: its kernel, its transcode hook and the version linked last (null once deleted). */
    static final class Slot {
        final String name;
        final Kernel kernel;
        final KernelHook hook;
        volatile Version current;

        Slot(String name, Kernel kernel, KernelHook hook) {
            this.name = name;
            this.kernel = kernel;
            this.hook = hook;
        }
    }

    /**
     * The handshake between a request and its job on the compiler thread: whichever comes first
     * decides whether the job takes effect (the job commits) or not (the request timed out and abandons).
     */
    private static final class Ticket {
        private final AtomicInteger state = new AtomicInteger();

        boolean commit() {
            return state.compareAndSet(0, 1);
        }

        boolean abandon() {
            return state.compareAndSet(0, 2);
        }
    }

    /** The outcome of a successful install: whether it replaced a plugin of that name, and the plugin's description. */
    record Installed(boolean replaced, Map<String, Object> description) {
    }

    private final ServerOptions options;
    private final Engine engine;
    private final String tier;
    private final ServerMetrics metrics;
    private final TranscodeWorkers workers;
    private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();
    /**
     * Versions that were replaced or deleted and whose memory is not released yet, because calls
     * still run on them. They keep their reservation until then.
     */
    private final List<Version> retiring = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor compiler;
    private final CallStats javaStats = new CallStats();

    PluginRegistry(ServerOptions options, ServerMetrics metrics, TranscodeWorkers workers) {
        this.options = options;
        this.metrics = metrics;
        this.workers = workers;
        this.engine = Engine.newBuilder(KpcLanguage.ID)
                        .options(options.engineOptions())
                        .allowExperimentalOptions(true)
                        .out(options.printkOutput())
                        .build();
        this.tier = tierName(engine, options.engineOptions());
        this.compiler = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_QUEUED_COMPILES),
                        Thread.ofPlatform().name("kpc-compiler").stackSize(COMPILER_STACK_BYTES).daemon(true).factory());
    }

    /**
     * Returns the tier plugins run in: interp, jit, native, emulated or auto, with interp also when
     * the JVM lacks the Graal compiler.
     */
    private static String tierName(Engine engine, Map<String, String> engineOptions) {
        String kpcTier = engineOptions.get("kpc.Tier");
        if ("native".equals(kpcTier) || "emulated".equals(kpcTier) || "auto".equals(kpcTier)) {
            return kpcTier;
        }
        if ("false".equals(engineOptions.get("engine.Compilation"))) {
            return "interp";
        }
        // Truffle's fallback runtime, which cannot compile, is named "Interpreted" (Truffle 25.0.1).
        return "Interpreted".equals(engine.getImplementationName()) ? "interp" : "jit";
    }

    String tier() {
        return tier;
    }

    /**
     * Returns {@link #tier()} for the log, with the checks of the emulated tier's code, as in
     * {@code emulated (hardware)} or {@code emulated (checked)}.
     */
    String tierDescription() {
        if (!tier.equals("emulated")) {
            return tier;
        }
        return tier + " (" + options.engineOptions().getOrDefault("kpc.EmulatedCode", KpcLanguage.HARDWARE_CHECKS).strip() + ")";
    }

    /**
     * Loads every {@code NAME.kpc} in the plugins directory, in name order. A file that does not
     * compile or link is logged and skipped, so one bad file does not keep the server from starting.
     */
    void loadDirectory() throws IOException {
        List<Path> files;
        try (Stream<Path> entries = Files.list(options.pluginsDirectory())) {
            files = entries.filter(file -> file.getFileName().toString().endsWith(".kpc") && Files.isRegularFile(file))
                            .sorted().toList();
        }
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String name = fileName.substring(0, fileName.length() - ".kpc".length());
            if (!PLUGIN_NAME.matcher(name).matches()) {
                LOG.warning(() -> "skipped plugin file '" + file + "': the name '" + name + "' is not 1 to 64 letters,"
                                + " digits, '-' or '_'");
                continue;
            }
            try {
                install(name, kernel -> kernel.load(file, options.pluginLimits()), "file " + fileName);
            } catch (HttpError e) {
                // install has logged why, with the compiler's or linker's message.
                LOG.fine(() -> "plugin file '" + file + "' skipped");
            }
        }
    }

    /**
     * Compiles {@code source} as plugin {@code name} and links it, in place of the plugin of that
     * name if there is one.
     *
     * @throws HttpError 400 with the compiler's or linker's message when it does not compile or
     *                   link, or when compiling takes longer than the compile timeout; 503 when
     *                   the compiler thread has too many uploads waiting; 507 when it would pass
     *                   --max-plugins or --max-plugin-memory-bytes
     */
    Installed upload(String name, String source) {
        return install(name, kernel -> kernel.load(name, source, options.pluginLimits()), "upload");
    }

    private Installed install(String name, Function<Kernel, Plugin> loader, String origin) {
        Ticket ticket = new Ticket();
        Future<Installed> job = submitToCompiler(() -> installOnCompilerThread(name, loader, origin, ticket));
        return awaitCompilerJob(job, ticket, () -> {
            metrics.countLoadFailure("timeout");
            LOG.warning(() -> "plugin '" + name + "' (" + origin + ") did not compile within "
                            + options.compileTimeout().toMillis() + " ms; it will be discarded when the compiler finishes");
            return new HttpError(400, "compiling plugin '" + name + "' timed out after " + options.compileTimeout().toMillis()
                            + " ms; simplify the source (the plugin was not installed)");
        });
    }

    /**
     * Waits at most the compile timeout for {@code job}. When it has not committed by then, the
     * job is abandoned and the error from {@code onTimeout} is thrown.
     */
    private <T> T awaitCompilerJob(Future<T> job, Ticket ticket, Supplier<HttpError> onTimeout) {
        try {
            return job.get(options.compileTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (ticket.abandon()) {
                throw onTimeout.get();
            }
            // The job committed just as the timeout expired; what is left of it takes microseconds.
            return awaitUninterruptibly(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "the request was interrupted while it waited for the compiler thread");
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private <T> Future<T> submitToCompiler(Callable<T> job) {
        try {
            return compiler.submit(job);
        } catch (RejectedExecutionException e) {
            if (compiler.isShutdown()) {
                throw new HttpError(503, "the server is stopping");
            }
            throw new HttpError(503, "the compiler is busy with " + MAX_QUEUED_COMPILES + " waiting uploads; retry later");
        }
    }

    private static <T> T awaitUninterruptibly(Future<T> job) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return job.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw unwrap(e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException unwrap(ExecutionException e) {
        return switch (e.getCause()) {
            case RuntimeException runtime -> runtime;
            case Error error -> throw error;
            default -> new IllegalStateException("compiler thread failed", e.getCause());
        };
    }

    /** Loads, then links and publishes the plugin unless the request has timed out meanwhile. Runs on the compiler thread. */
    private Installed installOnCompilerThread(String name, Function<Kernel, Plugin> loader, String origin, Ticket ticket) {
        Slot existing = slots.get(name);
        if (existing == null && slots.size() >= options.maxPlugins()) {
            metrics.countLoadFailure("max_plugins");
            LOG.warning(() -> "plugin '" + name + "' (" + origin + ") rejected: " + slots.size() + " plugins are loaded, the"
                            + " limit of --max-plugins");
            throw new HttpError(507, "cannot load plugin '" + name + "': " + slots.size() + " plugins are loaded, which is the"
                            + " limit of --max-plugins; delete one first", limitDetails(name, "--max-plugins",
                                            options.maxPlugins()));
        }
        Version previous = existing == null ? null : existing.current;
        long othersBytes = reservedBytes() - (previous == null || previous.plugin.isReleased() ? 0 : previous.memoryBytes);
        if (othersBytes + options.minimumPluginCharge() > options.maxPluginMemory()) {
            throw memoryFull(name, origin, options.minimumPluginCharge(), othersBytes, "at least ");
        }
        Slot slot = existing != null ? existing : newSlot(name);

        long compileStart = System.nanoTime();
        Plugin plugin;
        try {
            plugin = loader.apply(slot.kernel);
        } catch (OutOfMemoryError e) {
            // A load allocates the plugin's static data twice, at most kpc.MemoryLimit each, and
            // the failed allocation left the heap as it was.
            closeIfUnpublished(slot, existing);
            throw outOfMemory(name, origin, e.toString());
        } catch (PluginLoadException e) {
            if (e.getCause() instanceof PolyglotException polyglot && polyglot.isResourceExhausted()) {
                closeIfUnpublished(slot, existing);
                throw outOfMemory(name, origin, polyglot.getMessage());
            }
            if (!ticket.commit()) {
                // The request has already failed with the timeout, which the metrics counted.
                closeIfUnpublished(slot, existing);
                LOG.warning(() -> "plugin '" + name + "' (" + origin + ") discarded: its request timed out before it"
                                + " failed to compile");
                return null;
            }
            metrics.countLoadFailure("compile");
            closeIfUnpublished(slot, existing);
            LOG.warning(() -> "plugin '" + name + "' (" + origin + ") failed to compile: " + firstLine(e.getMessage()));
            throw new HttpError(400, e.getMessage(), Map.of("plugin", name, "stage", "compile"));
        }
        long compileNanos = System.nanoTime() - compileStart;
        metrics.observeCompile(name, compileNanos);
        LOG.info(() -> "plugin '" + name + "' (" + origin + ") compiled in " + millis(compileNanos) + " ms");

        if (!ticket.commit()) {
            plugin.unload();
            closeIfUnpublished(slot, existing);
            LOG.warning(() -> "plugin '" + name + "' (" + origin + ") discarded: its request timed out before it compiled");
            return null;
        }

        long memoryBytes = options.pluginCharge(plugin.staticDataBytes(), plugin.instanceFootprint());
        if (othersBytes + memoryBytes > options.maxPluginMemory()) {
            plugin.unload();
            closeIfUnpublished(slot, existing);
            throw memoryFull(name, origin, memoryBytes, othersBytes, "");
        }

        long linkStart = System.nanoTime();
        Plugin old;
        try {
            old = slot.hook.replace(plugin, HOOK_FUNCTION);
        } catch (LinkException e) {
            plugin.unload();
            closeIfUnpublished(slot, existing);
            metrics.countLoadFailure("link");
            LOG.warning(() -> "plugin '" + name + "' (" + origin + ") failed to link: " + e.getMessage());
            throw new HttpError(400, e.getMessage() + "; a transcoder defines " + HOOK_PROTOTYPE
                            + ", and an upload must send the source unchanged (curl -T FILE or --data-binary @FILE)",
                            Map.of("plugin", name, "stage", "link"));
        }
        long linkNanos = System.nanoTime() - linkStart;
        metrics.observeLink(name, linkNanos);

        slot.current = new Version(plugin, origin, compileNanos, linkNanos, memoryBytes);
        if (existing == null) {
            slots.put(name, slot);
        }
        if (previous != null) {
            // Counted until its memory is released, which waits for the calls that run on it.
            retiring.add(previous);
        }
        if (old != null) {
            old.unload();
        }
        boolean replaced = existing != null;
        LOG.info(() -> "plugin '" + name + "' " + (replaced ? "replaced on" : "linked to") + " hook " + HOOK_FUNCTION + " in "
                        + millis(linkNanos) + " ms (tier " + tierDescription() + ")");
        return new Installed(replaced, describe(slot));
    }

    /**
     * Builds the 507 of a plugin whose memory does not fit the budget, and logs it.
     *
     * @param needed    the plugin's charge, or the least charge of any plugin when it is not compiled yet
     * @param reserved  what the other plugins reserve now
     * @param qualifier "at least " for the least charge, else empty
     */
    private HttpError memoryFull(String name, String origin, long needed, long reserved, String qualifier) {
        metrics.countLoadFailure("memory");
        String message = "cannot load plugin '" + name + "': it reserves " + qualifier + needed + " bytes of plugin memory ("
                        + (options.workers() + 1) + " instances and its static data), but the other plugins reserve "
                        + reserved + " of the " + options.maxPluginMemory() + " bytes that --max-plugin-memory-bytes allows;"
                        + " delete a plugin, make its globals or --kpc.HeapSize smaller, or raise the limit";
        LOG.warning(() -> "plugin '" + name + "' (" + origin + ") rejected: " + message);
        Map<String, Object> details = limitDetails(name, "--max-plugin-memory-bytes", options.maxPluginMemory());
        details.put("memory_bytes", needed);
        details.put("reserved_bytes", reserved);
        return new HttpError(507, message, details);
    }

    private HttpError outOfMemory(String name, String origin, String error) {
        metrics.countLoadFailure("memory");
        LOG.warning(() -> "plugin '" + name + "' (" + origin + ") rejected: the JVM ran out of memory while loading it: "
                        + error);
        return new HttpError(507, "cannot load plugin '" + name + "': the server ran out of memory while loading it; make its"
                        + " globals smaller or delete other plugins", limitDetails(name, "--vm.Xmx", Runtime.getRuntime()
                                        .maxMemory()));
    }

    private static Map<String, Object> limitDetails(String name, String option, long limit) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("plugin", name);
        details.put("limit", option);
        details.put("limit_value", limit);
        return details;
    }

    /**
     * Returns the plugin memory reserved now, in bytes: the charges of the versions serving or
     * quarantined whose memory is not released yet, and of the replaced or deleted ones that calls
     * still run on.
     */
    long reservedBytes() {
        retiring.removeIf(version -> version.plugin.isReleased());
        long total = 0;
        for (Version version : retiring) {
            total += version.memoryBytes;
        }
        for (Slot slot : slots.values()) {
            Version version = slot.current;
            if (version != null && !version.plugin.isReleased()) {
                total += version.memoryBytes;
            }
        }
        return total;
    }

    private Slot newSlot(String name) {
        Kernel kernel = Kernel.builder("kpc-serve-" + name).engine(engine).defaultLimits(options.pluginLimits()).build();
        return new Slot(name, kernel, kernel.declareHook(HOOK_PROTOTYPE));
    }

    private static void closeIfUnpublished(Slot slot, Slot existing) {
        if (existing == null) {
            slot.kernel.close();
        }
    }

    /**
     * Unlinks and unloads plugin {@code name}. Requests running on it finish first.
     *
     * @return false when no plugin has that name
     * @throws HttpError 503 when the compiler thread does not get to the deletion within the
     *                   compile timeout; the plugin then stays
     */
    boolean delete(String name) {
        Ticket ticket = new Ticket();
        Future<Boolean> job = submitToCompiler(() -> {
            if (!ticket.commit()) {
                return false;
            }
            Slot slot = slots.remove(name);
            if (slot == null) {
                return false;
            }
            Version deleted = slot.current;
            if (deleted != null) {
                retiring.add(deleted);
            }
            slot.current = null;
            slot.hook.unlink();
            slot.kernel.close();
            LOG.info(() -> "plugin '" + name + "' unlinked and unloaded");
            return true;
        });
        return awaitCompilerJob(job, ticket, () -> new HttpError(503, "the compiler thread is busy, so plugin '" + name
                        + "' was not deleted; retry later"));
    }

    /**
     * Releases the calling thread's instance of every plugin. A worker thread runs it as it ends,
     * because the kernel would otherwise keep the instances of an ended thread until their plugin
     * is unloaded.
     */
    void releaseThreadInstances() {
        for (Slot slot : slots.values()) {
            Version version = slot.current;
            if (version != null) {
                version.plugin.releaseThreadInstance();
            }
        }
    }

    /** Returns whether {@code name} names a transcoder now, quarantined plugins included. */
    boolean exists(String name) {
        return JAVA_GRAYSCALE.equals(name) || slots.containsKey(name);
    }

    /**
     * Runs transcoder {@code name} on {@code input} on a worker thread and returns its output.
     *
     * @throws HttpError 404 for an unknown name, 503 for a quarantined plugin or a full queue, 500
     *                   for a fault or a non-zero result, 504 for a call that ran past the call
     *                   timeout, 413 when the image does not fit the plugin's memory
     */
    RgbImage transcode(String name, RgbImage input) {
        byte[] output = new byte[input.pixels().length];
        if (JAVA_GRAYSCALE.equals(name)) {
            workers.run(() -> {
                long start = System.nanoTime();
                Grayscale.transcode(input.pixels(), output);
                javaStats.calls.increment();
                javaStats.nanos.add(System.nanoTime() - start);
                metrics.countCall(name);
                return null;
            });
            return new RgbImage(input.width(), input.height(), output);
        }

        Slot slot = slots.get(name);
        Version version = slot == null ? null : slot.current;
        if (version == null) {
            throw noSuchPlugin(name);
        }
        if (version.plugin.isQuarantined()) {
            throw quarantined(slot, version);
        }
        long timeoutMillis = version.plugin.limits().callTimeoutMillis();
        long waitNanos = timeoutMillis == 0 ? 0 : Duration.ofMillis(timeoutMillis).plus(CALL_STOP_GRACE).toNanos();
        workers.run(() -> {
            callHook(slot, version, input, output);
            return null;
        }, waitNanos, () -> notStopped(slot, timeoutMillis));
        return new RgbImage(input.width(), input.height(), output);
    }

    /** Builds the 404 for a request that names no loaded plugin. */
    static HttpError noSuchPlugin(String name) {
        return new HttpError(404, "no plugin named '" + name + "'; GET /plugins lists the plugins");
    }

    /**
     * Builds the 504 of a call that ran past its timeout and did not stop within the grace after
     * it. Its worker is abandoned, and the call counts as the plugin's fault when it stops.
     */
    private HttpError notStopped(Slot slot, long timeoutMillis) {
        LOG.warning(() -> "plugin '" + slot.name + "' ran past its call timeout of " + timeoutMillis + " ms and did not"
                        + " stop within " + CALL_STOP_GRACE.toMillis() + " ms more; its worker is abandoned to it");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("plugin", slot.name);
        details.put("timeout_ms", timeoutMillis);
        return new HttpError(504, "plugin '" + slot.name + "' ran longer than the call timeout of " + timeoutMillis
                        + " ms and did not stop; its worker was replaced", details);
    }

    /** Calls the slot's transcode hook on this worker's instance of the plugin. */
    private void callHook(Slot slot, Version version, RgbImage input, byte[] output) {
        if (version.plugin.isQuarantined()) {
            // Quarantined while the request waited for a worker: no call, so nothing is counted.
            throw quarantined(slot, version);
        }
        long start = System.nanoTime();
        metrics.countCall(slot.name);
        version.stats.calls.increment();
        Value result;
        try {
            // The input is read-only on the host side too; the language copies the output buffer back after the call.
            result = slot.hook.call(ByteBuffer.wrap(input.pixels()).asReadOnlyBuffer(), ByteBuffer.wrap(output), input.width(),
                            input.height());
        } catch (PolyglotException e) {
            if (Plugin.faultKind(e) != null) {
                throw fault(slot, version, e);
            }
            LOG.log(Level.SEVERE, "plugin '" + slot.name + "' failed without a fault report", e);
            throw new HttpError(500, "plugin '" + slot.name + "' failed: " + firstLine(e.getMessage()),
                            Map.of("plugin", slot.name));
        } catch (IllegalStateException e) {
            // The hook lost its plugin after this request looked: another request's fault
            // quarantined it, or it was deleted.
            if (version.plugin.isQuarantined()) {
                throw quarantined(slot, version);
            }
            throw new HttpError(404, "plugin '" + slot.name + "' was deleted while the request waited");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("host mapping region")) {
                throw new HttpError(413, "image of " + input.dimensions() + " pixels does not fit the memory of plugin '"
                                + slot.name + "'; use a smaller image", Map.of("plugin", slot.name));
            }
            throw e;
        } finally {
            version.stats.nanos.add(System.nanoTime() - start);
        }
        if (!result.fitsInInt() || result.asInt() != 0) {
            throw new HttpError(500, "plugin '" + slot.name + "' returned " + result + " from transcode; a non-zero result"
                            + " means the transcode failed", Map.of("plugin", slot.name));
        }
    }

    /**
     * Records a fault and builds its response: 504 for a call that timed out, 500 for any other
     * fault. Runs on the worker, because the fault's guest object lives in its context.
     */
    private HttpError fault(Slot slot, Version version, PolyglotException e) {
        version.stats.faults.increment();
        metrics.countFault(slot.name);
        Plugin plugin = version.plugin;
        String report = e.getMessage();
        Map<String, Object> members = faultMembers(e.getGuestObject());
        boolean timedOut = FaultKind.TIMEOUT.name().equals(members.get("kind"));
        if (timedOut) {
            metrics.countTimeout(slot.name);
        }
        LOG.warning(() -> "plugin '" + slot.name + "' " + (timedOut ? "timed out" : "faulted") + " (fault " + plugin.faults()
                        + ", quarantine at " + plugin.limits().faultLimit() + "): " + firstLine(report));
        if (plugin.isQuarantined() && version.quarantineReported.compareAndSet(false, true)) {
            metrics.countQuarantine(slot.name);
            LOG.warning(() -> "plugin '" + slot.name + "' quarantined after " + plugin.faults()
                            + " faults; its requests get 503 until it is uploaded again");
        }

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("plugin", slot.name);
        details.put("report", report);
        details.put("fault", members);
        details.put("faults", plugin.faults());
        details.put("fault_limit", plugin.limits().faultLimit());
        details.put("quarantined", plugin.isQuarantined());
        if (timedOut) {
            details.put("timeout_ms", plugin.limits().callTimeoutMillis());
            return new HttpError(504, "plugin '" + slot.name + "' timed out: " + firstLine(report), details);
        }
        return new HttpError(500, "plugin '" + slot.name + "' faulted: " + firstLine(report), details);
    }

    /** Copies the members of a fault's guest object (kind, address, access, size, function, line, ...). */
    private static Map<String, Object> faultMembers(Value guest) {
        Map<String, Object> members = new LinkedHashMap<>();
        for (String key : guest.getMemberKeys()) {
            Value member = guest.getMember(key);
            Object value;
            if (member == null || member.isNull()) {
                value = null;
            } else if (member.isBoolean()) {
                value = member.asBoolean();
            } else if (member.isNumber() && member.fitsInLong()) {
                value = member.asLong();
            } else if (member.isString()) {
                value = member.asString();
            } else {
                value = member.toString();
            }
            members.put(key, value);
        }
        return members;
    }

    private static HttpError quarantined(Slot slot, Version version) {
        Plugin plugin = version.plugin;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("plugin", slot.name);
        details.put("faults", plugin.faults());
        details.put("last_fault", plugin.lastFault());
        return new HttpError(503, "plugin '" + slot.name + "' is quarantined after " + plugin.faults() + " faults; upload it"
                        + " again with PUT /plugins/" + slot.name + " or delete it", details);
    }

    /** Returns the description of every transcoder, as GET /plugins lists them. */
    List<Map<String, Object>> describeAll() {
        List<Map<String, Object>> all = new ArrayList<>();
        Map<String, Object> java = new LinkedHashMap<>();
        java.put("name", JAVA_GRAYSCALE);
        java.put("state", "serving");
        java.put("tier", "java");
        java.put("calls", javaStats.calls.sum());
        java.put("faults", 0);
        java.put("mean_ms", round(javaStats.meanMillis()));
        all.add(java);
        slots.values().stream().sorted((a, b) -> a.name.compareTo(b.name)).map(this::describe)
                        .filter(description -> description != null).forEach(all::add);
        return all;
    }

    /** Returns the description of plugin {@code name}, or null. */
    Map<String, Object> describe(String name) {
        Slot slot = slots.get(name);
        return slot == null ? null : describe(slot);
    }

    private Map<String, Object> describe(Slot slot) {
        Version version = slot.current;
        if (version == null) {
            return null;
        }
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("name", slot.name);
        description.put("state", version.plugin.isQuarantined() ? "quarantined" : "serving");
        description.put("tier", tier);
        description.put("calls", version.stats.calls.sum());
        description.put("faults", version.stats.faults.sum());
        description.put("fault_limit", version.plugin.limits().faultLimit());
        description.put("mean_ms", round(version.stats.meanMillis()));
        description.put("compile_ms", round(version.compileNanos / 1e6));
        description.put("link_ms", round(version.linkNanos / 1e6));
        description.put("memory_bytes", version.plugin.isReleased() ? 0 : version.memoryBytes);
        description.put("loaded_at", version.loadedAt.toString());
        description.put("origin", version.origin);
        description.put("last_fault", version.plugin.lastFault() == null ? null : firstLine(version.plugin.lastFault()));
        return description;
    }

    /** Returns the plugins serving now, quarantined ones not counted. */
    int servingCount() {
        int count = 0;
        for (Slot slot : slots.values()) {
            Version version = slot.current;
            if (version != null && !version.plugin.isQuarantined()) {
                count++;
            }
        }
        return count;
    }

    /** Stops the compiler thread, unloads every plugin and closes the engine; call it after the workers have stopped. */
    @Override
    public void close() {
        compiler.shutdownNow();
        for (Slot slot : slots.values()) {
            slot.kernel.close();
        }
        slots.clear();
        // A worker thread that has just finished its last call may still be leaving the plugin's
        // context, so the engine gets a short time before the server gives up on closing it.
        long deadline = System.nanoTime() + ENGINE_CLOSE_WAIT.toNanos();
        while (true) {
            try {
                engine.close();
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() >= deadline) {
                    // A compile whose upload timed out may still run on the compiler thread. The JVM's exit ends it.
                    LOG.warning(() -> "the plugin engine did not close, because a plugin compile or call is still running: "
                                    + e.getMessage());
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warning("the plugin engine did not close, because the server was interrupted while it waited");
                return;
            }
        }
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }

    private static String millis(long nanos) {
        return String.format("%.3f", nanos / 1e6);
    }

    static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
