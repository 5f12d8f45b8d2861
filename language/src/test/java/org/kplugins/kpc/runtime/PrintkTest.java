// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/** The conversions, flags and widths of the host export printk, and its return value. */
class PrintkTest {

    @ParameterizedTest
    @EnumSource(Tier.class)
    void formats(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("printk.kpc", """
                    #include <kernel.h>
                    int main(void) {
                        printk("[%d|%i|%u|%x|%X]\\n", -42, 7, -1, 255, 255);
                        printk("[%5d|%-5d|%05d|%-05d|%*d]\\n", 42, 42, -42, 42, 4, 7);
                        printk("[%c%c|%s|%8s|%-4s|]\\n", 'o', 'k', "str", "right", "l");
                        printk("[%p|%p]\\n", (void *) 0, (void *) 0x1234);
                        printk("[%ld|%lu|%lx|%li]\\n", -5L, 4294967295UL, 3054L, 9L);
                        printk("[%lld|%llu|%llx|%lli]\\n", -9000000000LL, 18446744073709551615ULL, 1LL << 40, 1LL);
                        printk("[%%|%q|%.3d|%.2s]\\n", 5, "abc");
                        return printk("%s", "12345");
                    }
                    """);
            assertEquals(5, p.invokeMember("main").asInt(), "printk returns the number of characters written");
            assertEquals("""
                    [-42|7|4294967295|ff|FF]
                    [   42|42   |-0042|42   |   7]
                    [ok|str|   right|l   |]
                    [0x00000000|0x00001234]
                    [-5|4294967295|bee|9]
                    [-9000000000|18446744073709551615|10000000000|1]
                    [%|%q|005|ab]
                    12345""", run.output());
        }
    }
}
