// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kplugins.kpc.runtime.PluginInstance;

/**
 * kpc.RetainedHostBytes in the machine-code tiers, whose instances keep their memory in native
 * memory: the pages of a large buffer argument are given back when the call returns.
 */
class MachineCodeHostBufferTest {

    private static final String FILL = """
                    #include <kernel.h>
                    int fill(uint8_t *out, uint32_t length) {
                        for (uint32_t i = 0; i < length; i++)
                            out[i] = (uint8_t) (i * 7);
                        return 0;
                    }
                    """;

    @ParameterizedTest
    @ValueSource(strings = {"native", "emulated-hardware"})
    void largeBuffersAreGivenBack(String tier) {
        long retained = 1 << 20;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Context context = NativeCorpusTest.Corpus.context(tier, Map.of("kpc.RetainedHostBytes", Long.toString(retained)),
                        out, out)) {
            Value plugin = context.eval(Source.newBuilder("kpc", FILL, "fill.kpc").buildLiteral());
            long hostRegionStart = plugin.invokeMember(PluginInstance.FOOTPRINT_MEMBER).asLong() - retained;

            ByteBuffer small = ByteBuffer.allocate(512 << 10);
            assertEquals(0, plugin.invokeMember("fill", small, small.capacity()).asInt());
            assertEquals(hostRegionStart + small.capacity(), plugin.invokeMember(PluginInstance.RESIDENT_MEMBER).asLong());

            ByteBuffer large = ByteBuffer.allocate(8 << 20);
            assertEquals(0, plugin.invokeMember("fill", large, large.capacity()).asInt());
            assertEquals((byte) ((large.capacity() - 1) * 7), large.get(large.capacity() - 1));
            long resident = plugin.invokeMember(PluginInstance.RESIDENT_MEMBER).asLong();
            assertTrue(resident < hostRegionStart, "after an 8 MiB buffer the instance holds " + resident + " bytes");

            // The given-back pages read as zero when they are mapped again.
            ByteBuffer again = ByteBuffer.allocate(8 << 20);
            assertEquals(0, plugin.invokeMember("fill", again, again.capacity()).asInt());
            assertEquals(large, again);
        }
    }
}
