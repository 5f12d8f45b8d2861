// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kplugins.server.ImageServer;
import org.kplugins.server.ServerOptions;

/** Parsing of {@code kpc serve}; the server itself is tested in the server module. */
class ServeCommandTest {

    private final Arguments arguments = new Arguments();
    private final Map<String, String> polyglotOptions = new HashMap<>();

    private ServerOptions parse(String tokenVariable, String... args) {
        arguments.parse(List.of(args), polyglotOptions);
        arguments.validate();
        return new ServeCommand(arguments, polyglotOptions, System.out, System.err).serverOptions(tokenVariable);
    }

    @Test
    void serveTakesFoldersAndLimits() {
        ServerOptions options = parse(null, "serve", "--root", KpcRun.EXAMPLES.resolve("images").toString(), "--plugins="
                        + KpcRun.EXAMPLES, "--port", "0", "--bind", "::1", "--workers=3", "--max-side", "1000",
                        "--compile-timeout-ms", "2500", "--fault-limit", "5", "--budget", "777", "--tier=interp");
        assertEquals(Arguments.Command.SERVE, arguments.command);
        assertEquals(KpcRun.EXAMPLES.resolve("images").toAbsolutePath().normalize(), options.root());
        assertEquals(0, options.port());
        assertEquals("::1", options.bindAddress());
        assertEquals(3, options.workers());
        assertEquals(1000, options.maxSide());
        assertEquals(Duration.ofMillis(2500), options.compileTimeout());
        assertEquals(5, options.pluginLimits().faultLimit());
        assertEquals(777, options.pluginLimits().budget());
        assertEquals("false", options.engineOptions().get("engine.Compilation"));
        assertNull(options.engineOptions().get("kpc.Budget"), "the budget is a plugin limit, not an engine option");
        assertNull(options.token());
    }

    @Test
    void serveTakesMachineCodeTiers() {
        for (String tier : List.of("native", "emulated", "auto")) {
            Arguments parsed = new Arguments();
            Map<String, String> engineOptions = new HashMap<>();
            parsed.parse(List.of("serve", "--root", ".", "--plugins", ".", "--tier=" + tier), engineOptions);
            parsed.validate();
            ServerOptions options = new ServeCommand(parsed, engineOptions, System.out, System.err).serverOptions(null);
            assertEquals(tier, options.engineOptions().get("kpc.Tier"), tier);
            assertNull(options.engineOptions().get("engine.Compilation"), tier);
        }
    }

    /** The start log names the tier that runs with the emulated tier's checks, whichever spelling gave them. */
    @Test
    void startLogNamesEmulatedChecks(@TempDir Path folder) throws IOException {
        Map<String, String> launcherCommonOptions = Map.of("kpc.Tier", "emulated", "kpc.EmulatedCode", "checked");
        List<List<String>> spellings = List.of(List.of("--tier=emulated", "--emulated-code=checked"),
                        List.of("--experimental-options", "--kpc.Tier=emulated", "--kpc.EmulatedCode=checked"));
        for (List<String> spelling : spellings) {
            Arguments parsed = new Arguments();
            Map<String, String> engineOptions = new HashMap<>();
            List<String> args = new ArrayList<>(List.of("serve", "--root", folder.toString(), "--plugins", folder.toString(),
                            "--port", "0", "--bind", "127.0.0.1"));
            args.addAll(spelling);
            parsed.parse(args, engineOptions);
            parsed.validate();
            if (spelling.contains("--experimental-options")) {
                // launcher-common puts the --kpc.* arguments into the options, as KpcMain.run has it do.
                engineOptions.putAll(launcherCommonOptions);
            }
            ServerOptions options = new ServeCommand(parsed, engineOptions, System.out, System.err).serverOptions(null);

            List<String> messages = new CopyOnWriteArrayList<>();
            Handler handler = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    messages.add(record.getMessage());
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            Logger logger = Logger.getLogger(ImageServer.class.getPackageName());
            logger.addHandler(handler);
            try {
                ImageServer.start(options).stop();
            } finally {
                logger.removeHandler(handler);
            }
            assertTrue(messages.stream().anyMatch(message -> message.startsWith("kpc serve started on http://127.0.0.1:")
                            && message.contains(", tier emulated (checked), ")), spelling + ": " + messages);
        }
    }

