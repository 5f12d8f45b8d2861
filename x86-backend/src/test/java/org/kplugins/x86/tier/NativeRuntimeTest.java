// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.kplugins.monitor.link.DataExport;
import org.kplugins.monitor.link.FunctionExport;
import org.kplugins.monitor.link.SymbolTable;
import org.kplugins.x86.runtime.X86NativeTier;
import org.kplugins.x86.testing.Corpus;

/** The native runtime around the machine code: contexts after faults, host exports, the native stack, other hosts. */
class NativeRuntimeTest {

    /** A plugin that calls the host functions mix and widen and uses the data windows table and counters. */
    static final String EXPORTS_PLUGIN = """
                    #include <kernel.h>
                    int mix(signed char a, unsigned short b, long long c, const char *text);
                    unsigned long long widen(unsigned int value);
                    extern const uint8_t table[4];
                    extern int counters[2];
                    int main(void) {
                        printk("mix %d\\n", mix(-3, 65535, -5000000000LL, "host"));
                        printk("widen %llu\\n", widen(4000000000u));
                        printk("table %d %d\\n", table[0], table[3]);
                        counters[0] += 7;
                        counters[1] = table[1] * 1000;
                        return counters[0];
                    }
                    """;

    /** A plugin that hands host function peek a bad pointer (argc 1) or calls fail, which throws (argc 2). */
    static final String HOST_FAILURE_PLUGIN = """
                    #include <kernel.h>
                    int peek(const int *where);
                    int fail(int code);
                    int main(int argc, char **argv) {
                        printk("peek %d\\n", peek((const int *)argv[0]));
                        return argc == 1 ? peek((const int *)16) : fail(argc);
                    }
                    """;

    private static final String SUM_TO = """
                    int sum_to(int n) {
                        int total = 0;
                        for (int i = 1; i <= n; i++) {
                            total += i;
                        }
                        return total;
                    }
                    """;

