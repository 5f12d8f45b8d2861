// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.graalvm.polyglot.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.host.Kernel;
import org.kplugins.kpc.host.KernelHook;
import org.kplugins.kpc.host.Plugin;
import org.kplugins.kpc.host.PluginLimits;

class GrayscaleImageTest {

    /** A 3x2 image: black, white, red, green, blue, and a mixed pixel. */
    private static final byte[] PRIMARIES = {0, 0, 0, -1, -1, -1, -1, 0, 0, 0, -1, 0, 0, 0, -1, 10, 20, 30};

    /**
     * The luma of each pixel of {@link #PRIMARIES} by Y = (77 R + 150 G + 29 B + 128) >> 8, worked
     * out by hand: white (256 * 255 + 128) >> 8 = 255, red 19,763 >> 8 = 77, green 38,378 >> 8 =
     * 149, blue 7,523 >> 8 = 29, and (770 + 3,000 + 870 + 128) >> 8 = 18.
     */
    private static final int[] PRIMARY_LUMAS = {0, 255, 77, 149, 29, 18};

    @Test
    void referenceAppliesBt601Weights() {
        byte[] in = {0, 20, 40, (byte) 255, (byte) 255, (byte) 255, (byte) 255, 0, 0};

        byte[] out = GrayscaleImage.reference(in);

        // (150 * 20 + 29 * 40 + 128) >> 8 = 16, white stays 255, and (77 * 255 + 128) >> 8 = 77.
        assertArrayEquals(new byte[] {16, 16, 16, (byte) 255, (byte) 255, (byte) 255, 77, 77, 77}, out);
    }

    @Test
    void javaLoopMatchesReference() {
        int side = 37;
        byte[] in = GrayscaleImage.synthetic(side);
        byte[] out = new byte[in.length];

        GrayscaleImage.transcode(in, out, side, side);

        assertArrayEquals(GrayscaleImage.reference(in), out);
    }

    @Test
    void syntheticImageIsRepeatable() {
        byte[] first = GrayscaleImage.synthetic(16);

        assertEquals(16 * 16 * 3, first.length);
        assertArrayEquals(first, GrayscaleImage.synthetic(16));
    }

    @Test
    void requireEqualNamesSubjectAndPixel() {
        byte[] expected = {1, 2, 3, 4, 5, 6};
        byte[] actual = {1, 2, 3, 4, 9, 6};

        IllegalStateException error = assertThrows(IllegalStateException.class,
                        () -> GrayscaleImage.requireEqual("gcc -O2", expected, actual));

        assertTrue(error.getMessage().contains("gcc -O2"), error.getMessage());
        assertTrue(error.getMessage().contains("byte 4 (pixel 1) is 9, expected 5"), error.getMessage());
    }

    @Test
    void referenceMatchesHandComputedLumas() {
        byte[] out = GrayscaleImage.reference(PRIMARIES);

        for (int pixel = 0; pixel < PRIMARY_LUMAS.length; pixel++) {
            for (int channel = 0; channel < 3; channel++) {
                assertEquals(PRIMARY_LUMAS[pixel], Byte.toUnsignedInt(out[pixel * 3 + channel]), "pixel " + pixel + ", channel " + channel);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KpcTier.class)
    void pluginWritesFormulaInEveryTier(KpcTier tier) {
        TierLog tierLog = tier == KpcTier.AUTO ? new TierLog() : null;
        try (Engine engine = tier.newEngine(tierLog); Kernel kernel = Kernel.builder("formula").engine(engine).build()) {
            KernelHook hook = kernel.declareHook(GrayscaleBenchmark.TRANSCODE);
            Plugin plugin = kernel.load(Path.of("..", "examples", "grayscale.kpc"), PluginLimits.DEFAULT);
            hook.link(plugin, "transcode");
            byte[] out = new byte[PRIMARIES.length];
            if (tierLog != null) {
                // Checks the machine code after the switch, not the Truffle nodes it starts with.
                tierLog.callUntilSwitched("formula", () -> hook.call(PRIMARIES, out, 3, 2));
            }
            // A value no pixel of the image turns into, so a byte the plugin does not write fails.
            Arrays.fill(out, (byte) 0x55);

            assertEquals(0, hook.call(PRIMARIES, out, 3, 2).asInt());

            for (int pixel = 0; pixel < PRIMARY_LUMAS.length; pixel++) {
                for (int channel = 0; channel < 3; channel++) {
                    assertEquals(PRIMARY_LUMAS[pixel], Byte.toUnsignedInt(out[pixel * 3 + channel]),
                                    tier.key + ": pixel " + pixel + ", channel " + channel);
                }
            }
        }
    }
}
