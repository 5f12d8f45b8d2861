// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * Times the compile of {@code examples/grayscale.kpc} from source to a linked plugin instance in
 * a warm engine: preprocessing, parsing, node building, linking and the instance's memory layout.
 * Each round evaluates a source with a distinct name and text, so the engine's source cache
 * cannot return an earlier result. Runs only with {@code -Dkpc.benchmark=true}; the number of
 * rounds can be set with {@code -Dkpc.benchmark.rounds}.
 */
class CompileTimeBenchmarkTest {

    @Test
    void compileAndLinkTime() throws IOException {
        assumeTrue(Boolean.getBoolean("kpc.benchmark"), "set -Dkpc.benchmark=true to run the benchmark");
        int rounds = Integer.getInteger("kpc.benchmark.rounds", 3000);
        String text = Files.readString(Path.of(System.getProperty("kpc.benchmark.plugin", "../examples/grayscale.kpc")));

        try (Context context = Context.newBuilder("kpc").option("engine.WarnInterpreterOnly", "false").build()) {
            double[] millis = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                Source source = Source.newBuilder("kpc", text + "\n// round " + i + "\n", "grayscale" + i + ".kpc")
                                .buildLiteral();
                long start = System.nanoTime();
                Value plugin = context.eval(source);
                millis[i] = (System.nanoTime() - start) / 1e6;
                assertTrue(plugin.hasMember("transcode"), "round " + i + " exports transcode");
            }

            double[] late = Arrays.copyOfRange(millis, rounds / 2, rounds);
            Arrays.sort(late);
            System.out.printf("kpc compile and link: first %.2f ms; over the last %d of %d rounds best %.3f ms, median %.3f ms%n",
                            millis[0], late.length, rounds, late[0], late[late.length / 2]);
        }
    }
}
