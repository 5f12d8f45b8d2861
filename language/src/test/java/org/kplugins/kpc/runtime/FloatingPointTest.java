// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/**
 * float and double across the host boundary, the constant folding that must agree with run time,
 * and the printk rules that gcc cannot serve as an oracle for.
 */
class FloatingPointTest {

    private static final String SOURCE = """
            #include <kernel.h>
            float half(float x) { return x / 2; }
            double scale(double x, int factor) { return x * factor; }
            double negative_nan(void) { double zero = 0; return zero / zero; }
            float float_bits(unsigned int bits) { return *(float *) &bits; }
            unsigned long long double_bits(double value) { return *(unsigned long long *) &value; }
            int truncate(double value) { return value; }
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void resultsAreFloatAndDouble(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("results.kpc", SOURCE);
            Value half = plugin.invokeMember("half", 3.0f);
            assertTrue(half.fitsInFloat());
            assertInstanceOf(Float.class, half.as(Object.class), "float comes back as Float");
            assertEquals(1.5f, half.asFloat());
            Value scaled = plugin.invokeMember("scale", 0.1, 3);
            assertInstanceOf(Double.class, scaled.as(Object.class), "double comes back as Double");
            assertEquals(0.1 * 3, scaled.asDouble());
            long nanBits = Double.doubleToRawLongBits(plugin.invokeMember("negative_nan").asDouble());
            assertEquals(0xfff8000000000000L, nanBits, "0.0 / 0.0 is the x86 default NaN, with the sign bit set");
            float payload = plugin.invokeMember("float_bits", 0x7fc12345).asFloat();
            assertEquals(0x7fc12345, Float.floatToRawIntBits(payload), "a NaN payload reaches the host");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hostNumbersConvertToParameters(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("arguments.kpc", SOURCE);
            assertEquals(8388608.0f, plugin.invokeMember("half", 16777217).asFloat(),
                    "an int argument rounds to float: 16777217 becomes 16777216");
            assertEquals(0.05f, plugin.invokeMember("half", 0.1).asFloat(), "a double argument rounds to float");
            assertEquals(0x1p62f, plugin.invokeMember("half", Long.MAX_VALUE).asFloat(),
                    "a long argument rounds once, to float");
            assertEquals(0x3ff0000000000000L, plugin.invokeMember("double_bits", 1).asLong());
            assertEquals(0x4340000000000000L, plugin.invokeMember("double_bits", (1L << 53) + 1).asLong(),
                    "2^53 + 1 rounds to even");
            assertEquals(0x8000000000000000L, plugin.invokeMember("double_bits", -0.0).asLong());
            assertEquals(0x3fb99999a0000000L, plugin.invokeMember("double_bits", 0.1f).asLong(),
                    "a Float argument keeps its value");
            assertEquals(Integer.MIN_VALUE, plugin.invokeMember("truncate", 1e20).asInt());
            assertEquals(-2, plugin.invokeMember("truncate", -2.9).asInt());
            assertThrows(IllegalArgumentException.class, () -> plugin.invokeMember("half", "1.5"));
            assertThrows(IllegalArgumentException.class, () -> plugin.invokeMember("half", true));
            assertEquals(0x1p69f, plugin.invokeMember("half", BigInteger.TWO.pow(70).add(BigInteger.ONE)).asFloat(),
                    "a BigInteger argument rounds to nearest");
        }
    }

    /**
     * gcc folds an out-of-range conversion of a constant by saturating it, and 0.0 / 0.0 to a NaN
     * without the sign bit, while its generated code gives INT_MIN and the default NaN. KPC folds
     * with the run-time rules, so a constant and a variable convert alike.
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void foldingMatchesRunTime(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("folding.kpc", """
                    int folded_int = 1e20;
                    unsigned folded_unsigned = -1.0;
                    unsigned short folded_short = 70000.5;
                    double folded_nan = 0.0 / 0.0;
                    float folded_float_nan = 0.0f / 0.0f;
                    unsigned long long bits(double value) { return *(unsigned long long *) &value; }
                    unsigned int float_bits(float value) { return *(unsigned int *) &value; }
                    int same(double big, double minus_one, double wide, double zero) {
                        int local_folded = 1e20;
                        return (folded_int == (int) big) + 2 * (folded_unsigned == (unsigned) minus_one)
                            + 4 * (folded_short == (unsigned short) wide) + 8 * (local_folded == (int) big)
                            + 16 * (bits(folded_nan) == bits(zero / zero))
                            + 32 * (float_bits(folded_float_nan) == float_bits((float) zero / (float) zero));
                    }
                    int read_int(void) { return folded_int; }
                    unsigned long long read_nan(void) { return bits(folded_nan); }
                    """);
            assertEquals(63, plugin.invokeMember("same", 1e20, -1.0, 70000.5, 0.0).asInt());
            assertEquals(Integer.MIN_VALUE, plugin.invokeMember("read_int").asInt());
            assertEquals(0xfff8000000000000L, plugin.invokeMember("read_nan").asLong());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void printkArgumentOfTheWrongKindIsPrintedAsWritten(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("mismatch.kpc", """
                    #include <kernel.h>
                    int main(void) {
                        printk("[%f|%d|%s|%c|%Lf|%llf|%f]\\n", 1, 2.5, 3.5, 4.5, 5.5);
                        return 0;
                    }
                    """);
            plugin.invokeMember("main");
            assertEquals("[%f|%d|%s|%c|%Lf|%llf|5.500000]\n", run.output(),
                    "a mismatched conversion is printed as written and uses up its argument, while the unknown"
                    + " conversions %Lf and %llf use up none");
        }
    }

    /** glibc 2.36 prints 1.e+06 here, dropping the zeros that C's # flag keeps. */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void alternateGeneralKeepsZerosAfterRoundingCarries(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("carry.kpc", """
                    #include <kernel.h>
                    int main(void) {
                        return printk("[%#g|%#.3g|%g]", 999999.5, 999.7, 999999.5);
                    }
                    """);
            plugin.invokeMember("main");
            assertEquals("[1.00000e+06|1.00e+03|1e+06]", run.output());
        }
    }
}
