// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kplugins.monitor.fault.FaultKind;
import org.opentest4j.MultipleFailuresError;

/**
 * Runs every test plugin under the test resource folder {@code kpc/} in each execution tier and
 * compares what it prints with the {@code .output} file beside it.
 *
 * <p>A test is a pair {@code kpc/<feature>/<name>.kpc} and {@code <name>.output}. The expected
 * text is everything the plugin prints through {@code printk}, then a line {@code exit: N} with
 * main's return value masked to 0..255 as a process exit status would be. When evaluation throws a
 * {@link PolyglotException} (a compile error or a plugin fault), the last line is the exception
 * message instead. A {@code .kpc} without an {@code .output} is not run.
 *
 * <p>An optional {@code <name>.opts} sets context options for that test, one {@code key=value}
 * per line, for example {@code kpc.Budget=100000}. Blank lines and lines starting with
 * {@code #} are ignored.
 *
 * <p>Besides the per-file tests, {@code fault_then_another_plugin_runs} checks in each tier that a
 * fault ends only the faulting call: the same context then runs other plugins normally.
 */
class KpcFileTest {

    private static final String LANGUAGE_ID = "kpc";
    private static final String PLUGIN_SUFFIX = ".kpc";
    private static final String OUTPUT_SUFFIX = ".output";
    private static final String OPTIONS_SUFFIX = ".opts";
    private static final String FAULT_FOLDER = "fault";

    /**
     * The first line of a fault report: {@code FILE:LINE:COL: fault: KIND_TEXT: DETAIL in FUNC() of
     * plugin NAME}. No {@link FaultKind#description()} contains ": ", so the first ": " after
     * {@code fault: } ends KIND_TEXT.
     */
    private static final Pattern FAULT_REPORT_LINE = Pattern.compile(
            "^(?<file>[^:]+):(?<line>\\d+):(?<column>\\d+): fault: (?<kind>.+?): (?<detail>.*)"
                    + " in (?<function>\\w+)\\(\\) of plugin (?<plugin>\\w+)$",
            Pattern.MULTILINE);

    /** A plugin with no faults, run after each fault to show that the context still works. */
    private static final String HEALTHY_PLUGIN_NAME = "sum_to.kpc";
    private static final String HEALTHY_PLUGIN = """
            int sum_to(int n) {
                int total = 0;
                for (int i = 1; i <= n; i++) {
                    total += i;
                }
                return total;
            }
            """;

    /** Execution tiers. Each runs the whole corpus with its own engine options. */
    enum Tier {
        /** The AST interpreter only, with runtime compilation turned off. */
        INTERP(Map.of("engine.Compilation", "false")),
        /** The default engine: interpret first, compile hot code in the background. */
        JIT(Map.of()),
        /**
         * Compiles every call target in the foreground on its first call. A failure in partial
         * evaluation or compilation fails the test, where the default engine would keep interpreting.
         */
        JIT_IMMEDIATE(Map.of(
                "engine.CompileImmediately", "true",
                "engine.BackgroundCompilation", "false",
                "engine.CompilationFailureAction", "Throw"));

        private final Map<String, String> options;

        Tier(Map<String, String> options) {
            this.options = options;
        }
    }

    @TestFactory
    @DisplayName("interp")
    Stream<DynamicTest> interp() throws IOException {
        return testsFor(Tier.INTERP);
    }

    @TestFactory
    @DisplayName("jit")
    Stream<DynamicTest> jit() throws IOException {
        return testsFor(Tier.JIT);
    }

    @TestFactory
    @DisplayName("jit_immediate")
    Stream<DynamicTest> jitImmediate() throws IOException {
        return testsFor(Tier.JIT_IMMEDIATE);
    }

    @TestFactory
    @DisplayName("fault_then_another_plugin_runs")
    Stream<DynamicTest> faultThenAnotherPluginRuns() {
        return Arrays.stream(Tier.values())
                .map(tier -> DynamicTest.dynamicTest(tier.name().toLowerCase(Locale.ROOT), () -> runFaultsInOneContext(tier)));
    }

    private static Stream<DynamicTest> testsFor(Tier tier) throws IOException {
        Path root = corpusRoot();
        return findPlugins(root).stream()
                .map(plugin -> DynamicTest.dynamicTest(testName(root, plugin), () -> runPlugin(tier, root, plugin)));
    }