    @Test
    void faultsLeaveContextUsable() throws IOException {
        List<Path> faults = Corpus.compilingPlugins().stream().filter(plugin -> Corpus.testName(plugin).startsWith("fault/"))
                        .toList();
        assertFalse(faults.isEmpty(), "no fault plugins in the corpus");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = NativeCorpusTest.Corpus.context("native", Map.of("kpc.Budget", "100000"), out, out)) {
            Value earlier = context.eval(Source.newBuilder("kpc", SUM_TO, "sum_to.kpc").buildLiteral());
            assertEquals("native", earlier.invokeMember("kpc:tier").asString());
            for (Path plugin : faults) {
                String name = Corpus.testName(plugin);
                Value instance = context.eval(Source.newBuilder("kpc", plugin.toFile()).build());
                PolyglotException first = assertThrows(PolyglotException.class, () -> instance.invokeMember("main"), name);
                assertTrue(first.isGuestException(), name + ": " + first);
                assertFalse(first.isInternalError(), name + ": " + first);
                PolyglotException again = assertThrows(PolyglotException.class, () -> instance.invokeMember("main"), name);
                for (String member : List.of("kind", "line", "column", "function")) {
                    assertEquals(first.getGuestObject().getMember(member).toString(),
                                    again.getGuestObject().getMember(member).toString(), name + ": " + member + " of the second fault");
                }

                assertEquals(5050, earlier.invokeMember("sum_to", 100).asInt(), "after " + name);
                Value later = context.eval(Source.newBuilder("kpc", SUM_TO, "sum_to.kpc").buildLiteral());
                assertEquals(55, later.invokeMember("sum_to", 10).asInt(), "after " + name);
            }
        }
    }

    @Test
    void hostFunctionsAndDataWindowsMatchTruffle() {
        String source = EXPORTS_PLUGIN;
        List<String> truffleCalls = new ArrayList<>();
        ByteBuffer truffleCounters = ByteBuffer.allocate(8);
        String truffle = runWithExports("truffle", source, truffleCalls, truffleCounters);
        List<String> nativeCalls = new ArrayList<>();
        ByteBuffer nativeCounters = ByteBuffer.allocate(8);
        String nativeTier = runWithExports("native", source, nativeCalls, nativeCounters);

        assertEquals("mix -11\nwiden 4000000001\ntable 9 6\nexit: 7\n", truffle);
        assertEquals(truffle, nativeTier);
        assertEquals(List.of("mix(-3, 65535, -5000000000, host)", "widen(4000000000)"), nativeCalls);
        assertArrayEquals(truffleCounters.array(), nativeCounters.array());
    }

    /** Exports mix, widen, table and counters in a table of its own, and runs the plugin's main in {@code tier}. */
    static String runWithExports(String tier, String source, List<String> calls, ByteBuffer counters) {
        SymbolTable table = new SymbolTable("native-runtime-test");
        table.add(new FunctionExport("mix", "int mix(signed char a, unsigned short b, long long c, const char *text)", 1,
                        (memory, arguments) -> {
                            String text = memory.readCString(arguments[3]);
                            calls.add("mix(" + arguments[0] + ", " + arguments[1] + ", " + arguments[2] + ", " + text + ")");
                            return arguments[0] * 3 - 2 + text.length() - 4;
                        }));
        table.add(new FunctionExport("widen", "unsigned long long widen(unsigned int value)", 1, (memory, arguments) -> {
            calls.add("widen(" + arguments[0] + ")");
            return arguments[0] + 1;
        }));
        table.add(new DataExport("table", "const uint8_t table[4]", 1, ByteBuffer.wrap(new byte[] {9, 8, 7, 6}).asReadOnlyBuffer(),
                        false));
        table.add(new DataExport("counters", "int counters[2]", 1, counters, true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = NativeCorpusTest.Corpus.context(tier, Map.of("kpc.SymbolTable", Long.toString(table.id())), out,
                        out)) {
            Value instance = context.eval(Source.newBuilder("kpc", source, "exports.kpc").buildLiteral());
            int status = instance.getMember("main").execute().asInt();
            return out.toString(StandardCharsets.UTF_8) + "exit: " + status + "\n";
        }
    }

    @Test
    void hostCallOfVariadicFunctionMatchesTruffle() {
        String source = """
                        #include <stdarg.h>
                        static long long weigh(int count, ...) {
                            va_list ap;
                            va_start(ap, count);
                            long long sum = 0;
                            for (int i = 0; i < count; i++) {
                                sum += va_arg(ap, int) * (i + 1);
                            }
                            va_end(ap);
                            return sum;
                        }
                        // A host passes only the named arguments of a variadic function.
                        long long total(int count, ...) {
                            va_list ap;
                            va_start(ap, count);
                            long long own = (long long)(unsigned)ap;
                            va_end(ap);
                            return weigh(3, 10, 20, 30) * 1000000 + count * 1000 + own % 997;
                        }
                        """;
        long[] results = new long[2];
        String[] tiers = {"truffle", "native"};
        for (int t = 0; t < tiers.length; t++) {
            try (Context context = NativeCorpusTest.Corpus.context(tiers[t], Map.of(), new ByteArrayOutputStream(),
                            new ByteArrayOutputStream())) {
                Value instance = context.eval(Source.newBuilder("kpc", source, "total.kpc").buildLiteral());
                results[t] = instance.getMember("total").execute(7).asLong();
            }
        }
        assertEquals(140007000L, results[0] - results[0] % 1000);
        assertEquals(results[0], results[1]);
    }

    @Test
    void hostFunctionFaultsAndErrorsMatchTruffle() {
        String source = HOST_FAILURE_PLUGIN;
        for (int argc : new int[] {1, 2}) {
            String truffle = runHostFailure("truffle", source, argc);
            String nativeTier = runHostFailure("native", source, argc);
            assertEquals(truffle, nativeTier, "argc " + argc);
            assertTrue(nativeTier.contains(argc == 1 ? "fault: page fault (page not present): 4-byte read at 0x00000010"
                            : "host function 'fail' failed: java.lang.IllegalStateException: code 2"), nativeTier);
        }
    }

    static String runHostFailure(String tier, String source, int argc) {
        SymbolTable table = new SymbolTable("native-runtime-failures");
        table.add(new FunctionExport("peek", "int peek(const int *where)", 1,
                        (memory, arguments) -> memory.readInt(arguments[0])));
        table.add(new FunctionExport("fail", "int fail(int code)", 1, (memory, arguments) -> {
            throw new IllegalStateException("code " + arguments[0]);
        }));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = NativeCorpusTest.Corpus.context(tier, Map.of("kpc.SymbolTable", Long.toString(table.id())), out,
                        out)) {
            Value instance = context.eval(Source.newBuilder("kpc", source, "failures.kpc").buildLiteral());
            String[] argv = argc == 1 ? new String[] {"abcd"} : new String[] {"abcd", "x"};
            PolyglotException error = assertThrows(PolyglotException.class, () -> instance.getMember("main").execute(argc, argv));
            assertFalse(error.isInternalError(), error::toString);
            return out.toString(StandardCharsets.UTF_8) + error.getMessage();
        }
    }

    @Test
    void deepRecursionStopsAtNativeStackLimit() {
        String source = """
                        static int down(int n) { return down(n + 1) + 1; }
                        int main(void) { return down(0); }
                        """;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // 64 MiB of plugin stack has room for millions of 16-byte frames, far more native frames
        // than the host thread's stack can take, so the native stack check ends the recursion.
        try (Context context = NativeCorpusTest.Corpus.context("native", Map.of("kpc.StackSize", Integer.toString(64 << 20),
                        "kpc.MemoryLimit", Integer.toString(256 << 20)), out, out)) {
            Value instance = context.eval(Source.newBuilder("kpc", source, "deep.kpc").buildLiteral());
            PolyglotException fault = assertThrows(PolyglotException.class, () -> instance.getMember("main").execute());
            assertTrue(fault.isGuestException(), fault::toString);
            assertEquals("STACK_OVERFLOW", fault.getGuestObject().getMember("kind").asString());
            assertTrue(fault.getMessage().startsWith("deep.kpc:1:33: fault: stack fault (stack overflow): call nesting exceeds"
                            + " the host thread's stack in down() of plugin deep"), fault.getMessage());

            Value healthy = context.eval(Source.newBuilder("kpc", SUM_TO, "sum_to.kpc").buildLiteral());
            assertEquals(5050, healthy.invokeMember("sum_to", 100).asInt());
        }
    }

    @Test
    void storesBeforeFaultingStoreOfGroupWrite() {
        // The three stores share one page-table check. The last one crosses into an unmapped page,
        // and the two before it must still reach the buffer, which is copied back after the fault.
        String source = """
                        struct pixel { unsigned char r, g, b; };
                        void fill(unsigned char *out) {
                            struct pixel *p = (struct pixel *)(out + 4094);
                            p->r = 1;
                            p->g = 2;
                            p->b = 3;
                        }
                        """;
        for (String tier : List.of("truffle", "native")) {
            byte[] buffer = new byte[4096];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Context context = NativeCorpusTest.Corpus.context(tier, Map.of(), out, out)) {
                Value instance = context.eval(Source.newBuilder("kpc", source, "fill.kpc").buildLiteral());
                PolyglotException fault = assertThrows(PolyglotException.class,
                                () -> instance.getMember("fill").execute(ByteBuffer.wrap(buffer)));
                assertTrue(fault.getMessage().startsWith("fill.kpc:6:"), tier + ": " + fault.getMessage());
            }
            assertEquals(1, buffer[4094], tier);
            assertEquals(2, buffer[4095], tier);
        }
    }

    @Test
    void frameLargerThanReserveFaults() {
        // 100,000 printk arguments give rec() an outgoing area of 800 KB, more than the reserve
        // below the native stack limit, so its prologue must check the stack after the frame.
        String arguments = String.join(", ", java.util.Collections.nCopies(100_000, "0"));
        String source = "#include <kernel.h>\nstatic void rec(void) { printk(\"\", " + arguments + "); rec(); }\n"
                        + "int main(void) { rec(); return 0; }\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = NativeCorpusTest.Corpus.context("native", Map.of(), out, out)) {
            Value instance = context.eval(Source.newBuilder("kpc", source, "wide.kpc").buildLiteral());
            PolyglotException fault = assertThrows(PolyglotException.class, () -> instance.getMember("main").execute());
            assertTrue(fault.isGuestException(), fault::toString);
            assertEquals("STACK_OVERFLOW", fault.getGuestObject().getMember("kind").asString());
            assertTrue(fault.getMessage().contains("call nesting exceeds the host thread's stack in rec()"), fault::getMessage);
        }
    }

    @Test
    void virtualThreadsGetTheirCarriersStackLimit() throws InterruptedException {
        String source = """
                        static int down(int n) { return n == 0 ? 0 : down(n - 1) + 1; }
                        int depth(int n) { return down(n); }
                        """;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = NativeCorpusTest.Corpus.context("native", Map.of("kpc.StackSize", Integer.toString(64 << 20),
                        "kpc.MemoryLimit", Integer.toString(256 << 20)), out, out)) {
            Value instance = context.eval(Source.newBuilder("kpc", source, "carriers.kpc").buildLiteral());
            // A virtual thread that sleeps between two calls may resume on another carrier thread,
            // whose stack lies elsewhere. The deep call must fault at that carrier's stack limit.
            for (int round = 0; round < 6; round++) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread thread = Thread.ofVirtual().start(() -> {
                    try {
                        assertEquals(10, instance.invokeMember("depth", 10).asInt());
                        Thread.sleep(5);
                        // A limit from a carrier whose stack lies above this one faults every call.
                        assertEquals(5000, instance.invokeMember("depth", 5000).asInt());
                        // A limit from a carrier whose stack lies below lets recursion run off the stack.
                        PolyglotException fault = assertThrows(PolyglotException.class,
                                        () -> instance.invokeMember("depth", 100_000_000));
                        assertEquals("STACK_OVERFLOW", fault.getGuestObject().getMember("kind").asString(), fault::getMessage);
                        assertTrue(fault.getMessage().contains("call nesting exceeds the host thread's stack"), fault::getMessage);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                thread.join();
                assertNull(failure.get(), () -> "round " + failure.get());
            }
        }
    }

    @Test
    void unavailableOutsideLinuxX86() {
        String arch = System.getProperty("os.arch");
        try {
            System.setProperty("os.arch", "aarch64");
            assertEquals("the native tier runs on Linux x86-64 only, and this JVM runs on " + System.getProperty("os.name")
                            + " aarch64", new X86NativeTier().unavailableReason(org.kplugins.kpc.runtime.NativeTier.Mode.NATIVE));
        } finally {
            System.setProperty("os.arch", arch);
        }
        assertNull(new X86NativeTier().unavailableReason(org.kplugins.kpc.runtime.NativeTier.Mode.NATIVE));
    }

    @Test
    void invalidRegisterCountIsRejected() {
        String previous = System.setProperty(X86NativeTier.REGISTERS_PROPERTY, "9");
        try (Context context = NativeCorpusTest.Corpus.context("native", Map.of(), new ByteArrayOutputStream(),
                        new ByteArrayOutputStream())) {
            PolyglotException error = assertThrows(PolyglotException.class,
                            () -> context.eval(Source.newBuilder("kpc", SUM_TO, "sum_to.kpc").buildLiteral()));
            assertTrue(error.getMessage().contains("invalid kplugins.x86.registers '9': expected 1 to 6 registers"),
                            error::toString);
        } finally {
            if (previous == null) {
                System.clearProperty(X86NativeTier.REGISTERS_PROPERTY);
            } else {
                System.setProperty(X86NativeTier.REGISTERS_PROPERTY, previous);
            }
        }
    }
}
