// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/** kpc.CallTimeout in the Truffle tier: calls that run past it fault with TIMEOUT, and the instance keeps working. */
class CallTimeoutTest {

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
                    int sum(int n) {
                        int total = 0;
                        for (int i = 0; i < n; i++)
                            total += i;
                        return total;
                    }
                    """;

    /** Calls {@code function} with no arguments, expecting it to time out, and returns the fault and the call's time in ms. */
    private static PolyglotException timedOut(Value function, long[] elapsedMillis) {
        long start = System.nanoTime();
        PolyglotException e = assertThrows(PolyglotException.class, function::execute);
        elapsedMillis[0] = (System.nanoTime() - start) / 1_000_000;
        return e;
    }

    /**
     * Calls sum until a call returns in time. The compiled test tier compiles a function
     * synchronously on its first call, which may take longer than the timeout on a loaded machine.
     */
    private static void warmUp(Value plugin) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                plugin.invokeMember("sum", 10);
                return;
            } catch (PolyglotException e) {
                assertEquals("TIMEOUT", e.getGuestObject().getMember("kind").asString(), e.getMessage());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void endlessCallsTimeOut(Tier tier) {
        // No budget: only the clock stops these calls.
        try (Run run = KpcTestSupport.open(tier, Map.of("kpc.CallTimeout", "1000"))) {
            Value plugin = run.eval("spin.kpc", SPIN);
            warmUp(plugin);
            long[] elapsed = new long[1];
            for (String function : new String[]{"loop", "jump", "copy"}) {
                PolyglotException e = timedOut(plugin.getMember(function), elapsed);
                Value fault = e.getGuestObject();
                assertEquals("TIMEOUT", fault.getMember("kind").asString(), function + ": " + e.getMessage());
                assertEquals(function, fault.getMember("function").asString());
                assertTrue(e.getMessage().contains("fault: watchdog (call timed out): call ran longer than the call timeout of"
                                + " 1000 ms in " + function + "()"), e.getMessage());
                assertTrue(elapsed[0] >= 1000, function + " stopped after " + elapsed[0] + " ms");
                // Generous: the compiled tier compiles each function once on its first call.
                assertTrue(elapsed[0] < 10_000, function + " stopped after " + elapsed[0] + " ms");
                assertEquals(4950, plugin.invokeMember("sum", 100).asInt(), "after " + function);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void timeoutAppliesThroughInvokeMember(Tier tier) {
        try (Run run = KpcTestSupport.open(tier, Map.of("kpc.CallTimeout", "200", "kpc.Budget", "1000000000000"))) {
            Value plugin = run.eval("spin.kpc", SPIN);
            PolyglotException e = assertThrows(PolyglotException.class, () -> plugin.invokeMember("loop"));
            Value fault = e.getGuestObject();
            assertEquals("TIMEOUT", fault.getMember("kind").asString(), e.getMessage());
            // The interpreter names the loop; compiled code polls with a relaxed location, the function.
            int line = fault.getMember("line").asInt();
            assertTrue(line == 5 || line == 3, e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void timedOutCallsDoNotStopLaterCalls(Tier tier) {
        // Each timed-out call leaves its expiry running, and a late stop request must find the
        // next call unharmed.
        // 500 ms: long enough that a pause of a loaded machine does not time out a short call.
        try (Run run = KpcTestSupport.open(tier, Map.of("kpc.CallTimeout", "500"))) {
            Value plugin = run.eval("spin.kpc", SPIN);
            Value sum = plugin.getMember("sum");
            Value loop = plugin.getMember("loop");
            warmUp(plugin);
            for (int round = 0; round < 5; round++) {
                PolyglotException e = assertThrows(PolyglotException.class, loop::execute);
                assertEquals("TIMEOUT", e.getGuestObject().getMember("kind").asString(), e.getMessage());
                for (int call = 0; call < 200; call++) {
                    assertEquals(190, sum.execute(20).asInt(), "round " + round + ", call " + call);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void budgetFaultStaysWatchdog(Tier tier) {
        try (Run run = KpcTestSupport.open(tier, Map.of("kpc.CallTimeout", "60000", "kpc.Budget", "1000"))) {
            Value plugin = run.eval("spin.kpc", SPIN);
            PolyglotException e = assertThrows(PolyglotException.class, () -> plugin.invokeMember("loop"));
            assertEquals("WATCHDOG", e.getGuestObject().getMember("kind").asString(), e.getMessage());
        }
    }
}
