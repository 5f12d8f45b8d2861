// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kplugins.x86.testing.Corpus;

/**
 * Runs the language's test corpus with {@code kpc.Tier=auto} against the expected outputs, at two
 * thresholds.
 *
 * <p>With kpc.AutoThreshold=1 the first call of main reaches the threshold, so the plugin is
 * compiled to machine code at that call and main runs in the native tier. With
 * kpc.AutoThreshold=2 the same source is evaluated twice in one context: the first instance's
 * main runs in the Truffle tier and counts at least 2 steps, and the second instance's main is
 * the call that switches. Both runs must print the expected output, so each fault and exit status
 * is checked once in each tier, and the log must show the switch only at the second run.
 */
class AutoCorpusTest {

    @TestFactory
    @DisplayName("auto_threshold_1")
    Stream<DynamicTest> switchAtFirstCall() throws IOException {
        return Corpus.plugins().stream().map(plugin -> DynamicTest.dynamicTest(Corpus.testName(plugin),
                        () -> runAtFirstCall(plugin)));
    }

    @TestFactory
    @DisplayName("auto_threshold_2")
    Stream<DynamicTest> switchAtSecondInstance() throws IOException {
        return Corpus.compilingPlugins().stream().map(plugin -> DynamicTest.dynamicTest(Corpus.testName(plugin),
                        () -> runTwice(plugin)));
    }

    private static void runAtFirstCall(Path plugin) throws IOException {
        String name = Corpus.testName(plugin);
        String expected = Files.readString(Corpus.sibling(plugin, ".output"), StandardCharsets.UTF_8);
        try (AutoRun run = new AutoRun(options(plugin, "1"), null)) {
            Source source = Source.newBuilder("kpc", plugin.toFile()).build();
            Outcome outcome = runMain(run, source);
            assertEquals(expected, outcome.output, name);
            // A plugin whose compile or instantiation fails never calls main, so nothing switches.
            assertEquals(outcome.calledMain, run.logged(AutoRun.SWITCHED), () -> name + ":\n" + run.log());
        }
    }

    private static void runTwice(Path plugin) throws IOException {
        String name = Corpus.testName(plugin);
        String expected = Files.readString(Corpus.sibling(plugin, ".output"), StandardCharsets.UTF_8);
        try (AutoRun run = new AutoRun(options(plugin, "2"), null)) {
            Source source = Source.newBuilder("kpc", plugin.toFile()).build();
            Outcome truffle = runMain(run, source);
            assertEquals(expected, truffle.output, name + " in the Truffle tier");
            assertTrue(truffle.calledMain, name + " did not reach main");
            assertFalse(run.logged(AutoRun.SWITCHED), () -> name + " switched at the first call:\n" + run.log());

            run.out.reset();
            Outcome x86 = runMain(run, source);
            assertEquals(expected, x86.output, name + " after the switch");
            assertTrue(run.logged(AutoRun.SWITCHED + " at step "), () -> name + " did not switch:\n" + run.log());
            assertTrue(run.logged(" of main(), compiled in "), () -> name + " did not switch at main:\n" + run.log());
        }
    }

    private static Map<String, String> options(Path plugin, String threshold) throws IOException {
        Map<String, String> options = new LinkedHashMap<>(NativeCorpusTest.readOptions(plugin));
        options.put("kpc.AutoThreshold", threshold);
        return options;
    }

    /** The plugin's output followed by the exit line or error message, as in the {@code .output} files. */
    private record Outcome(String output, boolean calledMain) {
    }

    /** Evaluates {@code source} into a new instance and calls its main, as the corpus harness of the native tier does. */
    private static Outcome runMain(AutoRun run, Source source) {
        Value instance;
        try {
            instance = run.context.eval(source);
        } catch (PolyglotException e) {
            if (e.isInternalError()) {
                throw e;
            }
            return new Outcome(run.out.toString(StandardCharsets.UTF_8) + e.getMessage() + "\n", false);
        }
        String result;
        try {
            result = "exit: " + (instance.getMember("main").execute().asInt() & 0xff);
        } catch (PolyglotException e) {
            if (e.isInternalError()) {
                throw e;
            }
            result = e.getMessage();
        }
        return new Outcome(run.out.toString(StandardCharsets.UTF_8) + result + "\n", true);
    }
}