    @Test
    void everyServeLimitIsApplied() {
        List<String> args = new ArrayList<>(List.of("serve", "--root", ".", "--plugins", "."));
        for (String option : Arguments.SERVE_LIMITS) {
            // Two bytes of plugin memory fit no plugin, which the options reject.
            args.add(option + (option.equals("--max-plugin-memory-bytes") ? "=" + (1L << 40) : "=2"));
        }
        ServerOptions options = parse(null, args.toArray(String[]::new));
        assertEquals(2, options.workers());
        assertEquals(2, options.maxQueuedCalls());
        assertEquals(2, options.maxUploadBytes());
        assertEquals(2, options.maxRequestBytes());
        assertEquals(2, options.maxNesting());
        assertEquals(2, options.maxSide());
        assertEquals(2, options.maxPixels());
        assertEquals(Duration.ofMillis(2), options.compileTimeout());
        assertEquals(Duration.ofMillis(2), options.callTimeout());
        assertEquals(2, options.maxPlugins());
        assertEquals(1L << 40, options.maxPluginMemory());
        assertEquals(2, options.pluginLimits().retainedHostBytes());
        assertEquals(2, options.pluginLimits().faultLimit());
        assertEquals(Duration.ofSeconds(2), options.clientTimeout());
        assertEquals(Duration.ofSeconds(2), options.shutdownGrace());
    }

    @Test
    void serveDefaultsAndTokenVariable() {
        ServerOptions options = parse("from-environment", "serve", "--root", ".", "--plugins", ".");
        assertEquals(ServerOptions.DEFAULT_PORT, options.port());
        assertEquals(ServerOptions.DEFAULT_BIND_ADDRESS, options.bindAddress());
        assertEquals(ServerOptions.DEFAULT_BUDGET, options.pluginLimits().budget());
        assertEquals(ServerOptions.DEFAULT_CALL_TIMEOUT, options.callTimeout());
        assertEquals(ServerOptions.DEFAULT_MAX_PLUGINS, options.maxPlugins());
        assertEquals(ServerOptions.defaultMaxPluginMemory(), options.maxPluginMemory());
        assertEquals(ServerOptions.DEFAULT_RETAINED_BUFFER_BYTES, options.pluginLimits().retainedHostBytes());
        assertEquals("from-environment", options.token());

        // The polyglot launcher puts --kpc.CallTimeout=1234 among the polyglot options.
        ServeCommandTest withPolyglotOption = new ServeCommandTest();
        withPolyglotOption.polyglotOptions.put("kpc.CallTimeout", "1234");
        ServerOptions polyglot = withPolyglotOption.parse(null, "serve", "--root", ".", "--plugins", ".");
        assertEquals(Duration.ofMillis(1234), polyglot.callTimeout());
        assertNull(polyglot.engineOptions().get("kpc.CallTimeout"), "the call timeout is a plugin limit, not an engine option");

        ServerOptions given = new ServeCommandTest().parse("from-environment", "serve", "--root", ".", "--plugins", ".",
                        "--token", "from-option");
        assertEquals("from-option", given.token());
    }

    @Test
    void serveRejectsMissingAndMisplacedOptions() {
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> parse(null, "serve", "--root", "."));
        assertEquals("missing option --plugins DIR for 'kpc serve' (see kpc --help)", missing.getMessage());

        InvalidInputException misplaced = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--port", "80", "p.kpc"), new HashMap<>()));
        assertEquals("option --port belongs to 'kpc serve'; write it after the word serve", misplaced.getMessage());

        InvalidInputException port = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("serve", "--port", "70000"), new HashMap<>()));
        assertEquals("invalid value '70000' for --port: expected 0 (any free port) to 65535", port.getMessage());

        InvalidInputException folder = assertThrows(InvalidInputException.class,
                        () -> new ServeCommandTest().parse(null, "serve", "--root", "no-such-folder", "--plugins", "."));
        assertEquals("invalid value 'no-such-folder' for --root: no such directory", folder.getMessage());

        InvalidInputException stray = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("serve", "extra"), new HashMap<>()));
        assertTrue(stray.getMessage().startsWith("unexpected argument 'extra' for 'kpc serve'"), stray.getMessage());

        for (String value : List.of("-1", "abc", "")) {
            InvalidInputException badPort = assertThrows(InvalidInputException.class,
                            () -> new Arguments().parse(List.of("serve", "--port", value), new HashMap<>()));
            assertEquals("invalid value '" + value + "' for --port: expected 0 (any free port) to 65535", badPort.getMessage());
        }

        InvalidInputException unknown = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("serve", "--bogus", "1"), new HashMap<>()));
        assertEquals("unexpected argument '1' for 'kpc serve' (after --bogus, which is not a kpc option: see kpc --help);"
                        + " give the folders with --root and --plugins", unknown.getMessage());
    }

    @Test
    void helpListsServeOptions() {
        KpcRun run = KpcRun.of("--help");
        assertEquals(0, run.status(), run::toString);
        for (String option : List.of("kpc serve --root DIR --plugins DIR", "--max-upload-bytes N", "--token TOKEN",
                        ServerOptions.TOKEN_VARIABLE)) {
            assertTrue(run.out().contains(option), "help lacks " + option);
        }
    }
}
