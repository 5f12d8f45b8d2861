// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.Truffle;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.kplugins.kpc.runtime.NativeTier;
import org.kplugins.monitor.link.DataExport;
import org.kplugins.monitor.link.FunctionExport;
import org.kplugins.monitor.link.SymbolTable;
import org.kplugins.x86.runtime.X86NativeTier;

/**
 * The tier options and the auto tier: which tier runs each call from the host, and that the
 * switch keeps the instance's state, fault reports and data windows as they were.
 *
 * <p>A host function {@code probe} reports which tier called it. It returns 1 when the innermost
 * Truffle frame belongs to the native tier's root node, whose call runs the machine code that
 * made the upcall, and 0 when it is the Truffle tier's function root.
 */
class AutoTierTest {

    /** Returns 1 when called from machine code of the native tier and 0 from Truffle nodes. */
    private static final String PROBE_PROTOTYPE = "int probe(void)";

    private static final String SPIN = """
                    #include <kernel.h>
                    static int calls;
                    int spin(int n) {
                        int i = 0;
                        while (i < n) {
                            i++;
                        }
                        calls++;
                        return probe();
                    }
                    int other(void) { return probe(); }
                    int count(void) { return calls; }
                    """;

    // ---- Options ----

    @Test
    void tierRejectsUnknownValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> AutoRun.context(Map.of("kpc.Tier", "fast"), new ByteArrayOutputStream(), null).close());
        assertTrue(e.getMessage().contains("invalid kpc.Tier 'fast': expected truffle, native, emulated or auto"),
                        e.getMessage());
    }

    @Test
    void emulatedCodeRejectsUnknownValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> AutoRun.context(Map.of("kpc.Tier", "emulated", "kpc.EmulatedCode", "soft"), new ByteArrayOutputStream(),
                                        null).close());
        assertTrue(e.getMessage().contains("invalid kpc.EmulatedCode 'soft': expected hardware or checked"), e.getMessage());
    }

    @Test
    void autoThresholdRejectsZeroAndText() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                        () -> AutoRun.context(Map.of("kpc.Tier", "auto", "kpc.AutoThreshold", "0"), new ByteArrayOutputStream(),
                                        null).close());
        assertTrue(zero.getMessage().contains("invalid kpc.AutoThreshold 0: expected 1 or more steps"), zero.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                        () -> AutoRun.context(Map.of("kpc.Tier", "auto", "kpc.AutoThreshold", "hot"), new ByteArrayOutputStream(),
                                        null).close());
        assertTrue(text.getMessage().contains("invalid kpc.AutoThreshold 'hot': expected a whole number of steps from 1"),
                        text.getMessage());
    }

    /** Each kpc.EmulatedCode runs the plugin, or reports why the emulated CPU cannot run it on this host. */
    @Test
    void emulatedTierRunsOrNamesReason() {
        String source = "int twice(int x) { return x * 2; }\n";
        for (String checks : List.of("hardware", "checked")) {
            NativeTier.Mode mode = checks.equals("hardware") ? NativeTier.Mode.EMULATED_HARDWARE
                            : NativeTier.Mode.EMULATED_CHECKED;
            String reason = new X86NativeTier().unavailableReason(mode);
            try (Context context = AutoRun.context(Map.of("kpc.Tier", "emulated", "kpc.EmulatedCode", checks),
                            new ByteArrayOutputStream(), null)) {
                if (reason == null) {
                    Value instance = context.eval(Source.newBuilder("kpc", source, "twice.kpc").buildLiteral());
                    assertEquals(42, instance.invokeMember("twice", 21).asInt(), checks);
                    assertEquals("emulated (" + checks + ")", instance.invokeMember("kpc:tier").asString());
                } else {
                    PolyglotException e = assertThrows(PolyglotException.class,
                                    () -> context.eval(Source.newBuilder("kpc", source, "twice.kpc").buildLiteral()));
                    assertEquals("kpc.Tier=emulated is unavailable: " + reason, e.getMessage(), checks);
                }
            }
        }
    }

    // ---- Switch ----

    /** The probe itself: 0 in the Truffle tier, 1 in the native tier. */
    @Test
    void probeTellsTiersApart() {
        SymbolTable table = probeTable("auto-probe");
        for (String tier : List.of("truffle", "native")) {
            try (Context context = AutoRun.context(Map.of("kpc.Tier", tier, "kpc.SymbolTable", Long.toString(table.id())),
                            new ByteArrayOutputStream(), null)) {
                Value plugin = context.eval(Source.newBuilder("kpc", SPIN, "spin.kpc").buildLiteral());
                assertEquals(tier.equals("native") ? 1 : 0, plugin.invokeMember("spin", 3).asInt(), tier);
            }
        }
    }

    /**
     * With a threshold of 100 steps, spin(97) takes 1 + 97 steps and spin(0) one more. The next
     * call from the host reaches 100 and runs in the native tier, and so does every call of another
     * exported function from then on.
     */
    @Test
    void callReachingThresholdRunsNative() {
        try (AutoRun run = new AutoRun(Map.of("kpc.AutoThreshold", "100"), probeTable("auto-tier-test"))) {
            Value plugin = run.eval("spin.kpc", SPIN);
            assertEquals(0, plugin.invokeMember("spin", 97).asInt());
            assertEquals(0, plugin.invokeMember("other").asInt());
            assertEquals(0, plugin.invokeMember("spin", 0).asInt());
            assertFalse(run.logged(AutoRun.SWITCHED), run.log());

            assertEquals(1, plugin.invokeMember("spin", 0).asInt());
            assertTrue(run.logged("plugin 'spin' switched to the native tier at step 100 of spin()"), run.log());
            assertEquals(1, plugin.invokeMember("other").asInt());
            assertEquals(1, plugin.invokeMember("spin", 5).asInt());
            // The static counter lives in the instance's memory, which both tiers use.
            assertEquals(4, plugin.invokeMember("count").asInt());
        }
    }

    /** Each exported function counts its own steps: 62 of spin() and 60 of other() do not reach 100. */
    @Test
    void functionsCountSeparately() {
        try (AutoRun run = new AutoRun(Map.of("kpc.AutoThreshold", "100"), probeTable("auto-tier-test"))) {
            Value plugin = run.eval("spin.kpc", SPIN);
            assertEquals(0, plugin.invokeMember("spin", 60).asInt());
            for (int i = 0; i < 60; i++) {
                assertEquals(0, plugin.invokeMember("other").asInt());
            }
            assertEquals(1, plugin.invokeMember("count").asInt());
            assertEquals(0, plugin.invokeMember("spin", 0).asInt());
            assertFalse(run.logged(AutoRun.SWITCHED), run.log());
        }
    }

    @Test
    void thresholdOneCompilesAtFirstCall() {
        try (AutoRun run = new AutoRun(Map.of("kpc.AutoThreshold", "1"), probeTable("auto-tier-test"))) {
            Value plugin = run.eval("spin.kpc", SPIN);
            assertFalse(run.logged(AutoRun.SWITCHED), run.log());
            assertEquals(1, plugin.invokeMember("other").asInt());
            assertTrue(run.logged("switched to the native tier at step 1 of other()"), run.log());
        }
    }

    /** The member kpc:tier names the tier of the next call from the host: truffle until the switch, then native. */
    @Test
    void tierMemberReportsSwitch() {
        try (AutoRun run = new AutoRun(Map.of("kpc.AutoThreshold", "2"), probeTable("auto-tier-test"))) {
            Value plugin = run.eval("spin.kpc", SPIN);
            assertEquals("truffle", plugin.invokeMember("kpc:tier").asString());
            assertEquals(0, plugin.invokeMember("spin", 1).asInt());
            assertEquals("truffle", plugin.invokeMember("kpc:tier").asString(), run.log());
            assertEquals(1, plugin.invokeMember("spin", 1).asInt());
            assertEquals("native", plugin.invokeMember("kpc:tier").asString(), run.log());
        }
    }

    /** kpc.DumpX86 prints the machine code when the plugin switches, not when it is parsed. */
    @Test
    void dumpX86PrintsAtSwitch() {
        try (AutoRun run = new AutoRun(Map.of("kpc.AutoThreshold", "2", "kpc.DumpX86", "spin"), probeTable("auto-dump"))) {
            Value plugin = run.eval("spin.kpc", SPIN);
            assertEquals(0, plugin.invokeMember("spin", 1).asInt());
            assertEquals("", run.out.toString(StandardCharsets.UTF_8));

            assertEquals(1, plugin.invokeMember("spin", 1).asInt());
            String listing = run.out.toString(StandardCharsets.UTF_8);
            assertTrue(listing.startsWith("spin() in spin.kpc:\n"), listing);
            assertFalse(listing.contains("other() in spin.kpc"), listing);
        }
    }

    /** The default threshold: 10,000 steps, which a loop of 9,997 iterations and two more calls reach. */
    @Test
    void defaultThresholdIsTenThousandSteps() {
        try (AutoRun run = new AutoRun(Map.of(), probeTable("auto-tier-test"))) {
            Value plugin = run.eval("spin.kpc", SPIN);
            assertEquals(0, plugin.invokeMember("spin", 9_997).asInt());
            assertEquals(0, plugin.invokeMember("spin", 0).asInt());
            assertEquals(1, plugin.invokeMember("spin", 0).asInt());
        }
    }

    /** A second instance of the same program, in the same context, runs the code that the first one made hot. */
    @Test
    void newInstanceStartsInSwitchedTier() {
        try (AutoRun run = new AutoRun(Map.of("kpc.AutoThreshold", "2"), probeTable("auto-tier-test"))) {
            Source source = Source.newBuilder("kpc", SPIN, "spin.kpc").buildLiteral();
            Value first = run.context.eval(source);
            assertEquals(0, first.invokeMember("spin", 3).asInt());
            Value second = run.context.eval(source);
            assertEquals(1, second.invokeMember("spin", 0).asInt());
            assertEquals(1, second.invokeMember("count").asInt());
            assertEquals(1, first.invokeMember("count").asInt());
        }
    }

    /** The heap and the globals written in the Truffle tier are what the machine code reads. */
    @Test
    void switchKeepsHeapAndGlobals() {
        String source = """
                        #include <kernel.h>
                        static int *cells;
                        int fill(int n) {
                            cells = kp_alloc(n * sizeof(int));
                            for (int i = 0; i < n; i++) {
                                cells[i] = i * i;
                            }
                            return probe();
                        }
                        int sum(int n) {
                            int total = 0;
                            for (int i = 0; i < n; i++) {
                                total += cells[i];
                            }
                            return total * 2 + probe();
                        }
                        """;
        // sum(60) takes 61 steps, so its second call switches. The sum of i * i below 60 is 70210.
        try (AutoRun run = new AutoRun(Map.of("kpc.AutoThreshold", "50"), probeTable("auto-tier-test"))) {
            Value plugin = run.eval("cells.kpc", source);
            assertEquals(0, plugin.invokeMember("fill", 60).asInt());
            assertEquals(2 * 70210, plugin.invokeMember("sum", 60).asInt());
            assertEquals(2 * 70210 + 1, plugin.invokeMember("sum", 60).asInt(), run::log);
        }
    }

    /**
     * Four threads, each with its own context on one engine, share the program and its counts.
     * The plugin is compiled once, every call returns the right value, and each thread's last
     * calls run in the native tier.
     */
    @Test
    void threadsShareOneSwitch() throws Exception {
        SymbolTable table = probeTable("auto-threads");
        List<String> records = Collections.synchronizedList(new ArrayList<>());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Source source = Source.newBuilder("kpc", SPIN, "spin.kpc").buildLiteral();
        try (Engine engine = Engine.newBuilder("kpc").allowExperimentalOptions(true)
                        .option("kpc.Tier", "auto").option("kpc.AutoThreshold", "500")
                        .option("kpc.SymbolTable", Long.toString(table.id())).option("log.kpc.tier.level", "FINE")
                        .logHandler(handler).out(new ByteArrayOutputStream()).build()) {
            List<Future<int[]>> results = new ArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                for (int t = 0; t < 4; t++) {
                    results.add(threads.submit(() -> {
                        try (Context context = Context.newBuilder("kpc").engine(engine).build()) {
                            Value plugin = context.eval(source);
                            int nativeCalls = 0;
                            for (int i = 0; i < 100; i++) {
                                nativeCalls += plugin.invokeMember("spin", 10).asInt();
                            }
                            return new int[] {plugin.invokeMember("count").asInt(), nativeCalls,
                                            plugin.invokeMember("other").asInt()};
                        }
                    }));
                }
                for (Future<int[]> result : results) {
                    int[] values = result.get();
                    assertEquals(100, values[0], "calls of spin() in one instance");
                    assertTrue(values[1] > 0, "no call of spin() ran in the native tier");
                    assertEquals(1, values[2], "other() after all calls of spin()");
                }
            } finally {
                threads.shutdown();
            }
        }
        assertEquals(1, records.stream().filter(record -> record.contains(AutoRun.SWITCHED)).count(), String.join("\n", records));
    }

    // ---- Faults ----

    /**
     * Each fault reads the same before and after the switch, with the same message and the same
     * members of the guest object. The faults are a page fault in a nested call, a division by
     * zero, a write to read-only data, and a budget used up.
     */
    @Test
    void faultsMatchAcrossSwitch() {
        String source = """
                        #include <kernel.h>
                        static const int table[2] = {1, 2};
                        static int load(const int *p) { return *p; }
                        int peek(int address) { return load((const int *)address) + probe(); }
                        int divide(int a, int b) { return a / b + probe(); }
                        int poke(int i) { ((int *)table)[i] = 5; return probe(); }
                        int loop(int n) { int i = 0; while (i < n) { i++; } return probe(); }
                        """;
        Map<String, Object[]> calls = new LinkedHashMap<>();
        calls.put("peek", new Object[] {16});
        calls.put("divide", new Object[] {7, 0});
        calls.put("poke", new Object[] {1});
        calls.put("loop", new Object[] {1_000});
        // Each function faults once per round. The first round runs in Truffle, the second in native.
        try (AutoRun run = new AutoRun(Map.of("kpc.AutoThreshold", "600", "kpc.Budget", "500"), probeTable("auto-tier-test"))) {
            Value plugin = run.eval("faults.kpc", source);
            Map<String, PolyglotException> truffle = new LinkedHashMap<>();
            for (Map.Entry<String, Object[]> call : calls.entrySet()) {
                truffle.put(call.getKey(), assertThrows(PolyglotException.class,
                                () -> plugin.invokeMember(call.getKey(), call.getValue())));
            }
            assertFalse(run.logged(AutoRun.SWITCHED), run.log());
            // loop() counted about 500 steps before its budget ran out, so after 98 more its next call reaches 600.
            assertEquals(0, plugin.invokeMember("loop", 98).asInt());
            assertEquals(1, plugin.invokeMember("loop", 0).asInt());
            for (Map.Entry<String, Object[]> call : calls.entrySet()) {
                PolyglotException nativeFault = assertThrows(PolyglotException.class,
                                () -> plugin.invokeMember(call.getKey(), call.getValue()));
                PolyglotException truffleFault = truffle.get(call.getKey());
                assertTrue(nativeFault.isGuestException(), nativeFault::toString);
                assertEquals(truffleFault.getMessage(), nativeFault.getMessage(), call.getKey());
                for (String member : List.of("kind", "address", "access", "size", "function", "line", "column", "plugin",
                                "detail")) {
                    assertEquals(truffleFault.getGuestObject().getMember(member).toString(),
                                    nativeFault.getGuestObject().getMember(member).toString(), call.getKey() + " " + member);
                }
            }
            assertTrue(truffle.get("peek").getMessage().startsWith("faults.kpc:3:40: fault: page fault (page not present):"
                            + " 4-byte read at 0x00000010 in load() of plugin faults"), truffle.get("peek").getMessage());
            assertEquals("WATCHDOG", truffle.get("loop").getGuestObject().getMember("kind").asString());
            assertEquals("plugin faults (8 faults)", plugin.toString());
        }
    }

    // ---- Data windows ----

    /**
     * The plugin uses two of three host data windows, in another order than the host declared
     * them. The instance maps only those two, and the machine code must find each of them there.
     */
    @Test
    void dataWindowsMapAcrossSwitch() {
        ByteBuffer alpha = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        alpha.putInt(4, 3);
        ByteBuffer beta = ByteBuffer.allocate(4);
        ByteBuffer gamma = ByteBuffer.wrap(new byte[] {0, 0, 0, 7}).asReadOnlyBuffer();
        SymbolTable table = probeTable("auto-windows");
        table.add(new DataExport("alpha", "int alpha[2]", 1, alpha, true));
        table.add(new DataExport("beta", "int beta[1]", 1, beta, true));
        table.add(new DataExport("gamma", "const unsigned char gamma[4]", 1, gamma, false));
        String source = """
                        #include <kernel.h>
                        int mix(int add) {
                            int value = gamma[3] * 100 + alpha[1];
                            alpha[0] += add;
                            return value * 10 + probe();
                        }
                        """;
        try (AutoRun run = new AutoRun(Map.of("kpc.AutoThreshold", "2"), table)) {
            Value plugin = run.eval("mix.kpc", source);
            assertEquals(7030, plugin.invokeMember("mix", 5).asInt());
            assertEquals(7031, plugin.invokeMember("mix", 6).asInt());
            assertEquals(11, alpha.getInt(0));
            assertArrayEquals(new byte[4], beta.array());
        }
    }

    // ---- Helpers ----

    /** Returns a symbol table with {@code int probe(void)}. */
    static SymbolTable probeTable(String name) {
        SymbolTable table = new SymbolTable(name);
        table.add(new FunctionExport("probe", PROBE_PROTOTYPE, 1, (memory, arguments) -> innermostRootIsNative() ? 1 : 0));
        return table;
    }

    private static boolean innermostRootIsNative() {
        String rootClass = Truffle.getRuntime().iterateFrames(frame -> frame.getCallTarget() instanceof RootCallTarget target
                        ? target.getRootNode().getClass().getSimpleName() : null);
        return switch (rootClass) {
            case "NativeFunctionRootNode" -> true;
            case "KpcFunctionRootNode" -> false;
            default -> throw new IllegalStateException("probe() called below an unexpected root: " + rootClass);
        };
    }
}
