// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.kplugins.kpc.host.PluginLimits;
import org.kplugins.server.ImageServer;
import org.kplugins.server.ServerOptions;

/**
 * {@code kpc serve}: starts the image-transcoding web server and runs until the process gets
 * SIGINT or SIGTERM, which stop it cleanly: requests in flight finish first.
 */
final class ServeCommand {

    private final Arguments arguments;
    private final Map<String, String> polyglotOptions;
    private final PrintStream out;
    private final PrintStream err;

    ServeCommand(Arguments arguments, Map<String, String> polyglotOptions, PrintStream out, PrintStream err) {
        this.arguments = arguments;
        this.polyglotOptions = polyglotOptions;
        this.out = out;
        this.err = err;
    }

    /** Serves until the JVM shuts down and returns 0. */
    int run() {
        ServerOptions options = serverOptions(System.getenv(ServerOptions.TOKEN_VARIABLE));
        configureLogging(err);
        ImageServer server;
        try {
            server = ImageServer.start(options);
        } catch (IOException e) {
            throw new InvalidInputException("cannot start the server on " + options.bindAddress() + ":" + options.port() + ": "
                            + e.getMessage() + "; choose another --port or --bind");
        }
        handleStopSignals(server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kpc-serve-shutdown"));
        try {
            server.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop();
        }
        return 0;
    }

    /**
     * Stops the server on SIGINT and SIGTERM before the JVM begins to shut down. A shutdown hook
     * alone would stop it too, but java.util.logging resets its handlers in a shutdown hook of its
     * own, so the stop would go unlogged. sun.misc.Signal is in the jdk.unsupported module, which
     * every JDK 25 has.
     */
    private static void handleStopSignals(ImageServer server) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> Thread.ofPlatform().name("kpc-serve-stop")
                                .start(server::stop));
            } catch (IllegalArgumentException e) {
                // The platform has no such signal, or the JVM reserves it; the shutdown hook still stops the server.
            }
        }
    }

    /**
     * Builds the server options from the command line. The plugin limits come from --budget,
     * --fault-limit, --call-timeout-ms and the kpc.MemoryLimit, kpc.StackSize, kpc.HeapSize and
     * kpc.CallTimeout options; the other polyglot options (the tier's among them) configure the
     * engine.
     *
     * @param tokenVariable the value of {@link ServerOptions#TOKEN_VARIABLE}, used when --token is not given
     */
    ServerOptions serverOptions(String tokenVariable) {
        Map<String, String> engineOptions = new HashMap<>(polyglotOptions);
        PluginLimits limits = ServerOptions.DEFAULT_PLUGIN_LIMITS;
        limits = limits.withBudget(Long.parseLong(engineOptions.remove("kpc.Budget")));
        String memoryLimit = engineOptions.remove("kpc.MemoryLimit");
        if (memoryLimit != null) {
            limits = limits.withMemoryLimit(parseIntOption("kpc.MemoryLimit", memoryLimit));
        }
        String stackSize = engineOptions.remove("kpc.StackSize");
        if (stackSize != null) {
            limits = limits.withStackSize(parseIntOption("kpc.StackSize", stackSize));
        }
        String heapSize = engineOptions.remove("kpc.HeapSize");
        if (heapSize != null) {
            limits = limits.withHeapSize(parseIntOption("kpc.HeapSize", heapSize));
        }
        String callTimeout = engineOptions.remove("kpc.CallTimeout");
        if (callTimeout != null) {
            limits = limits.withCallTimeoutMillis(parseLongOption("kpc.CallTimeout", callTimeout, "milliseconds"));
        }
        Map<String, Long> given = arguments.serveLimits;
        if (given.containsKey("--fault-limit")) {
            limits = limits.withFaultLimit(toInt("--fault-limit", given.get("--fault-limit")));
        }

        ServerOptions.Builder builder = ServerOptions.builder(arguments.root, arguments.pluginsDirectory)
                        .pluginLimits(limits)
                        .engineOptions(engineOptions)
                        .printkOutput(out)
                        .token(arguments.token != null ? arguments.token : emptyToNull(tokenVariable));
        if (arguments.port != null) {
            builder.port(arguments.port);
        }
        if (arguments.bindAddress != null) {
            builder.bindAddress(arguments.bindAddress);
        }
        for (Map.Entry<String, Long> limit : given.entrySet()) {
            BiConsumer<ServerOptions.Builder, Long> setter = LIMIT_SETTERS.get(limit.getKey());
            if (setter != null) {
                setter.accept(builder, limit.getValue());
            } else if (!limit.getKey().equals("--fault-limit")) {
                throw new IllegalStateException("serve option without a setter: " + limit.getKey());
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    /** The setter of each numeric serve option except --fault-limit, which is a plugin limit. */
    private static final Map<String, BiConsumer<ServerOptions.Builder, Long>> LIMIT_SETTERS = Map.ofEntries(
                    Map.entry("--workers", (builder, value) -> builder.workers(toInt("--workers", value))),
                    Map.entry("--max-queued-calls", (builder, value) -> builder.maxQueuedCalls(toInt("--max-queued-calls", value))),
                    Map.entry("--max-upload-bytes", (builder, value) -> builder.maxUploadBytes(toInt("--max-upload-bytes", value))),
                    Map.entry("--max-request-bytes", (builder, value) -> builder.maxRequestBytes(toInt("--max-request-bytes", value))),
                    Map.entry("--max-nesting", (builder, value) -> builder.maxNesting(toInt("--max-nesting", value))),
                    Map.entry("--max-side", (builder, value) -> builder.maxSide(toInt("--max-side", value))),
                    Map.entry("--max-pixels", ServerOptions.Builder::maxPixels),
                    Map.entry("--compile-timeout-ms", (builder, value) -> builder.compileTimeout(Duration.ofMillis(value))),
                    Map.entry("--call-timeout-ms", (builder, value) -> builder.callTimeout(Duration.ofMillis(value))),
                    Map.entry("--max-plugins", (builder, value) -> builder.maxPlugins(toInt("--max-plugins", value))),
                    Map.entry("--max-plugin-memory-bytes", ServerOptions.Builder::maxPluginMemory),
                    Map.entry("--retained-buffer-bytes", ServerOptions.Builder::retainedBufferBytes),
                    Map.entry("--client-timeout-s", (builder, value) -> builder.clientTimeout(Duration.ofSeconds(value))),
                    Map.entry("--shutdown-grace-s", (builder, value) -> builder.shutdownGrace(Duration.ofSeconds(value))));

    private static int toInt(String option, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new InvalidInputException("invalid value " + value + " for " + option + ": expected at most " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    private static int parseIntOption(String option, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("invalid value '" + value + "' for --" + option + ": expected a number of bytes"
                            + " up to " + Integer.MAX_VALUE);
        }
    }

    private static long parseLongOption(String option, String value, String unit) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("invalid value '" + value + "' for --" + option + ": expected a number of " + unit);
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The JVM system property that sets the server's log level (a java.util.logging level name). */
    static final String LOG_LEVEL_PROPERTY = "kplugins.serve.log";

    /**
     * Sends the server's log to {@code stream}, one line per record: time, level, message and any
     * stack trace. The level is INFO unless the system property {@link #LOG_LEVEL_PROPERTY} names
     * another, as {@code bin/kpc --vm.Dkplugins.serve.log=FINE serve ...} does.
     */
    static void configureLogging(PrintStream stream) {
        Logger logger = Logger.getLogger(ImageServer.class.getPackageName());
        logger.setUseParentHandlers(false);
        String levelName = System.getProperty(LOG_LEVEL_PROPERTY, "INFO");
        try {
            logger.setLevel(Level.parse(levelName));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("invalid value '" + levelName + "' for -D" + LOG_LEVEL_PROPERTY
                            + ": expected a log level such as INFO, FINE or WARNING");
        }
        StreamHandler handler = new StreamHandler(stream, new OneLineFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    private static final class OneLineFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder();
            line.append(Instant.ofEpochMilli(record.getMillis())).append(' ').append(record.getLevel().getName()).append(' ')
                            .append(formatMessage(record)).append(System.lineSeparator());
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }
    }
}