    private static Path corpusRoot() {
        URL url = KpcFileTest.class.getResource("/" + LANGUAGE_ID);
        assertNotNull(url, "test resource folder /kpc not found on the test class path");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("invalid URL for the test resource folder: " + url, e);
        }
    }

    /** Lists every {@code .kpc} below {@code folder} that has an {@code .output}, in path order. */
    private static List<Path> findPlugins(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(path -> path.getFileName().toString().endsWith(PLUGIN_SUFFIX))
                    .filter(Files::isRegularFile)
                    .filter(path -> Files.isRegularFile(siblingWithSuffix(path, OUTPUT_SUFFIX)))
                    .sorted()
                    .toList();
        }
    }

    /** Returns the file beside {@code plugin} with the same base name and {@code suffix}. */
    private static Path siblingWithSuffix(Path plugin, String suffix) {
        String name = plugin.getFileName().toString();
        return plugin.resolveSibling(name.substring(0, name.length() - PLUGIN_SUFFIX.length()) + suffix);
    }

    /** Returns {@code <feature>/<name>}, the path below {@code kpc/} without the suffix and with '/' separators. */
    private static String testName(Path root, Path plugin) {
        String relative = root.relativize(plugin).toString().replace(plugin.getFileSystem().getSeparator(), "/");
        return relative.substring(0, relative.length() - PLUGIN_SUFFIX.length());
    }

    /**
     * Reads the plugin's {@code .opts} file, or returns an empty map when it has none.
     *
     * @throws IllegalArgumentException for a line that is not {@code key=value}
     */
    private static Map<String, String> readOptions(Path plugin) throws IOException {
        Path file = siblingWithSuffix(plugin, OPTIONS_SUFFIX);
        Map<String, String> options = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return options;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(file.getFileName() + ":" + (i + 1) + ": invalid option line '"
                        + line + "': expected key=value, for example kpc.Budget=100000");
            }
            options.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
        }
        return options;
    }

    private static Context.Builder contextBuilder(Tier tier, Map<String, String> pluginOptions,
            ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return Context.newBuilder(LANGUAGE_ID)
                .out(out)
                .err(err)
                .allowIO(IOAccess.ALL)
                // The tiers use engine options that Truffle marks experimental.
                .allowExperimentalOptions(true)
                .options(tier.options)
                .options(pluginOptions);
    }

    private static void runPlugin(Tier tier, Path root, Path plugin) throws IOException {
        String expected = Files.readString(siblingWithSuffix(plugin, OUTPUT_SUFFIX), StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String result;
        try (Context context = contextBuilder(tier, readOptions(plugin), out, err).build()) {
            result = runMain(context, plugin);
        }

        String actual = out.toString(StandardCharsets.UTF_8) + result + "\n";
        String fileName = root.relativize(plugin).toString();
        assertEquals(expected, actual, () -> failureMessage(fileName, err));
    }

    /**
     * Evaluates the plugin, calls its main with no arguments, and returns the line that ends the
     * actual text: {@code exit: N}, or the message of the {@link PolyglotException} it threw.
     * Internal errors are rethrown so the test fails with the stack trace, because no
     * {@code .output} file can expect one.
     */
    private static String runMain(Context context, Path plugin) throws IOException {
        try {
            Value instance = context.eval(Source.newBuilder(LANGUAGE_ID, plugin.toFile()).build());
            Value main = instance.getMember("main");
            assertNotNull(main, "plugin " + plugin.getFileName() + " defines no function main");
            // KPC lets main(int argc, char **argv) be called with no arguments: argc is then 0 and argv NULL.
            int status = main.execute().asInt();
            return "exit: " + (status & 0xff);
        } catch (PolyglotException e) {
            if (e.isInternalError()) {
                throw e;
            }
            return e.getMessage();
        }
    }

    private static String failureMessage(String fileName, ByteArrayOutputStream err) {
        String stderr = err.toString(StandardCharsets.UTF_8);
        return stderr.isEmpty() ? fileName : fileName + " (stderr: " + stderr.strip() + ")";
    }

    /** What a fault plugin's {@code .output} expects of its fault, read from the report's first line. */
    private record ExpectedFault(String kind, int line, int column, String function, String plugin) {

        static ExpectedFault parse(Path plugin) throws IOException {
            String output = Files.readString(siblingWithSuffix(plugin, OUTPUT_SUFFIX), StandardCharsets.UTF_8);
            Matcher report = FAULT_REPORT_LINE.matcher(output);
            if (!report.find()) {
                fail(plugin.getFileName() + ": the .output has no line of the form"
                        + " 'FILE:LINE:COL: fault: KIND: DETAIL in FUNC() of plugin NAME'");
            }
            return new ExpectedFault(kindNamed(plugin, report.group("kind")), Integer.parseInt(report.group("line")),
                    Integer.parseInt(report.group("column")), report.group("function"), report.group("plugin"));
        }

        /** Returns the {@link FaultKind} constant name whose report text is {@code description}. */
        private static String kindNamed(Path plugin, String description) {
            for (FaultKind kind : FaultKind.values()) {
                if (kind.description().equals(description)) {
                    return kind.name();
                }
            }
            return fail(plugin.getFileName() + ": the .output names an unknown fault kind '" + description + "'");
        }
    }

    /**
     * Runs every plugin of {@code kpc/fault/} in one context. Each call must end in a guest fault
     * whose members match the plugin's {@code .output}. After each fault, a plugin instance created
     * before the faults and a newly evaluated one must both compute their result normally. The
     * context gets the options of every {@code .opts} file in the folder. A failed check does not
     * stop the run, so the report lists every plugin that failed.
     */
    private static void runFaultsInOneContext(Tier tier) throws IOException {
        List<Path> plugins = findPlugins(corpusRoot().resolve(FAULT_FOLDER));
        assertFalse(plugins.isEmpty(), "no fault plugins found in kpc/" + FAULT_FOLDER);
        Map<String, String> options = mergedOptions(plugins);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Throwable> failures = new ArrayList<>();
        try (Context context = contextBuilder(tier, options, out, err).build()) {
            Value earlierInstance = evaluateHealthyPlugin(context);
            for (Path plugin : plugins) {
                ExpectedFault expected = ExpectedFault.parse(plugin);
                try {
                    checkFault(context, plugin, expected);
                } catch (AssertionError e) {
                    failures.add(e);
                }
                try {
                    checkHealthyPluginsRun(context, earlierInstance, plugin.getFileName().toString());
                } catch (AssertionError e) {
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new MultipleFailuresError(tier.name().toLowerCase(Locale.ROOT) + ": fault plugins in one context", failures);
        }
    }

    /** Evaluates the fault plugin, calls its main, and checks the fault it raises. */
    private static void checkFault(Context context, Path plugin, ExpectedFault expected) throws IOException {
        String name = plugin.getFileName().toString();
        Value instance = context.eval(Source.newBuilder(LANGUAGE_ID, plugin.toFile()).build());
        PolyglotException fault = assertThrows(PolyglotException.class, () -> instance.invokeMember("main"),
                name + ": main must fault");
        assertTrue(fault.isGuestException(), () -> name + ": the fault must be a guest exception, got " + fault);
        assertFalse(fault.isInternalError(), () -> name + ": the fault must not be an internal error, got " + fault);
        Value report = fault.getGuestObject();
        assertNotNull(report, name + ": the fault has no guest object");
        assertAll(name,
                () -> assertEquals(expected.kind(), report.getMember("kind").asString(), name + ": kind"),
                () -> assertEquals(expected.line(), report.getMember("line").asInt(), name + ": line"),
                () -> assertEquals(expected.column(), report.getMember("column").asInt(), name + ": column"),
                () -> assertEquals(expected.function(), report.getMember("function").asString(), name + ": function"),
                () -> assertEquals(expected.plugin(), report.getMember("plugin").asString(), name + ": plugin"));
    }

    /** Checks that plugins evaluated before and after the fault of {@code faultPlugin} run normally. */
    private static void checkHealthyPluginsRun(Context context, Value earlierInstance, String faultPlugin) {
        assertEquals(5050, earlierInstance.invokeMember("sum_to", 100).asInt(),
                "after the fault of " + faultPlugin + ": an instance evaluated before it computes sum_to(100)");
        assertEquals(55, evaluateHealthyPlugin(context).invokeMember("sum_to", 10).asInt(),
                "after the fault of " + faultPlugin + ": a plugin evaluated after it computes sum_to(10)");
    }

    private static Value evaluateHealthyPlugin(Context context) {
        return context.eval(Source.newBuilder(LANGUAGE_ID, HEALTHY_PLUGIN, HEALTHY_PLUGIN_NAME).buildLiteral());
    }

    /**
     * Returns the options of all {@code plugins}' {@code .opts} files together.
     *
     * @throws IllegalArgumentException when two files set one option to different values
     */
    private static Map<String, String> mergedOptions(List<Path> plugins) throws IOException {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Path plugin : plugins) {
            for (Map.Entry<String, String> option : readOptions(plugin).entrySet()) {
                String previous = merged.putIfAbsent(option.getKey(), option.getValue());
                if (previous != null && !previous.equals(option.getValue())) {
                    throw new IllegalArgumentException("conflicting values '" + previous + "' and '"
                            + option.getValue() + "' for option " + option.getKey() + " in kpc/" + FAULT_FOLDER
                            + " (the second in " + plugin.getFileName() + "): all fault plugins run in one"
                            + " context, so their .opts files must agree");
                }
            }
        }
        return merged;
    }
}
