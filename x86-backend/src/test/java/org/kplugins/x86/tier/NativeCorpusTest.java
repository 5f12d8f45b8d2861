// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.kplugins.x86.runtime.X86NativeTier;

/**
 * The differential harness of the native tier: every plugin of the language's test corpus
 * ({@code language/src/test/resources/kpc}, whose {@code .output} files the Truffle tier passes in
 * {@code KpcFileTest}) runs with {@code kpc.Tier=native} and must print the same output and end in
 * the same exit status, compile error or fault report.
 *
 * <p>A plugin that uses a feature the native tier cannot lower yet must be listed in
 * {@link #EXPECTED_UNSUPPORTED} with the diagnostic the tier reports, and its test then checks that
 * diagnostic instead of the output. A listed plugin that compiles fails the test, so the list
 * shrinks as the tier grows.
 *
 * <p>The corpus runs twice: with all allocatable registers, and with one register so that nearly
 * every value lives in a spill slot of the native frame.
 */
class NativeCorpusTest {

    /** The corpus of the language module, relative to this module's directory, where the tests run. */
    static final Path CORPUS = Path.of("..", "language", "src", "test", "resources", "kpc");

    /** The corpus plugins that the native tier refuses; see {@link Corpus#EXPECTED_UNSUPPORTED}. */
    static final Map<String, String> EXPECTED_UNSUPPORTED = org.kplugins.x86.testing.Corpus.EXPECTED_UNSUPPORTED;

    @TestFactory
    @DisplayName("native")
    Stream<DynamicTest> nativeTier() throws IOException {
        return plugins(CORPUS).stream().map(plugin -> DynamicTest.dynamicTest(testName(CORPUS, plugin),
                        () -> runPlugin(plugin, null)));
    }

    @TestFactory
    @DisplayName("native_one_register")
    Stream<DynamicTest> nativeTierWithOneRegister() throws IOException {
        return plugins(CORPUS).stream().map(plugin -> DynamicTest.dynamicTest(testName(CORPUS, plugin),
                        () -> runPlugin(plugin, "1")));
    }

    @Test
    void expectedUnsupportedNamesCorpusPlugins() throws IOException {
        List<String> names = plugins(CORPUS).stream().map(plugin -> testName(CORPUS, plugin)).toList();
        for (String name : EXPECTED_UNSUPPORTED.keySet()) {
            assertTrue(names.contains(name), "EXPECTED_UNSUPPORTED names " + name + ", which is not in the corpus");
        }
    }

    private static void runPlugin(Path plugin, String registers) throws IOException {
        runPlugin(plugin, registers, Map.of("kpc.Tier", "native"));
    }

    /**
     * Runs a corpus plugin with the options {@code tier} (kpc.Tier and the options of that tier)
     * and checks its output, exit status or fault report against the expected output.
     *
     * @param registers how many registers the allocator may use, or null for all
     */
    static void runPlugin(Path plugin, String registers, Map<String, String> tier) throws IOException {
        String expected = Files.readString(sibling(plugin, ".output"), StandardCharsets.UTF_8);
        String name = testName(CORPUS, plugin);
        String previous = registers == null ? null : System.setProperty(X86NativeTier.REGISTERS_PROPERTY, registers);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String result;
        Map<String, String> options = new LinkedHashMap<>(readOptions(plugin));
        options.putAll(tier);
        try (Context context = Corpus.context(options, out, err)) {
            result = runMain(context, plugin);
        } finally {
            if (registers != null) {
                if (previous == null) {
                    System.clearProperty(X86NativeTier.REGISTERS_PROPERTY);
                } else {
                    System.setProperty(X86NativeTier.REGISTERS_PROPERTY, previous);
                }
            }
        }

        String unsupported = EXPECTED_UNSUPPORTED.get(name);
        boolean refused = result.contains("error: native tier does not support");
        if (unsupported != null) {
            assertTrue(refused, name + " is listed as unsupported, but the native tier compiled it:\n" + result);
            assertTrue(result.contains(unsupported), name + " is listed as unsupported ('" + unsupported
                            + "') but the native tier reported:\n" + result);
            return;
        }
        assertFalse(refused, name + " is not listed in EXPECTED_UNSUPPORTED, but the native tier refused it:\n" + result);
        String actual = out.toString(StandardCharsets.UTF_8) + result + "\n";
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(expected, actual, stderr.isEmpty() ? name : name + " (stderr: " + stderr.strip() + ")");
    }

    /** Calls main and returns {@code exit: N}, or the message of the compile error or fault. */
    static String runMain(Context context, Path plugin) throws IOException {
        try {
            Value instance = context.eval(Source.newBuilder("kpc", plugin.toFile()).build());
            Value main = instance.getMember("main");
            assertNotNull(main, "plugin " + plugin.getFileName() + " defines no function main");
            return "exit: " + (main.execute().asInt() & 0xff);
        } catch (PolyglotException e) {
            if (e.isInternalError()) {
                throw e;
            }
            return e.getMessage();
        }
    }

    /** Lists every {@code .kpc} below {@code folder} that has an {@code .output}, in path order. */
    static List<Path> plugins(Path folder) throws IOException {
        assertTrue(Files.isDirectory(folder), "corpus folder " + folder.toAbsolutePath() + " not found");
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".kpc"))
                            .filter(path -> Files.isRegularFile(sibling(path, ".output")))
                            .sorted()
                            .toList();
        }
    }

    static Path sibling(Path plugin, String suffix) {
        String name = plugin.getFileName().toString();
        return plugin.resolveSibling(name.substring(0, name.length() - ".kpc".length()) + suffix);
    }

    static String testName(Path root, Path plugin) {
        String relative = root.relativize(plugin).toString().replace(plugin.getFileSystem().getSeparator(), "/");
        return relative.substring(0, relative.length() - ".kpc".length());
    }

    /** Reads the {@code key=value} lines of the plugin's {@code .opts} file, if it has one. */
    static Map<String, String> readOptions(Path plugin) throws IOException {
        Path file = sibling(plugin, ".opts");
        Map<String, String> options = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return options;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            int equals = stripped.indexOf('=');
            if (equals <= 0) {
                fail(file + ": invalid option line '" + stripped + "'");
            }
            options.put(stripped.substring(0, equals).strip(), stripped.substring(equals + 1).strip());
        }
        return options;
    }

    /** Contexts of the harness. */
    static final class Corpus {

        private Corpus() {
        }

        /** Returns a context of {@code tier}, where emulated-checked and emulated-hardware name the emulated tier's code modes. */
        static Context context(String tier, Map<String, String> options, ByteArrayOutputStream out,
                        ByteArrayOutputStream err) {
            Map<String, String> all = new LinkedHashMap<>(options);
            if (tier.startsWith("emulated-")) {
                all.put("kpc.Tier", "emulated");
                all.put("kpc.EmulatedCode", tier.substring("emulated-".length()));
            } else {
                all.put("kpc.Tier", tier);
            }
            return context(all, out, err);
        }

        static Context context(Map<String, String> all, ByteArrayOutputStream out, ByteArrayOutputStream err) {
            return Context.newBuilder("kpc").out(out).err(err).allowIO(IOAccess.ALL).allowExperimentalOptions(true)
                            .allowHostAccess(HostAccess.newBuilder().allowArrayAccess(true).allowBufferAccess(true).build())
                            .options(all).build();
        }
    }
}
