// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/**
 * How deep plugin calls nest on the default 64 KiB plugin stack, and what a call costs from the
 * budget. A frame takes its memory frame rounded up to 16 bytes plus 16 bytes of linkage, so a
 * function without arrays, memory-resident structs or address-taken locals takes 16 bytes and
 * 4096 of its frames fill the stack.
 */
class CallStackTest {

    private static final String RECURSION = """
            int calls;

            int depth(int n) {
                return n == 0 ? 0 : depth(n - 1) + 1;
            }

            void down(void) {
                calls++;
                down();
            }

            void down_with_buffer(void) {
                char buffer[20];
                buffer[0] = 1;
                calls += buffer[0];
                down_with_buffer();
            }

            int too_big(void) {
                char buffer[70000];
                buffer[0] = 1;
                return buffer[0];
            }

            int take_calls(void) {
                int count = calls;
                calls = 0;
                return count;
            }
            """;

    private static void assertStackOverflow(PolyglotException e, String function) {
        assertEquals("STACK_OVERFLOW", e.getGuestObject().getMember("kind").asString(), e.getMessage());
        assertEquals(function, e.getGuestObject().getMember("function").asString(), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void recursionFillsStackExactly(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("depth.kpc", RECURSION);
            assertEquals(4095, plugin.invokeMember("depth", 4095).asInt(), "4096 frames of 16 bytes fit");
            PolyglotException e = assertThrows(PolyglotException.class, () -> plugin.invokeMember("depth", 4096));
            assertStackOverflow(e, "depth");
            assertEquals(4095, plugin.invokeMember("depth", 4095).asInt(), "the next host call starts at the top");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void unboundedRecursionCountsFrames(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("down.kpc", RECURSION);
            assertStackOverflow(assertThrows(PolyglotException.class, () -> plugin.invokeMember("down")), "down");
            assertEquals(4096, plugin.invokeMember("take_calls").asInt(), "frames of 16 bytes");

            assertStackOverflow(assertThrows(PolyglotException.class, () -> plugin.invokeMember("down_with_buffer")),
                            "down_with_buffer");
            assertEquals(65536 / 48, plugin.invokeMember("take_calls").asInt(), "frames of 32 + 16 bytes");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hostCallOfOversizedFrameOverflows(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("big.kpc", RECURSION);
            PolyglotException e = assertThrows(PolyglotException.class, () -> plugin.invokeMember("too_big"));
            assertStackOverflow(e, "too_big");
            assertEquals(0, plugin.invokeMember("take_calls").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void eachCallCostsOneStep(Tier tier) {
        try (Run run = KpcTestSupport.open(tier, Map.of("kpc.Budget", "4"))) {
            Value plugin = run.eval("budget.kpc", """
                    static int one(void) { return 1; }
                    int four(void) { return one() + one() + one() + one(); }
                    int five(void) { return one() + one() + one() + one() + one(); }
                    """);
            assertEquals(4, plugin.invokeMember("four").asInt());
            PolyglotException e = assertThrows(PolyglotException.class, () -> plugin.invokeMember("five"));
            assertEquals("WATCHDOG", e.getGuestObject().getMember("kind").asString(), e.getMessage());
            assertEquals(4, plugin.invokeMember("four").asInt(), "the budget resets for each host call");
        }
    }
}
