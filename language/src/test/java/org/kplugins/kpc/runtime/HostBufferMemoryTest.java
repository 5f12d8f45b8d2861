// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/**
 * The memory an instance keeps after calls whose buffer arguments it mapped: their exact size up
 * to kpc.RetainedHostBytes, and nothing of larger ones once the call has returned.
 */
class HostBufferMemoryTest {

    private static final String FILL = """
                    #include <kernel.h>
                    int fill(uint8_t *out, uint32_t length) {
                        for (uint32_t i = 0; i < length; i++)
                            out[i] = (uint8_t) (i * 7);
                        return 0;
                    }
                    """;
    private static final long MIB = 1 << 20;

    private static long resident(Value plugin) {
        return plugin.invokeMember(PluginInstance.RESIDENT_MEMBER).asLong();
    }

    /** Calls fill on a buffer of {@code length} bytes and checks what the plugin wrote. */
    private static void fill(Value plugin, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        assertEquals(0, plugin.invokeMember("fill", buffer, length).asInt());
        assertEquals((byte) ((length - 1) * 7), buffer.get(length - 1));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void largeBuffersAreGivenBack(Tier tier) {
        try (Run run = KpcTestSupport.open(tier, Map.of("kpc.RetainedHostBytes", Long.toString(MIB)))) {
            Value plugin = run.eval("fill.kpc", FILL);
            long footprint = plugin.invokeMember(PluginInstance.FOOTPRINT_MEMBER).asLong();
            long hostRegionStart = footprint - MIB;
            assertTrue(resident(plugin) < hostRegionStart, "a new instance holds " + resident(plugin) + " bytes");

            // 512 KiB stays for the next call, in its exact size: no doubling above the heap.
            fill(plugin, 512 << 10);
            assertEquals(hostRegionStart + (512 << 10), resident(plugin));
            fill(plugin, 100_000);
            assertEquals(hostRegionStart + (512 << 10), resident(plugin));

            // 8 MiB is more than the instance keeps: after the call it holds only its own pages.
            fill(plugin, 8 << 20);
            assertTrue(resident(plugin) < hostRegionStart, "after an 8 MiB buffer the instance holds " + resident(plugin));
            assertTrue(resident(plugin) <= footprint);
            fill(plugin, 8 << 20);
            assertTrue(resident(plugin) < hostRegionStart, "after an 8 MiB buffer the instance holds " + resident(plugin));
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void defaultKeepsBuffers(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("fill.kpc", FILL);
            fill(plugin, 8 << 20);
            long afterLarge = resident(plugin);
            assertTrue(afterLarge >= 8 * MIB, "the instance holds " + afterLarge + " bytes");
            fill(plugin, 4096);
            assertEquals(afterLarge, resident(plugin), "a smaller call reuses the memory");
        }
    }
}
