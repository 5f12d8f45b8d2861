// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.host.PluginLimits;

/**
 * The settings of an {@link ImageServer}. {@link Builder} starts from the documented defaults, and
 * {@link Builder#build} rejects invalid values with a message that names the option.
 *
 * @param root              the folder whose files are served
 * @param pluginsDirectory  the folder whose {@code NAME.kpc} files are loaded at start
 * @param bindAddress       the address to listen on
 * @param port              the TCP port, or 0 for a free one
 * @param token             the plugin management token, or null to accept management from loopback only
 * @param workers           platform threads that run transcoders, each keeping its own instance of every plugin
 * @param maxQueuedCalls    transcoding requests that may wait for a worker before requests get 503
 * @param maxUploadBytes    the largest plugin source accepted by {@code PUT /plugins/NAME}
 * @param maxNesting        the deepest nesting of brackets, parentheses and braces in an uploaded source
 * @param compileTimeout    how long an upload may take to compile and link before it is rejected
 * @param maxRequestBytes   the largest request body of any other request
 * @param maxSide           the largest width or height of an image to transcode, in pixels
 * @param maxPixels         the largest width * height of an image to transcode
 * @param pluginLimits      memory, budget (steps per request), call timeout, fault limit and retained
 *                          host-buffer bytes of every plugin
 * @param maxPlugins        the most plugin names loaded at once, quarantined ones included
 * @param maxPluginMemory   the plugin memory, in bytes, that all plugins together may reserve, as
 *                          {@link #pluginCharge} counts it
 * @param clientTimeout     how long a client may take to send a request (headers and body), and how
 *                          long a response may wait for the client to read any of it
 * @param shutdownGrace     how long a stop waits for requests in flight
 * @param engineOptions     polyglot engine options, such as {@code engine.Compilation=false} for the interp tier
 * @param printkOutput      where the plugins' printk output goes
 */
