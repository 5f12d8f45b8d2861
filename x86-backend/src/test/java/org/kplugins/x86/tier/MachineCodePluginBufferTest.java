// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kplugins.kpc.host.Kernel;
import org.kplugins.kpc.host.KernelHook;
import org.kplugins.kpc.host.Plugin;
import org.kplugins.kpc.host.PluginBuffer;

/**
 * Plugin buffers in the machine-code tiers: the code reads and writes the buffers' pages in the
 * instance's native memory, with the same results and faults as the Truffle tier.
 */
class MachineCodePluginBufferTest {

    private static final String SCALE = """
                    #include <stdint.h>
                    int scale(const uint8_t *in, uint8_t *out, uint32_t n) {
                        for (uint32_t i = 0; i < n; i++) {
                            out[i] = (uint8_t) (in[i] * 3 + i);
                        }
                        return 0;
                    }
                    void poke(uint8_t *p, uint32_t offset) { p[offset] = 7; }
                    int peek(const uint8_t *p, uint32_t offset) { return p[offset]; }
                    """;

    private static Engine engine(String tier) {
        Engine.Builder builder = Engine.newBuilder("kpc").allowExperimentalOptions(true)
                        .option("engine.WarnInterpreterOnly", "false");
        return switch (tier) {
            case "emulated-hardware" -> builder.option("kpc.Tier", "emulated").option("kpc.EmulatedCode", "hardware").build();
            case "emulated-checked" -> builder.option("kpc.Tier", "emulated").option("kpc.EmulatedCode", "checked").build();
            default -> builder.option("kpc.Tier", tier).build();
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "emulated-hardware", "emulated-checked", "auto"})
    void buffersGiveTheSameOutputAndFaultsAsArrays(String tier) {
        try (Engine engine = engine(tier); Kernel kernel = Kernel.builder("buffers").engine(engine).build()) {
            Plugin plugin = kernel.load("scale", SCALE);
            KernelHook hook = kernel.declareHook("int scale(const uint8_t *in, uint8_t *out, uint32_t n)");
            hook.link(plugin, "scale");
            byte[] input = new byte[70_000];
            for (int i = 0; i < input.length; i++) {
                input[i] = (byte) (i ^ (i >>> 8));
            }
            byte[] expected = new byte[input.length];
            assertEquals(0, hook.call(input, expected, input.length).asInt());
            assertEquals((byte) (input[69_999] * 3 + 69_999), expected[69_999]);

            try (PluginBuffer in = plugin.allocateReadOnlyBuffer(input.length);
                            PluginBuffer out = plugin.allocateBuffer(input.length)) {
                in.write(0, input);
                byte[] output = new byte[input.length];
                // Enough calls for the auto tier to move to machine code.
                for (int round = 0; round < 40; round++) {
                    assertEquals(0, hook.call(in, out, input.length).asInt());
                }
                out.read(0, output);
                assertArrayEquals(expected, output);

                PolyglotException write = assertThrows(PolyglotException.class, () -> plugin.call("poke", in, 3));
                assertEquals("PAGE_NOT_WRITABLE", write.getGuestObject().getMember("kind").asString());
                int pages = (input.length + 4095) / 4096 * 4096;
                assertEquals(0, plugin.call("peek", out, pages - 1).asInt());
                PolyglotException past = assertThrows(PolyglotException.class, () -> plugin.call("peek", out, pages));
                assertEquals("PAGE_NOT_PRESENT", past.getGuestObject().getMember("kind").asString());
                plugin.call("poke", out, 5);
                byte[] five = new byte[1];
                out.read(5, five);
                assertEquals(7, five[0]);
            }
        }
    }
}
