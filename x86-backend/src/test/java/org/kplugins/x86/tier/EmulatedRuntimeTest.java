// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The emulated tier at the kernel boundary, in both code modes: host functions and data windows
 * through the upcall gate, host failures, and the machine stack limit.
 */
class EmulatedRuntimeTest {

    private static Map<String, String> emulated(String code, Map<String, String> options) {
        Map<String, String> all = new java.util.LinkedHashMap<>(options);
        all.put("kpc.Tier", "emulated");
        all.put("kpc.EmulatedCode", code);
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"checked", "hardware"})
    void hostFunctionsAndDataWindowsMatchTruffle(String code) {
        String source = NativeRuntimeTest.EXPORTS_PLUGIN;
        ByteBuffer truffleCounters = ByteBuffer.allocate(8);
        String truffle = NativeRuntimeTest.runWithExports("truffle", source, new ArrayList<>(), truffleCounters);
        List<String> calls = new ArrayList<>();
        ByteBuffer counters = ByteBuffer.allocate(8);
        String emulatedTier = NativeRuntimeTest.runWithExports("emulated-" + code, source, calls, counters);

        assertEquals(truffle, emulatedTier);
        assertEquals(List.of("mix(-3, 65535, -5000000000, host)", "widen(4000000000)"), calls);
        assertArrayEquals(truffleCounters.array(), counters.array());
    }

    @ParameterizedTest
    @ValueSource(strings = {"checked", "hardware"})
    void hostFunctionFaultsAndErrorsMatchTruffle(String code) {
        String source = NativeRuntimeTest.HOST_FAILURE_PLUGIN;
        for (int argc : new int[] {1, 2}) {
            assertEquals(NativeRuntimeTest.runHostFailure("truffle", source, argc),
                            NativeRuntimeTest.runHostFailure("emulated-" + code, source, argc), "argc " + argc);
        }
    }

    /**
     * Plugin recursion deeper than the machine stack allows ends in the prologue's check of the
     * machine stack limit, as in the native tier, and the context stays usable. Translated regions
     * nest on the Java stack only up to a bound, so the Java stack never overflows first.
     */
    @ParameterizedTest
    @ValueSource(strings = {"checked", "hardware"})
    void deepRecursionStopsAtMachineStackLimit(String code) {
        String source = """
                        static int down(int n) { return down(n + 1) + 1; }
                        int main(void) { return down(0); }
                        """;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = NativeCorpusTest.Corpus.context(emulated(code, Map.of("kpc.StackSize",
                        Integer.toString(64 << 20), "kpc.MemoryLimit", Integer.toString(256 << 20))), out, out)) {
            Value instance = context.eval(Source.newBuilder("kpc", source, "deep.kpc").buildLiteral());
            PolyglotException fault = assertThrows(PolyglotException.class, () -> instance.getMember("main").execute());
            assertTrue(fault.isGuestException(), fault::toString);
            assertEquals("STACK_OVERFLOW", fault.getGuestObject().getMember("kind").asString());
            assertTrue(fault.getMessage().startsWith("deep.kpc:1:33: fault: stack fault (stack overflow): call nesting exceeds"
                            + " the host thread's stack in down() of plugin deep"), fault.getMessage());

            Value healthy = context.eval(Source.newBuilder("kpc", """
                            int sum_to(int n) { int s = 0; for (int i = 1; i <= n; i++) s += i; return s; }
                            """, "sum_to.kpc").buildLiteral());
            assertEquals(5050, healthy.invokeMember("sum_to", 100).asInt());
        }
    }

    /**
     * Instances of one program share its translated code, whose memory operands specialize on
     * the first instance's MMU. Alternating calls of three instances, each on its own buffers,
     * must each see only their own memory.
     */
    @ParameterizedTest
    @ValueSource(strings = {"checked", "hardware"})
    void instancesSharingCodeSeeOwnMemory(String code) {
        String source = """
                        static int state[64];
                        int fill(unsigned char *out, int n, int seed) {
                            for (int i = 0; i < 64; i++) state[i] = seed + i;
                            for (int i = 0; i < n; i++) out[i] = (unsigned char)(state[i % 64] * 3 + i);
                            return state[63];
                        }
                        """;
        try (Engine engine = Engine.newBuilder("kpc").allowExperimentalOptions(true).option("kpc.Tier", "emulated")
                        .option("kpc.EmulatedCode", code).build()) {
            Source plugin = Source.newBuilder("kpc", source, "fill.kpc").buildLiteral();
            List<Context> contexts = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    contexts.add(Context.newBuilder("kpc").engine(engine).allowHostAccess(HostAccess.ALL).build());
                }
                for (int round = 0; round < 40; round++) {
                    for (int c = 0; c < contexts.size(); c++) {
                        int n = 1000 + 7 * c + round;
                        int seed = 100 * c + round;
                        ByteBuffer out = ByteBuffer.allocate(n);
                        Value fill = contexts.get(c).eval(plugin).getMember("fill");
                        assertEquals(seed + 63, fill.execute(out, n, seed).asInt(), "context " + c + " round " + round);
                        for (int i = 0; i < n; i++) {
                            assertEquals((byte) ((seed + i % 64) * 3 + i), out.get(i), "context " + c + " byte " + i);
                        }
                    }
                }
            } finally {
                contexts.forEach(Context::close);
            }
        }
    }

    /** Threads that specialize the shared translated code at once must still each see only their own instance's memory. */
    @ParameterizedTest
    @ValueSource(strings = {"checked", "hardware"})
    void concurrentInstancesSeeOwnMemory(String code) throws InterruptedException {
        String source = """
                        static int state[64];
                        int fill(unsigned char *out, int n, int seed) {
                            for (int i = 0; i < 64; i++) state[i] = seed + i;
                            for (int i = 0; i < n; i++) out[i] = (unsigned char)(state[i % 64] * 3 + i);
                            return state[63];
                        }
                        """;
        try (Engine engine = Engine.newBuilder("kpc").allowExperimentalOptions(true).option("kpc.Tier", "emulated")
                        .option("kpc.EmulatedCode", code).build()) {
            Source plugin = Source.newBuilder("kpc", source, "fill.kpc").buildLiteral();
            List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Context context = Context.newBuilder("kpc").engine(engine).allowHostAccess(HostAccess.ALL).build()) {
                        Value fill = context.eval(plugin).getMember("fill");
                        for (int round = 0; round < 30; round++) {
                            int n = 2000 + 13 * thread + round;
                            int seed = 1000 * thread + round;
                            ByteBuffer out = ByteBuffer.allocate(n);
                            int last = fill.execute(out, n, seed).asInt();
                            if (last != seed + 63) {
                                errors.add("thread " + thread + " round " + round + ": returned " + last);
                            }
                            for (int i = 0; i < n; i++) {
                                if (out.get(i) != (byte) ((seed + i % 64) * 3 + i)) {
                                    errors.add("thread " + thread + " round " + round + ": byte " + i + " is " + out.get(i));
                                    break;
                                }
                            }
                        }
                    } catch (RuntimeException e) {
                        errors.add("thread " + thread + ": " + e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(List.of(), errors);
        }
    }

    /**
     * A long loop gets compiled while it runs. When a branch it never took runs for the first
     * time, the compiled code is dropped, and the loop must enter compiled code again with the
     * same CPU state.
     */
    @ParameterizedTest
    @ValueSource(strings = {"checked", "hardware"})
    void loopReentersCompiledCodeAfterNewBranch(String code) {
        String source = """
                        #include <kernel.h>
                        int main(void) {
                            long long s = 0;
                            for (int i = 0; i < 6000000; i++) {
                                s += i;
                                if (i == 3000000) printk("half\\n");
                            }
                            printk("%lld\\n", s);
                            return 0;
                        }
                        """;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = NativeCorpusTest.Corpus.context(emulated(code, Map.of("kpc.Budget", "0")), out, out)) {
            Value instance = context.eval(Source.newBuilder("kpc", source, "osr.kpc").buildLiteral());
            assertEquals(0, instance.getMember("main").execute().asInt());
        }
        assertEquals("half\n17999997000000\n", out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