public record ServerOptions(Path root, Path pluginsDirectory, String bindAddress, int port, String token, int workers,
                int maxQueuedCalls, int maxUploadBytes, int maxNesting, Duration compileTimeout, int maxRequestBytes,
                int maxSide, long maxPixels, PluginLimits pluginLimits, int maxPlugins, long maxPluginMemory,
                Duration clientTimeout, Duration shutdownGrace, Map<String, String> engineOptions,
                OutputStream printkOutput) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /**
     * Transcoding requests that may wait, per worker; more get 503 at once. A transcoded request
     * took 40 to 100 ms of CPU in benchmarks/serve-load on a loaded 2-core machine. From those
     * figures, 8 per worker keeps the wait there under about a second (an estimate).
     */
    public static final int DEFAULT_QUEUED_CALLS_PER_WORKER = 8;
    /** 64 KiB of source, about 2,000 lines of C: ten times examples/boxblur.kpc. */
    public static final int DEFAULT_MAX_UPLOAD_BYTES = 64 * 1024;
    /** Brackets nested 64 deep; the KPC parser's own limit, 256 levels, is reached later and costs more. */
    public static final int DEFAULT_MAX_NESTING = 64;
    public static final Duration DEFAULT_COMPILE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_SIDE = 8192;
    /** 16 Mi pixels: each RGB buffer is then at most 48 MiB, and both fit the 256 MiB plugin memory. */
    public static final long DEFAULT_MAX_PIXELS = 16L * 1024 * 1024;
    /**
     * One billion steps per request. examples/boxblur.kpc takes 44 steps per pixel, so the largest
     * image accepted by default (16 Mi pixels) needs 738 million. An endless loop uses the budget
     * up within seconds in the jit tier.
     */
    public static final long DEFAULT_BUDGET = 1_000_000_000L;
    public static final int DEFAULT_FAULT_LIMIT = 3;
    /**
     * 30 seconds per transcoder call, about the work the default budget allows: on a loaded 2-core
     * machine, {@code bin/kpc image} ran examples/boxblur.kpc on a 4096x4096 image (the largest
     * size accepted by default) in 24.6 s on its first call in the jit tier, which starts
     * interpreted, and in 6.6 s in the native tier. The interp tier is about 20 times slower
     * than a warm jit tier and needs a longer timeout for images that large.
     */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    /**
     * 4 MiB of host-buffer memory kept by each instance between calls: the buffers of images up to
     * about 700,000 pixels (two RGB buffers) are reused by the next call, and larger ones are given
     * back when their call returns.
     */
    public static final long DEFAULT_RETAINED_BUFFER_BYTES = 4L << 20;
    public static final PluginLimits DEFAULT_PLUGIN_LIMITS = PluginLimits.DEFAULT.withBudget(DEFAULT_BUDGET)
                    .withFaultLimit(DEFAULT_FAULT_LIMIT).withCallTimeoutMillis(DEFAULT_CALL_TIMEOUT.toMillis())
                    .withRetainedHostBytes(DEFAULT_RETAINED_BUFFER_BYTES);
    /** Plugin names loaded at once. Each has a kernel, a hook and compiled code besides its memory. */
    public static final int DEFAULT_MAX_PLUGINS = 64;
    /**
     * The share of the JVM's maximum heap that plugins may reserve by default. The rest is left to
     * decoded images, the image codecs and the buffers of running calls.
     */
    public static final double DEFAULT_PLUGIN_MEMORY_SHARE = 0.5;
    public static final Duration DEFAULT_CLIENT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** The environment variable read for the management token when --token is not given. */
    public static final String TOKEN_VARIABLE = "KPC_SERVE_TOKEN";

    /** The plugin memory below the stack: page 0 and a guard page, which the language never maps. */
    private static final long PAGES_BELOW_STACK = 2 * 4096;
    private static final long PAGE_SIZE = 4096;

    public static Builder builder(Path root, Path pluginsDirectory) {
        return new Builder(root, pluginsDirectory);
    }

    /** Returns the default of --max-plugin-memory-bytes: half the JVM's maximum heap. */
    public static long defaultMaxPluginMemory() {
        return (long) (Runtime.getRuntime().maxMemory() * DEFAULT_PLUGIN_MEMORY_SHARE);
    }

    /**
     * Returns the plugin memory that a plugin reserves, in bytes: the copy of its static data that
     * its code keeps, plus one instance per worker and one on the compiler thread, each holding at
     * most {@code instanceFootprint} bytes between calls.
     *
     * @param staticDataBytes   the plugin's static data, {@code Plugin.staticDataBytes()}
     * @param instanceFootprint the memory of one instance between calls, {@code Plugin.instanceFootprint()}
     */
    public long pluginCharge(long staticDataBytes, long instanceFootprint) {
        return staticDataBytes + (workers + 1L) * instanceFootprint;
    }

    /**
     * Returns the least memory any plugin reserves: the charge of one without static data, whose
     * instances hold the pages below their stack, their stack, their whole heap range and the
     * retained host-buffer bytes.
     */
    public long minimumPluginCharge() {
        long footprint = PAGES_BELOW_STACK + pluginLimits.stackSize() + pluginLimits.heapSize()
                        + pluginLimits.retainedHostBytes();
        return pluginCharge(0, Math.min(footprint, pluginLimits.memoryLimit()));
    }

    /** Returns the wall-clock time each transcoder call may take (--call-timeout-ms). */
    public Duration callTimeout() {
        return Duration.ofMillis(pluginLimits.callTimeoutMillis());
    }

    /**
     * Returns the bytes of plugin memory that the input and output buffers of the largest accepted
     * image take, with the unmapped guard page between them.
     */
    long bufferBytes() {
        long buffer = maxPixels * 3;
        return 2 * ((buffer + PAGE_SIZE - 1) & -PAGE_SIZE) + PAGE_SIZE;
    }

    /** Options with their defaults; each setter replaces one. */
    public static final class Builder {
        private final Path root;
        private final Path pluginsDirectory;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port = DEFAULT_PORT;
        private String token;
        private int workers = Runtime.getRuntime().availableProcessors();
        /** The queued calls, or 0 for {@link #DEFAULT_QUEUED_CALLS_PER_WORKER} per worker. */
        private int maxQueuedCalls;
        private int maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        private int maxNesting = DEFAULT_MAX_NESTING;
        private Duration compileTimeout = DEFAULT_COMPILE_TIMEOUT;
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private int maxSide = DEFAULT_MAX_SIDE;
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private PluginLimits pluginLimits = DEFAULT_PLUGIN_LIMITS;
        /** The call timeout, or null to keep the one of {@link #pluginLimits}. */
        private Duration callTimeout;
        /** The retained host-buffer bytes, or -1 to keep those of {@link #pluginLimits}. */
        private long retainedBufferBytes = -1;
        private int maxPlugins = DEFAULT_MAX_PLUGINS;
        /** The plugin memory budget in bytes, or 0 for {@link #defaultMaxPluginMemory()}. */
        private long maxPluginMemory;
        private Duration clientTimeout = DEFAULT_CLIENT_TIMEOUT;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private Map<String, String> engineOptions = Map.of();
        private OutputStream printkOutput = System.out;

        private Builder(Path root, Path pluginsDirectory) {
            this.root = root;
            this.pluginsDirectory = pluginsDirectory;
        }

        public Builder bindAddress(String address) {
            this.bindAddress = address;
            return this;
        }

        public Builder port(int number) {
            this.port = number;
            return this;
        }

        public Builder token(String secret) {
            this.token = secret;
            return this;
        }

        public Builder workers(int count) {
            this.workers = count;
            return this;
        }

        public Builder maxQueuedCalls(int count) {
            this.maxQueuedCalls = count;
            return this;
        }

        public Builder maxUploadBytes(int bytes) {
            this.maxUploadBytes = bytes;
            return this;
        }

        public Builder maxNesting(int levels) {
            this.maxNesting = levels;
            return this;
        }

        public Builder compileTimeout(Duration timeout) {
            this.compileTimeout = timeout;
            return this;
        }

        public Builder maxRequestBytes(int bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        public Builder maxSide(int pixels) {
            this.maxSide = pixels;
            return this;
        }

        public Builder maxPixels(long pixels) {
            this.maxPixels = pixels;
            return this;
        }

        public Builder pluginLimits(PluginLimits limits) {
            this.pluginLimits = limits;
            return this;
        }

        /** Sets the wall-clock time each transcoder call may take, in place of the call timeout of the plugin limits. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        /** Sets the host-buffer memory each plugin instance keeps between calls, in place of that of the plugin limits. */
        public Builder retainedBufferBytes(long bytes) {
            this.retainedBufferBytes = bytes;
            return this;
        }

        public Builder maxPlugins(int count) {
            this.maxPlugins = count;
            return this;
        }

        /** Sets the plugin memory that all plugins together may reserve, in bytes. */
        public Builder maxPluginMemory(long bytes) {
            this.maxPluginMemory = bytes;
            return this;
        }

        public Builder clientTimeout(Duration timeout) {
            this.clientTimeout = timeout;
            return this;
        }

        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = grace;
            return this;
        }

        public Builder engineOptions(Map<String, String> options) {
            this.engineOptions = Map.copyOf(options);
            return this;
        }

        public Builder printkOutput(OutputStream output) {
            this.printkOutput = output;
            return this;
        }

        /**
         * Checks every value and returns the options.
         *
         * @throws IllegalArgumentException naming the invalid option and the accepted range
         */
        public ServerOptions build() {
            requireDirectory(root, "--root");
            requireDirectory(pluginsDirectory, "--plugins");
            requireRange("--port", port, 0, 65535);
            requireRange("--workers", workers, 1, 1024);
            int queuedCalls = maxQueuedCalls == 0 ? DEFAULT_QUEUED_CALLS_PER_WORKER * workers : maxQueuedCalls;
            requireRange("--max-queued-calls", queuedCalls, 1, 1_000_000);
            requireRange("--max-upload-bytes", maxUploadBytes, 1, 16 << 20);
            requireRange("--max-nesting", maxNesting, 1, 256);
            requireRange("--max-request-bytes", maxRequestBytes, 0, 16 << 20);
            requireRange("--max-side", maxSide, 1, 65535);
            requireRange("--max-pixels", maxPixels, 1, 1L << 30);
            requirePositive("--compile-timeout", compileTimeout);
            PluginLimits limits = pluginLimits;
            if (callTimeout != null) {
                requireRange("--call-timeout-ms", callTimeout.toMillis(), 1, KpcLanguage.MAX_CALL_TIMEOUT_MILLIS);
                limits = limits.withCallTimeoutMillis(callTimeout.toMillis());
            }
            if (retainedBufferBytes != -1) {
                requireRange("--retained-buffer-bytes", retainedBufferBytes, 0, Integer.MAX_VALUE);
                limits = limits.withRetainedHostBytes(retainedBufferBytes);
            }
            requireRange("--max-plugins", maxPlugins, 1, 100_000);
            long pluginMemory = maxPluginMemory == 0 ? defaultMaxPluginMemory() : maxPluginMemory;
            requireRange("--max-plugin-memory-bytes", pluginMemory, 1, Long.MAX_VALUE / 4);
            requirePositive("--client-timeout", clientTimeout);
            if (shutdownGrace.isNegative()) {
                throw new IllegalArgumentException("invalid shutdown grace " + shutdownGrace + ": expected 0 or more seconds");
            }
            if (token != null && token.isBlank()) {
                throw new IllegalArgumentException("invalid management token: it is empty; give a secret of at least 16"
                                + " characters, or none to accept management from loopback only");
            }
            ServerOptions options = new ServerOptions(root.toAbsolutePath().normalize(), pluginsDirectory.toAbsolutePath()
                            .normalize(), bindAddress, port, token, workers, queuedCalls, maxUploadBytes, maxNesting,
                            compileTimeout, maxRequestBytes, maxSide, maxPixels, limits, maxPlugins, pluginMemory, clientTimeout,
                            shutdownGrace, engineOptions, printkOutput);
            requireBuffersFit(options);
            requirePluginMemoryFits(options);
            return options;
        }

        private static void requireDirectory(Path folder, String option) {
            if (folder == null) {
                throw new IllegalArgumentException("missing option " + option + " DIR");
            }
            if (!Files.isDirectory(folder)) {
                throw new IllegalArgumentException("invalid value '" + folder + "' for " + option + ": "
                                + (Files.exists(folder) ? "not a directory" : "no such directory"));
            }
        }

        private static void requireRange(String option, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException("invalid value " + value + " for " + option + ": expected " + min + " to " + max);
            }
        }

        private static void requirePositive(String option, Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("invalid value " + duration.toMillis() + " ms for " + option
                                + ": expected a positive time");
            }
        }

        /** Rejects a plugin memory budget too small for even one plugin. */
        private static void requirePluginMemoryFits(ServerOptions options) {
            long minimum = options.minimumPluginCharge();
            if (minimum > options.maxPluginMemory()) {
                throw new IllegalArgumentException("invalid value " + options.maxPluginMemory() + " for"
                                + " --max-plugin-memory-bytes: the smallest plugin reserves " + minimum + " bytes ("
                                + (options.workers() + 1) + " instances of its stack, heap and retained buffers); raise it,"
                                + " or lower --workers, --kpc.HeapSize or --retained-buffer-bytes");
            }
        }

        /**
         * Rejects a pixel limit whose buffers cannot fit the plugin memory, so that no request of
         * accepted size fails for lack of plugin memory. Static data is counted as empty; a plugin
         * with large globals can still be refused an image near the limit, and gets 413.
         */
        private static void requireBuffersFit(ServerOptions options) {
            PluginLimits limits = options.pluginLimits();
            long available = limits.memoryLimit() - PAGES_BELOW_STACK - limits.stackSize() - limits.heapSize();
            if (options.bufferBytes() > available) {
                throw new IllegalArgumentException("invalid value " + options.maxPixels() + " for --max-pixels: the input and"
                                + " output buffers of such an image take " + options.bufferBytes() + " bytes, but the plugin"
                                + " memory leaves " + available + " bytes for them; lower --max-pixels or raise"
                                + " --kpc.MemoryLimit");
            }
        }
    }
}
