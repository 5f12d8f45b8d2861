// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/** C integer semantics under ILP32: wrapping, unsigned operations, shifts, division signs, conversions. */
class ArithmeticTest {

    private static final String SOURCE = """
            #include <stdint.h>
            unsigned int uadd(unsigned int a, unsigned int b) { return a + b; }
            int sadd(int a, int b) { return a + b; }
            int smul(int a, int b) { return a * b; }
            int neg(int a) { return -a; }
            unsigned int udiv(unsigned int a, unsigned int b) { return a / b; }
            unsigned int urem(unsigned int a, unsigned int b) { return a % b; }
            int sdiv(int a, int b) { return a / b; }
            int srem(int a, int b) { return a % b; }
            int shl(int a, int n) { return a << n; }
            int sar(int a, int n) { return a >> n; }
            unsigned int shr(unsigned int a, int n) { return a >> n; }
            long long shl64(long long a, int n) { return a << n; }
            int ult(unsigned int a, unsigned int b) { return a < b; }
            int slt(int a, int b) { return a < b; }
            int to_schar(int a) { return (signed char) a; }
            int to_uchar(int a) { return (unsigned char) a; }
            int to_short(int a) { return (short) a; }
            int to_bool(long long a) { return (_Bool) a; }
            long long widen_unsigned(unsigned int a) { return a; }
            long long widen_signed(int a) { return a; }
            unsigned long long umax(void) { return 18446744073709551615ULL; }
            long long mul64(long long a, long long b) { return a * b; }
            int uchar_wrap(void) { unsigned char c = 250; c += 10; return c; }
            int char_inc(void) { char c = 127; c++; return c; }
            int ushort_dec(void) { unsigned short s = 0; s--; return s; }
            int logic(int a, int b) { return (a && b) + 2 * (a || b) + 4 * !a; }
            int ternary(int a) { return a > 0 ? a : -a; }
            int comma(int a) { return (a += 1, a * 2); }
            int compound(int a) { a *= 3; a -= 1; a <<= 2; a >>= 1; a |= 1; a ^= 8; a &= 0xff; a %= 100; a /= 2; return a; }
            int ptrdiff(void) { int a[10]; int *p = &a[7]; int *q = &a[2]; return p - q; }
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void unsignedAndSignedWrap(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("arith.kpc", SOURCE);
            assertEquals(0L, p.invokeMember("uadd", 0xFFFF_FFFFL, 1).asLong());
            assertEquals(4294967294L, p.invokeMember("uadd", 0xFFFF_FFFFL, 0xFFFF_FFFFL).asLong());
            assertEquals(Integer.MIN_VALUE, p.invokeMember("sadd", Integer.MAX_VALUE, 1).asInt());
            assertEquals(0, p.invokeMember("smul", 65536, 65536).asInt());
            assertEquals(Integer.MIN_VALUE, p.invokeMember("neg", Integer.MIN_VALUE).asInt());
            assertEquals(1L, p.invokeMember("mul64", Long.MAX_VALUE, Long.MAX_VALUE).asLong());
            assertEquals(-1L, p.invokeMember("umax").asLong(), "unsigned long long is returned in two's complement");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void divisionSigns(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("div.kpc", SOURCE);
            assertEquals(-3, p.invokeMember("sdiv", -7, 2).asInt());
            assertEquals(-1, p.invokeMember("srem", -7, 2).asInt());
            assertEquals(-3, p.invokeMember("sdiv", 7, -2).asInt());
            assertEquals(1, p.invokeMember("srem", 7, -2).asInt());
            assertEquals(2147483644L, p.invokeMember("udiv", 0xFFFF_FFF8L, 2).asLong());
            assertEquals(0L, p.invokeMember("urem", 0xFFFF_FFF8L, 2).asLong());
            assertEquals(1431655765L, p.invokeMember("udiv", -1, 3).asLong(), "-1 converts to UINT_MAX");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void shiftsMaskTheCount(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("shift.kpc", SOURCE);
            assertEquals(2, p.invokeMember("shl", 1, 33).asInt(), "count & 31");
            assertEquals(Integer.MIN_VALUE, p.invokeMember("shl", 1, 31).asInt());
            assertEquals(-4, p.invokeMember("sar", -16, 2).asInt(), "arithmetic shift");
            assertEquals(0x3FFF_FFFCL, p.invokeMember("shr", 0xFFFF_FFF0L, 2).asLong(), "logical shift");
            assertEquals(-16, p.invokeMember("sar", -16, 32).asInt(), "count 32 is 0");
            assertEquals(1L << 40, p.invokeMember("shl64", 1, 40).asLong());
            assertEquals(2L, p.invokeMember("shl64", 1, 65).asLong(), "count & 63");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void comparisonsAndConversions(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("conv.kpc", SOURCE);
            assertEquals(0, p.invokeMember("ult", 0xFFFF_FFFFL, 1).asInt());
            assertEquals(1, p.invokeMember("slt", -1, 1).asInt());
            assertEquals(-56, p.invokeMember("to_schar", 200).asInt());
            assertEquals(200, p.invokeMember("to_uchar", -56).asInt());
            assertEquals(-32768, p.invokeMember("to_short", 32768).asInt());
            assertEquals(1, p.invokeMember("to_bool", 1L << 40).asInt());
            assertEquals(0, p.invokeMember("to_bool", 0).asInt());
            assertEquals(4294967295L, p.invokeMember("widen_unsigned", -1).asLong());
            assertEquals(-1L, p.invokeMember("widen_signed", -1).asLong());
            assertEquals(4, p.invokeMember("uchar_wrap").asInt());
            assertEquals(-128, p.invokeMember("char_inc").asInt());
            assertEquals(65535, p.invokeMember("ushort_dec").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void operatorsCompoundAndPointerDifference(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("ops.kpc", SOURCE);
            assertEquals(3, p.invokeMember("logic", 1, 1).asInt());
            assertEquals(2, p.invokeMember("logic", 1, 0).asInt());
            assertEquals(4, p.invokeMember("logic", 0, 0).asInt());
            assertEquals(5, p.invokeMember("ternary", -5).asInt());
            assertEquals(8, p.invokeMember("comma", 3).asInt());
            int a = 7;
            a *= 3;
            a -= 1;
            a <<= 2;
            a >>= 1;
            a |= 1;
            a ^= 8;
            a &= 0xff;
            a %= 100;
            a /= 2;
            assertEquals(a, p.invokeMember("compound", 7).asInt());
            assertEquals(5, p.invokeMember("ptrdiff").asInt());
        }
    }
}
