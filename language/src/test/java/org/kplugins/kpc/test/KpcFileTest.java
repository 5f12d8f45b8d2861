// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every test plugin under the test resource folder {@code kpc/} in each execution tier and
 * compares what it prints with the {@code .output} file beside it.
 *
 * <p>A test is a pair {@code kpc/<feature>/<name>.kpc} and {@code <name>.output}. The expected
 * text is everything the plugin prints through {@code printk}, then a line {@code exit: N} with
 * main's return value masked to 0..255 as a process exit status would be. When evaluation throws a
 * {@link PolyglotException} (a compile error or a plugin fault), the last line is the exception
 * message instead. Folders named {@code error} and {@code fault} are skipped here because they
 * hold cases with their own expectations, and so is any {@code .kpc} without an {@code .output}.
 */
class KpcFileTest {

    private static final String LANGUAGE_ID = "kpc";
    private static final String PLUGIN_SUFFIX = ".kpc";
    private static final String OUTPUT_SUFFIX = ".output";
    private static final List<String> SKIPPED_FOLDERS = List.of("error", "fault");

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

    /** Lists every {@code .kpc} that has an {@code .output}, outside skipped folders, in path order. */
    private static List<Path> findPlugins(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(path -> path.getFileName().toString().endsWith(PLUGIN_SUFFIX))
                    .filter(Files::isRegularFile)
                    .filter(path -> !inSkippedFolder(root, path))
                    .filter(path -> Files.isRegularFile(outputFile(path)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean inSkippedFolder(Path root, Path plugin) {
        for (Path part : root.relativize(plugin.getParent())) {
            if (SKIPPED_FOLDERS.contains(part.toString())) {
                return true;
            }
        }
        return false;
    }

    private static Path outputFile(Path plugin) {
        String name = plugin.getFileName().toString();
        return plugin.resolveSibling(name.substring(0, name.length() - PLUGIN_SUFFIX.length()) + OUTPUT_SUFFIX);
    }

    /** Returns {@code <feature>/<name>}, the path below {@code kpc/} without the suffix and with '/' separators. */
    private static String testName(Path root, Path plugin) {
        String relative = root.relativize(plugin).toString().replace(plugin.getFileSystem().getSeparator(), "/");
        return relative.substring(0, relative.length() - PLUGIN_SUFFIX.length());
    }

    private static void runPlugin(Tier tier, Path root, Path plugin) throws IOException {
        String expected = Files.readString(outputFile(plugin), StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String result;
        try (Context context = Context.newBuilder(LANGUAGE_ID)
                .out(out)
                .err(err)
                .allowIO(IOAccess.ALL)
                .options(tier.options)
                .build()) {
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
            context.eval(Source.newBuilder(LANGUAGE_ID, plugin.toFile()).build());
            Value main = context.getBindings(LANGUAGE_ID).getMember("main");
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
}
