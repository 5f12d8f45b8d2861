// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.IntUnaryOperator;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * Times an upcall (Java host, through a hook, into {@code int inc(int x) { return x + 1; }} and
 * back), the same call through the plugin's polyglot value without the hook, a Java interface call,
 * and linking plus unlinking a hook, with the default engine. Runs only with
 * {@code -Dkpc.benchmark=true}; the benchmarks module measures the same with JMH.
 */
class UpcallBenchmarkTest {

    private static final int ROUNDS = 10;
    private static final int CALLS = 2_000_000;

    @Test
    void upcallAndLinkTimes() {
        assumeTrue(Boolean.getBoolean("kpc.benchmark"), "set -Dkpc.benchmark=true to run the benchmark");
        try (Kernel kernel = Kernel.create("bench")) {
            KernelHook hook = kernel.declareHook("int inc(int x)");
            Plugin plugin = kernel.load("inc", "int inc(int x) { return x + 1; }");
            hook.link(plugin, "inc");
            Value direct = plugin.exported("inc").value();
            IntUnaryOperator java = x -> x + 1;

            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                int sum = 0;
                for (int i = 0; i < CALLS; i++) {
                    sum += hook.call(i).asInt();
                }
                long hookNanos = System.nanoTime() - start;

                start = System.nanoTime();
                int directSum = 0;
                for (int i = 0; i < CALLS; i++) {
                    directSum += direct.execute(i).asInt();
                }
                long directNanos = System.nanoTime() - start;

                start = System.nanoTime();
                int javaSum = 0;
                for (int i = 0; i < CALLS; i++) {
                    javaSum += java.applyAsInt(i);
                }
                long javaNanos = System.nanoTime() - start;
                assertEquals(javaSum, sum);
                assertEquals(javaSum, directSum);

                int links = 100_000;
                start = System.nanoTime();
                for (int i = 0; i < links; i++) {
                    hook.unlink();
                    hook.link(plugin, "inc");
                }
                long linkNanos = System.nanoTime() - start;

                System.out.printf("round %d: upcall through hook %.1f ns, polyglot value %.1f ns, Java interface %.2f ns,"
                                + " unlink+link %.0f ns%n", round, (double) hookNanos / CALLS, (double) directNanos / CALLS,
                                (double) javaNanos / CALLS, (double) linkNanos / links);
            }
        }
    }
}
