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
 * @param pluginLimits      memory, budget (steps per request), call timeout and fault limit of every plugin
 * @param clientTimeout     how long a client may take to send a request or to receive a response
 * @param shutdownGrace     how long a stop waits for requests in flight
 * @param engineOptions     polyglot engine options, such as {@code engine.Compilation=false} for the interp tier
 * @param printkOutput      where the plugins' printk output goes
 */
public record ServerOptions(Path root, Path pluginsDirectory, String bindAddress, int port, String token, int workers,
                int maxQueuedCalls, int maxUploadBytes, int maxNesting, Duration compileTimeout, int maxRequestBytes,
                int maxSide, long maxPixels, PluginLimits pluginLimits, Duration clientTimeout, Duration shutdownGrace,
                Map<String, String> engineOptions, OutputStream printkOutput) {

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
    public static final PluginLimits DEFAULT_PLUGIN_LIMITS = PluginLimits.DEFAULT.withBudget(DEFAULT_BUDGET)
                    .withFaultLimit(DEFAULT_FAULT_LIMIT).withCallTimeoutMillis(DEFAULT_CALL_TIMEOUT.toMillis());
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

    /** Returns the wall-clock time each transcoder call may take (--call-timeout-ms). */
    public Duration callTimeout() {
        return Duration.ofMillis(pluginLimits.callTimeoutMillis());
    }

    /** Returns the bytes of plugin memory that the input and output buffers of the largest accepted image take. */
    long bufferBytes() {
        long buffer = maxPixels * 3;
        return 2 * ((buffer + PAGE_SIZE - 1) & -PAGE_SIZE);
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
                            compileTimeout, maxRequestBytes, maxSide, maxPixels, limits, clientTimeout, shutdownGrace,
                            engineOptions, printkOutput);
            requireBuffersFit(options);
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
