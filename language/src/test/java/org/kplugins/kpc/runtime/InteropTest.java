// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/** The plugin object, the bindings, and argument and result conversion for calls from the host. */
class InteropTest {

    private static final String SOURCE = """
            #include <kernel.h>
            static int hidden(void) { return 1; }
            unsigned int biggest(void) { return 4294967295U; }
            unsigned char byte(unsigned char c) { return c; }
            _Bool truth(_Bool b) { return b; }
            void nothing(void) { }
            int length(const char *s) { int n = 0; while (s[n]) n++; return n; }
            int main(int argc, char **argv) {
                int total = argc * 100;
                for (int i = 0; i < argc; i++)
                    total += length(argv[i]);
                return argv == NULL ? -total : total;
            }
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void membersAreExportedFunctions(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("members.kpc", SOURCE);
            assertEquals(Set.of("biggest", "byte", "truth", "nothing", "length", "main"), plugin.getMemberKeys());
            assertFalse(plugin.hasMember("hidden"), "static functions are not exported");
            assertTrue(plugin.getMember("length").canExecute());

            Value bindings = run.context().getBindings("kpc");
            assertEquals(plugin.getMemberKeys(), bindings.getMemberKeys());
            run.eval("other.kpc", "int other(void) { return 5; }");
            assertEquals(Set.of("other"), bindings.getMemberKeys(), "bindings show the latest plugin");
            assertEquals(5, bindings.getMember("other").execute().asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void resultsAndArgumentConversion(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("convert.kpc", SOURCE);
            Value biggest = plugin.invokeMember("biggest");
            assertTrue(biggest.fitsInLong());
            assertEquals(4294967295L, biggest.asLong(), "unsigned int is returned as a positive Long");
            assertEquals(44, plugin.invokeMember("byte", 300).asInt(), "300 converts to unsigned char 44");
            assertEquals(1, plugin.invokeMember("truth", 7).asInt());
            assertEquals(1, plugin.invokeMember("truth", true).asInt());
            assertTrue(plugin.invokeMember("nothing").isNull(), "void returns null");
            assertEquals(5, plugin.invokeMember("length", "héllo".substring(0, 1) + "ello").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void mainTakesArgvOrNothing(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("main.kpc", SOURCE);
            assertEquals(0, plugin.invokeMember("main").asInt(), "main() is main(0, NULL)");
            assertEquals(2 * 100 + 3 + 5, plugin.invokeMember("main", 2, new String[] {"one", "three"}).asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void wrongArgumentsAreRejected(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("arity.kpc", SOURCE);
            assertThrows(IllegalArgumentException.class, () -> plugin.invokeMember("byte"));
            assertThrows(IllegalArgumentException.class, () -> plugin.invokeMember("byte", 1, 2));
            assertThrows(IllegalArgumentException.class, () -> plugin.invokeMember("byte", "text"));
            PolyglotException none = assertThrows(PolyglotException.class, () -> plugin.invokeMember("length", 0));
            assertEquals("PAGE_NOT_PRESENT", none.getGuestObject().getMember("kind").asString());
        }
    }
}
