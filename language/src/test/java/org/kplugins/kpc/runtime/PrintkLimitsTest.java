// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.builtins.PrintkFormatter;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/**
 * The bounds of printk's output: widths and integer precisions above 4096 count as 4096, and one
 * call writes at most 1 MiB. The tests also cover a precision given as an argument, {@code .*}.
 */
class PrintkLimitsTest {

    private static final int MAX_FIELD = PrintkFormatter.MAX_FIELD_WIDTH;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hugeWidthsAndPrecisionsAreClamped(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("wide.kpc", """
                    #include <kernel.h>
                    int width(void) { return printk("%2147483000d", 1); }
                    int precision(void) { return printk("%.2147483000d", 1); }
                    int beyond_int(void) { return printk("%99999999999999999999d", 1); }
                    int star_int_min(void) { return printk("%*d|", -2147483647 - 1, 1); }
                    int string_width(void) { return printk("%999999999s", "s"); }
                    """);

            assertEquals(MAX_FIELD, p.invokeMember("width").asInt(), "%2147483000d");
            String expected = " ".repeat(MAX_FIELD - 1) + "1";
            assertEquals(expected, run.output(), "%2147483000d");

            assertEquals(MAX_FIELD, p.invokeMember("precision").asInt(), "%.2147483000d");
            expected += "0".repeat(MAX_FIELD - 1) + "1";
            assertEquals(expected, run.output(), "%.2147483000d");

            assertEquals(MAX_FIELD, p.invokeMember("beyond_int").asInt(), "%99999999999999999999d");
            expected += " ".repeat(MAX_FIELD - 1) + "1";
            assertEquals(expected, run.output(), "%99999999999999999999d");

            assertEquals(MAX_FIELD + 1, p.invokeMember("star_int_min").asInt(), "%*d with INT_MIN");
            expected += "1" + " ".repeat(MAX_FIELD - 1) + "|";
            assertEquals(expected, run.output(), "%*d with INT_MIN, left-aligned");

            assertEquals(MAX_FIELD, p.invokeMember("string_width").asInt(), "%999999999s");
            expected += " ".repeat(MAX_FIELD - 1) + "s";
            assertEquals(expected, run.output(), "%999999999s");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void precisionFromArgument(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("star.kpc", """
                    #include <kernel.h>
                    int main(void) {
                        return printk("[%.*d|%-*.*d|%.*d|%.*s|%.*d]", 5, 42, 6, 3, 7, -1, 9, 2, "abc", 999999, 1);
                    }
                    """);

            p.invokeMember("main");

            String expected = "[00042|007   |9|ab|" + "0".repeat(MAX_FIELD - 1) + "1]";
            assertEquals(expected, run.output());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void precisionWithoutArgumentIsLiteral(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("missing.kpc", """
                    #include <kernel.h>
                    int main(void) { return printk("[%.*d]"); }
                    """);

            p.invokeMember("main");

            assertEquals("[%.*d]", run.output());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void outputIsCutAtOneMebibyte(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("long.kpc", """
                    #include <kernel.h>
                    char text[600001];
                    void fill(void) {
                        for (int i = 0; i < 600000; i++)
                            text[i] = 'a';
                    }
                    int twice(void) { return printk("%s%s", text, text); }
                    int then_bad_pointer(void) { return printk("%s%s%s", text, text, (char *) 1); }
                    """);
            p.invokeMember("fill");

            assertEquals(PrintkFormatter.MAX_OUTPUT_LENGTH, p.invokeMember("twice").asInt(), "return value of twice()");
            assertEquals(PrintkFormatter.MAX_OUTPUT_LENGTH, run.output().length(), "bytes written by twice()");

            // The %s of address 1 comes after the cut, so printk does not read it and does not fault.
            assertEquals(PrintkFormatter.MAX_OUTPUT_LENGTH, p.invokeMember("then_bad_pointer").asInt(),
                            "return value of then_bad_pointer()");
            assertEquals(2 * PrintkFormatter.MAX_OUTPUT_LENGTH, run.output().length(), "bytes written by both calls");
        }
    }
}
