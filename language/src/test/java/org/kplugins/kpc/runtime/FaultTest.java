// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/** Each fault kind, with its report's location, and how the host and other plugins carry on. */
class FaultTest {

    /** Evaluates {@code source}, calls {@code function}, and returns the fault it raised. */
    private static PolyglotException fault(Run run, String name, String source, String function, Object... arguments) {
        Value plugin = run.eval(name, source);
        PolyglotException e = assertThrows(PolyglotException.class, () -> plugin.invokeMember(function, arguments));
        assertTrue(e.isGuestException(), "a fault is a guest exception");
        assertFalse(e.isSyntaxError());
        return e;
    }

    private static void assertFault(PolyglotException e, String kind, int line, int column) {
        Value report = e.getGuestObject();
        assertEquals(kind, report.getMember("kind").asString(), e.getMessage());
        assertEquals(line, report.getMember("line").asInt(), e.getMessage());
        assertEquals(column, report.getMember("column").asInt(), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void nullReadIsPageNotPresent(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            PolyglotException e = fault(run, "null.kpc", """
                    int f(void) {
                        int *p = 0;
                        return 1 + *p;
                    }
                    """, "f");
            assertFault(e, "PAGE_NOT_PRESENT", 3, 16);
            assertEquals("""
                    null.kpc:3:16: fault: page fault (page not present): 4-byte read at 0x00000000 in f() of plugin null
                            return 1 + *p;
                                       ^""", e.getMessage());
            assertEquals("READ", e.getGuestObject().getMember("access").asString());
            assertEquals("f", e.getGuestObject().getMember("function").asString());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void stringLiteralWriteIsPageNotWritable(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            PolyglotException e = fault(run, "literal.kpc", """
                    int f(void) {
                        char *s = "abc";
                        s[1] = 'x';
                        return 0;
                    }
                    """, "f");
            assertFault(e, "PAGE_NOT_WRITABLE", 3, 10);
            assertEquals("WRITE", e.getGuestObject().getMember("access").asString());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void constGlobalWriteIsPageNotWritable(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            PolyglotException e = fault(run, "constglobal.kpc", """
                    const int table[2] = {1, 2};
                    int f(void) {
                        int *p = (int *) table;
                        p[1] = 5;
                        return 0;
                    }
                    """, "f");
            assertFault(e, "PAGE_NOT_WRITABLE", 4, 10);
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void accessBeyondLimitIsGeneralProtection(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            PolyglotException e = fault(run, "limit.kpc", """
                    int f(void) {
                        char *p = (char *) 0x7ffff000;
                        return p[0];
                    }
                    """, "f");
            assertFault(e, "GENERAL_PROTECTION", 3, 12);
            assertEquals(0x7ffff000L, e.getGuestObject().getMember("address").asLong());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void divisionFaults(Tier tier) {
        String source = """
                int quotient(int a, int b) {
                    return a / b;
                }
                long long remainder64(long long a, long long b) {
                    return a % b;
                }
                """;
        try (Run run = KpcTestSupport.open(tier)) {
            PolyglotException zero = fault(run, "div.kpc", source, "quotient", 1, 0);
            assertFault(zero, "DIVIDE_ERROR", 2, 14);
            assertTrue(zero.getMessage().contains("division by zero"), zero.getMessage());

            PolyglotException overflow = fault(run, "div.kpc", source, "quotient", Integer.MIN_VALUE, -1);
            assertFault(overflow, "DIVIDE_ERROR", 2, 14);
            assertTrue(overflow.getMessage().contains("INT_MIN / -1 overflows"), overflow.getMessage());

            PolyglotException overflow64 = fault(run, "div.kpc", source, "remainder64", Long.MIN_VALUE, -1);
            assertFault(overflow64, "DIVIDE_ERROR", 5, 14);
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void infiniteRecursionIsStackOverflow(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            PolyglotException e = fault(run, "recurse.kpc", """
                    int down(int n) {
                        return down(n + 1) + 1;
                    }
                    """, "down", 0);
            assertFault(e, "STACK_OVERFLOW", 2, 12);
            assertEquals("down", e.getGuestObject().getMember("function").asString(), "reported in the caller");
            assertEquals("down", e.getGuestObject().getMember("function").asString());
            assertTrue(e.getMessage().contains("stack of 65536 bytes (kpc.StackSize) exhausted"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void endlessLoopIsWatchdog(Tier tier) {
        try (Run run = KpcTestSupport.open(tier, Map.of("kpc.Budget", "1000000"))) {
            PolyglotException e = fault(run, "spin.kpc", """
                    int f(void) {
                        int n = 0;
                        while (1);
                        return n;
                    }
                    int bounded(int n) {
                        int sum = 0;
                        for (int i = 0; i < n; i++)
                            sum += i;
                        return sum;
                    }
                    """, "f");
            assertFault(e, "WATCHDOG", 3, 5);
            assertTrue(e.getMessage().contains("budget of 1000000 steps (kpc.Budget) used up"), e.getMessage());
        }
    }

    /** Checks that a read past a mapped argument's pages faults, because an unmapped page follows each argument. */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void readPastMappedArgumentFaults(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("peek.kpc", """
                    int peek(const unsigned char *in, unsigned char *out, unsigned n) {
                        out[0] = 7;
                        return in[n];
                    }
                    """);
            byte[] in = new byte[4096];
            in[4095] = 5;
            assertEquals(5, p.invokeMember("peek", in, new byte[4096], 4095).asInt());
            PolyglotException e = assertThrows(PolyglotException.class, () -> p.invokeMember("peek", in, new byte[4096], 4096));
            assertFault(e, "PAGE_NOT_PRESENT", 3, 12);
        }
    }

    /**
     * Checks a budget above 2^31 steps. A function counts in int chunks of at most 2^31 - 1 steps
     * (StepBudget), so this loop runs out of its first chunk and takes the rest. It must fault at
     * the same step as one counter would. Compiled only, because the interpreter would take minutes.
     */
    @Test
    void budgetAcrossChunksFaultsExactly() {
        long budget = (1L << 31) + 40;
        try (Run run = KpcTestSupport.open(Tier.COMPILED, Map.of("kpc.Budget", Long.toString(budget)))) {
            Value p = run.eval("long_budget.kpc", """
                    unsigned count(unsigned n) {
                        unsigned k = 0;
                        for (unsigned i = 0; i < n; i++)
                            k += 3;
                        return k;
                    }
                    """);
            // n iterations take n steps: exactly the budget, then one step more.
            assertEquals((3 * budget) & 0xFFFFFFFFL, p.invokeMember("count", (int) budget).asLong());
            PolyglotException e = assertThrows(PolyglotException.class, () -> p.invokeMember("count", (int) budget + 1));
            assertFault(e, "WATCHDOG", 3, 5);
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void budgetResetsForEachHostCall(Tier tier) {
        try (Run run = KpcTestSupport.open(tier, Map.of("kpc.Budget", "1000"))) {
            Value p = run.eval("budget.kpc", """
                    int bounded(int n) {
                        int sum = 0;
                        for (int i = 0; i < n; i++)
                            sum += i;
                        return sum;
                    }
                    """);
            for (int call = 0; call < 5; call++) {
                assertEquals(900 * 899 / 2, p.invokeMember("bounded", 900).asInt());
            }
            PolyglotException e = assertThrows(PolyglotException.class, () -> p.invokeMember("bounded", 2000));
            assertEquals("WATCHDOG", e.getGuestObject().getMember("kind").asString());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void faultedInstanceAndOthersKeepRunning(Tier tier) {
        String source = """
                int value = 1;
                int bump(void) { return ++value; }
                int crash(void) { int *p = 0; return *p; }
                """;
        try (Run run = KpcTestSupport.open(tier)) {
            Value first = run.eval("first.kpc", source);
            Value second = run.eval("second.kpc", source);
            assertEquals(2, first.invokeMember("bump").asInt());
            PolyglotException e = assertThrows(PolyglotException.class, () -> first.invokeMember("crash"));
            assertEquals("first", e.getGuestObject().getMember("plugin").asString());
            assertEquals(3, first.invokeMember("bump").asInt(), "the faulted instance can still be called");
            assertEquals(2, second.invokeMember("bump").asInt(), "the other instance has its own memory");
            assertEquals("plugin first (1 fault)", first.toString());
            assertEquals("plugin second (0 faults)", second.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void printkOfBadPointerFaultsAtCall(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            PolyglotException e = fault(run, "badstring.kpc", """
                    #include <kernel.h>
                    int f(void) {
                        printk("before ");
                        return printk("%s", (char *) 16);
                    }
                    """, "f");
            assertFault(e, "PAGE_NOT_PRESENT", 4, 12);
            assertEquals("before ", run.output(), "output is flushed before the fault propagates");
        }
    }
}
