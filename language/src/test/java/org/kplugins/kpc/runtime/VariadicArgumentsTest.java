// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/**
 * What va_arg reads where C leaves it undefined: the bytes of the argument area and of the stack
 * above it, which gcc cannot serve as the oracle for.
 */
class VariadicArgumentsTest {

    private static final String SOURCE = """
            #include <stdarg.h>

            /* Reads a narrower type than the caller passed, then the next argument. */
            unsigned narrow(int count, ...) {
                va_list ap;
                va_start(ap, count);
                unsigned char low = va_arg(ap, unsigned char);
                int next = va_arg(ap, int);
                va_end(ap);
                return low * 1000u + next;
            }

            /* Reads `extra` ints past the last argument. */
            int past_end(int extra, ...) {
                va_list ap;
                va_start(ap, extra);
                int sum = 0;
                for (int i = 0; i < 3 + extra; i++) {
                    sum = sum * 100 + va_arg(ap, int);
                }
                va_end(ap);
                return sum;
            }

            /*
             * The call's area holds the 4 argument slots, 16 bytes, so it ends where the caller's
             * memory frame starts, and marker is the first object of that frame.
             */
            int caller(void) {
                int marker[2] = {11, 22};
                return past_end(2, 1, 2, 3) + marker[0] - 11;
            }

            int count_only(int count, ...) {
                va_list ap;
                va_start(ap, count);
                va_end(ap);
                return count;
            }
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void narrowTypeReadsLowBytesOfSlot(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("narrow.kpc", SOURCE + "int main(void) { return narrow(2, 0x1234, 5); }");
            assertEquals(0x34 * 1000 + 5, plugin.invokeMember("main").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void readPastLastArgumentReadsCallerFrame(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("past_end.kpc", SOURCE);
            assertEquals(102031122, plugin.invokeMember("caller").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hostCallPassesNamedArgumentsOnly(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("count_only.kpc", SOURCE);
            assertEquals(7, plugin.invokeMember("count_only", 7).asInt());
        }
    }
}
