// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kpc.CallTimeout in the machine-code tiers. Native code never polls Truffle safepoints, so the
 * call timer stops it through the step counter of its context block, and the emulated CPU is
 * stopped at a safepoint of a backward jump. Either way the fault must be TIMEOUT in the function,
 * and the instance must run later calls.
 */
class MachineCodeTimeoutTest {

    private static final String SPIN = """
                    struct big { char bytes[8 << 20]; };
                    struct big from, to;
                    int loop(void) {
                        int n = 0;
                        while (1)
                            n++;
                        return n;
                    }
                    int jump(void) {
                    again:
                        goto again;
                        return 0;
                    }
                    int copy(void) {
                        for (;;)
                            to = from;
                        return 0;
                    }
                    unsigned char row[3000];
                    int rows(void) {
                        for (;;)
                            for (int i = 0; i < 1000; i++)
                                row[i * 3] = (unsigned char)i;
                        return 0;
                    }
                    int sum(int n) {
                        int total = 0;
                        for (int i = 0; i < n; i++)
                            total += i;
                        return total;
                    }
                    """;

    /** Each tier as NativeCorpusTest names it; auto with a threshold of 1 runs machine code from the first call. */
    private static Context context(String tier, Map<String, String> options) {
        Map<String, String> all = new LinkedHashMap<>(options);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (tier.equals("auto")) {
            all.put("kpc.Tier", "auto");
            all.put("kpc.AutoThreshold", "1");
            return NativeCorpusTest.Corpus.context(all, out, out);
        }
        return NativeCorpusTest.Corpus.context(tier, all, out, out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "emulated-hardware", "emulated-checked", "auto"})
    void endlessMachineCodeTimesOut(String tier) {
        // No budget: the step counter starts at its maximum and only the call timer stops the code.
        try (Context context = context(tier, Map.of("kpc.CallTimeout", "500"))) {
            Value plugin = context.eval(Source.newBuilder("kpc", SPIN, "spin.kpc").buildLiteral());
            assertEquals(4950, plugin.invokeMember("sum", 100).asInt());
            // rows() runs counted loops that take their budget steps before they start.
            for (String function : new String[]{"loop", "jump", "copy", "rows"}) {
                long start = System.nanoTime();
                PolyglotException e = assertThrows(PolyglotException.class, () -> plugin.invokeMember(function), function);
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                Value fault = e.getGuestObject();
                assertEquals("TIMEOUT", fault.getMember("kind").asString(), tier + " " + function + ": " + e.getMessage());
                assertEquals(function, fault.getMember("function").asString(), e.getMessage());
                assertTrue(e.getMessage().contains("call ran longer than the call timeout of 500 ms"), e.getMessage());
                assertTrue(elapsedMillis >= 500, function + " stopped after " + elapsedMillis + " ms");
                // Generous: the auto tier compiles the plugin to machine code within its first timed call.
                assertTrue(elapsedMillis < 60_000, function + " stopped after " + elapsedMillis + " ms");
                for (int call = 0; call < 100; call++) {
                    assertEquals(4950, plugin.invokeMember("sum", 100).asInt(), "after " + function);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"emulated-hardware", "emulated-checked"})
    void compiledEmulationTimesOut(String tier) {
        // Three seconds: long enough for Graal to compile the emulated loop while it runs, whose
        // compiled code may keep the step counter in a register, so only the safepoint stops it.
        try (Context context = context(tier, Map.of("kpc.CallTimeout", "3000"))) {
            Value plugin = context.eval(Source.newBuilder("kpc", SPIN, "spin.kpc").buildLiteral());
            long start = System.nanoTime();
            PolyglotException e = assertThrows(PolyglotException.class, () -> plugin.invokeMember("loop"));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("TIMEOUT", e.getGuestObject().getMember("kind").asString(), e.getMessage());
            assertTrue(elapsedMillis >= 3000, "stopped after " + elapsedMillis + " ms");
            assertTrue(elapsedMillis < 20_000, "stopped after " + elapsedMillis + " ms");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "emulated-hardware"})
    void budgetStaysWatchdogWithTimeout(String tier) {
        try (Context context = context(tier, Map.of("kpc.CallTimeout", "60000", "kpc.Budget", "100000"))) {
            Value plugin = context.eval(Source.newBuilder("kpc", SPIN, "spin.kpc").buildLiteral());
            PolyglotException e = assertThrows(PolyglotException.class, () -> plugin.invokeMember("loop"));
            assertEquals("WATCHDOG", e.getGuestObject().getMember("kind").asString(), e.getMessage());
            assertEquals(5, e.getGuestObject().getMember("line").asInt(), e.getMessage());
        }
    }
}
