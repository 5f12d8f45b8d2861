// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kplugins.x86.runtime.X86NativeTier;

/**
 * Runs the plugins of {@code src/test/resources/differential} in the Truffle interpreter and in
 * the native tier, with all registers and with one, and requires the same output and the same
 * exit status or fault report. These plugins print what only KPC defines (plugin addresses of
 * locals, the depth where the stack runs out), so the Truffle tier is their oracle.
 */
class TierDifferentialTest {

    static final Path PLUGINS = Path.of("src", "test", "resources", "differential");

    @TestFactory
    Stream<DynamicTest> nativeMatchesTruffle() throws IOException {
        return plugins().map(plugin -> DynamicTest.dynamicTest(name(plugin), () -> compare(plugin, null)));
    }

    @TestFactory
    Stream<DynamicTest> nativeWithOneRegisterMatchesTruffle() throws IOException {
        return plugins().map(plugin -> DynamicTest.dynamicTest(name(plugin), () -> compare(plugin, "1")));
    }

    @TestFactory
    Stream<DynamicTest> emulatedCheckedMatchesTruffle() throws IOException {
        return plugins().map(plugin -> DynamicTest.dynamicTest(name(plugin), () -> compare(plugin, "emulated", "checked")));
    }

    @TestFactory
    Stream<DynamicTest> emulatedHardwareMatchesTruffle() throws IOException {
        return plugins().map(plugin -> DynamicTest.dynamicTest(name(plugin), () -> compare(plugin, "emulated", "hardware")));
    }

    private static void compare(Path plugin, String tier, String emulatedCode) throws IOException {
        Map<String, String> options = new LinkedHashMap<>(NativeCorpusTest.readOptions(plugin));
        String truffle = run(plugin, "truffle", options, null);
        options.put("kpc.EmulatedCode", emulatedCode);
        assertEquals(truffle, run(plugin, tier, options, null), name(plugin) + " in " + tier + " " + emulatedCode);
    }

    private static Stream<Path> plugins() throws IOException {
        List<Path> plugins;
        try (Stream<Path> files = Files.list(PLUGINS)) {
            plugins = files.filter(path -> path.getFileName().toString().endsWith(".kpc")).sorted().toList();
        }
        assertFalse(plugins.isEmpty(), "no plugins in " + PLUGINS.toAbsolutePath());
        return plugins.stream();
    }

    private static String name(Path plugin) {
        String file = plugin.getFileName().toString();
        return file.substring(0, file.length() - ".kpc".length());
    }

    private static void compare(Path plugin, String registers) throws IOException {
        Map<String, String> options = NativeCorpusTest.readOptions(plugin);
        String truffle = run(plugin, "truffle", options, null);
        String nativeTier = run(plugin, "native", options, registers);
        assertTrue(truffle.lines().count() > 1, () -> name(plugin) + " prints nothing in the Truffle tier:\n" + truffle);
        assertFalse(truffle.contains(": error: "), () -> name(plugin) + " does not compile:\n" + truffle);
        assertEquals(truffle, nativeTier, name(plugin));
    }

    /** Runs main in a fresh context of {@code tier} and returns its output and the last line, as the corpus does. */
    static String run(Path plugin, String tier, Map<String, String> pluginOptions, String registers) throws IOException {
        Map<String, String> options = new LinkedHashMap<>(pluginOptions);
        if (tier.equals("truffle")) {
            options.put("engine.Compilation", "false");
        }
        String previous = registers == null ? null : System.setProperty(X86NativeTier.REGISTERS_PROPERTY, registers);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Context context = NativeCorpusTest.Corpus.context(tier, options, out, err)) {
            String result = NativeCorpusTest.runMain(context, plugin);
            return out.toString(StandardCharsets.UTF_8) + result + "\n";
        } finally {
            if (registers != null) {
                if (previous == null) {
                    System.clearProperty(X86NativeTier.REGISTERS_PROPERTY);
                } else {
                    System.setProperty(X86NativeTier.REGISTERS_PROPERTY, previous);
                }
            }
        }
    }
}
