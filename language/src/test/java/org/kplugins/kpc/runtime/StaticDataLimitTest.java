// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/**
 * Globals larger than kpc.MemoryLimit allows give the layout error when the plugin is evaluated,
 * before the host allocates their initial bytes.
 */
class StaticDataLimitTest {

    /** One-page stack and heap, so that a 1 MiB global needs a memory limit of 1069056 bytes. */
    private static final Map<String, String> SMALL_STACK_AND_HEAP = Map.of("kpc.StackSize", "4096", "kpc.HeapSize", "4096");

    private static final String MEBIBYTE_GLOBAL = """
            char g[0x100000];
            int last(void) { g[0xFFFFF] = 5; return g[0] + g[0xFFFFF]; }
            """;

    @Test
    void globalOfTwoGibibytes() {
        try (Run run = KpcTestSupport.open(Tier.INTERPRETER)) {
            PolyglotException e = assertThrows(PolyglotException.class,
                            () -> run.eval("huge.kpc", "char g[0x7fffffff];\nint main(void) { return g[0]; }\n"));

            assertTrue(e.isGuestException(), e::toString);
            // 0x12000 (stack top) + 0x7fffffff bytes, rounded up to a page, plus the heap and one page.
            assertEquals("plugin 'huge' needs a memory limit of at least 2164338688 bytes (stack, static data, a 16777216-byte"
                            + " heap and one page for host buffers), but kpc.MemoryLimit is 268435456 and can be at most"
                            + " 2147479552; make the globals smaller or lower kpc.StackSize", e.getMessage());
        }
    }

    @Test
    void globalsAddingUpBeyondFourGibibytes() {
        try (Run run = KpcTestSupport.open(Tier.INTERPRETER)) {
            PolyglotException e = assertThrows(PolyglotException.class, () -> run.eval("three.kpc", """
                            char a[0x7fffffff];
                            char b[0x7fffffff];
                            const char c[0x7fffffff] = {1};
                            int main(void) { return a[0] + b[0] + c[0]; }
                            """));

            assertTrue(e.isGuestException(), e::toString);
            assertTrue(e.getMessage().startsWith("plugin 'three' needs a memory limit of at least 6459305984 bytes"), e::getMessage);
            assertTrue(e.getMessage().endsWith("can be at most 2147479552; make the globals smaller or lower kpc.StackSize"),
                            e::getMessage);
        }
    }

    @Test
    void globalAboveSmallLimit() {
        Map<String, String> options = new HashMap<>(SMALL_STACK_AND_HEAP);
        options.put("kpc.MemoryLimit", "1064960");
        try (Run run = KpcTestSupport.open(Tier.INTERPRETER, options)) {
            PolyglotException e = assertThrows(PolyglotException.class, () -> run.eval("mebibyte.kpc", MEBIBYTE_GLOBAL));

            assertTrue(e.isGuestException(), e::toString);
            assertEquals("plugin 'mebibyte' needs a memory limit of at least 1069056 bytes (stack, static data, a 4096-byte"
                            + " heap and one page for host buffers), but kpc.MemoryLimit is 1064960; raise kpc.MemoryLimit or"
                            + " lower kpc.StackSize or kpc.HeapSize", e.getMessage());
        }
    }

    @Test
    void globalAtRequiredLimitRuns() {
        Map<String, String> options = new HashMap<>(SMALL_STACK_AND_HEAP);
        options.put("kpc.MemoryLimit", "1069056");
        try (Run run = KpcTestSupport.open(Tier.INTERPRETER, options)) {
            Value plugin = run.eval("mebibyte.kpc", MEBIBYTE_GLOBAL);

            assertEquals(5, plugin.invokeMember("last").asInt());
        }
    }
}
