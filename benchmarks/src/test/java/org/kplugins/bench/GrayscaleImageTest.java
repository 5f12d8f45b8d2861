// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GrayscaleImageTest {

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
}
