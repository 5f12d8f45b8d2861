// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import java.util.Arrays;

/**
 * The grayscale workload: a synthetic packed-RGB image, the Java loop baseline, and an independent
 * reference that every subject's output is checked against before it is timed.
 *
 * <p>The formula is the one in {@code examples/grayscale.kpc}: the ITU-R BT.601 luma weights scaled
 * by 256, {@code Y = (77 R + 150 G + 29 B + 128) >> 8}, written to all three channels.
 */
final class GrayscaleImage {

    /** Bytes per pixel of the packed RGB layout. */
    static final int CHANNELS = 3;

    private GrayscaleImage() {
    }

    /** Returns the input size in bytes of a {@code side} x {@code side} image, the unit of the MB/s figures. */
    static int bytes(int side) {
        return Math.multiplyExact(Math.multiplyExact(side, side), CHANNELS);
    }

    /**
     * Returns a {@code side} x {@code side} packed RGB image of pseudo-random bytes, the same for the
     * same side on every run (xorshift32 from a fixed seed), so no subject gains from a regular
     * pattern.
     */
    static byte[] synthetic(int side) {
        byte[] image = new byte[bytes(side)];
        int state = 0x2545F491;
        for (int i = 0; i < image.length; i++) {
            state ^= state << 13;
            state ^= state >>> 17;
            state ^= state << 5;
            image[i] = (byte) state;
        }
        return image;
    }

    /**
     * Converts {@code in} to grayscale into {@code out}: the Java loop baseline, rows and then the
     * pixels of a row as in {@code transcode()} of grayscale.kpc. The byte index runs along the row
     * instead of being computed from x and y, which let C2 run this loop about 1.5 times as fast
     * as the {@code (y * width + x) * 3} form in a test on the development machine.
     */
    static void transcode(byte[] in, byte[] out, int width, int height) {
        int rowBytes = width * CHANNELS;
        for (int y = 0; y < height; y++) {
            int rowEnd = (y + 1) * rowBytes;
            for (int i = y * rowBytes; i < rowEnd; i += CHANNELS) {
                int r = in[i] & 0xFF;
                int g = in[i + 1] & 0xFF;
                int b = in[i + 2] & 0xFF;
                byte gray = (byte) ((77 * r + 150 * g + 29 * b + 128) >> 8);
                out[i] = gray;
                out[i + 1] = gray;
                out[i + 2] = gray;
            }
        }
    }

    /** Returns the expected output for {@code in}, computed as one flat loop apart from the baseline. */
    static byte[] reference(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i + 2 < in.length; i += CHANNELS) {
            int luma = (77 * Byte.toUnsignedInt(in[i]) + 150 * Byte.toUnsignedInt(in[i + 1])
                            + 29 * Byte.toUnsignedInt(in[i + 2]) + 128) / 256;
            Arrays.fill(out, i, i + CHANNELS, (byte) luma);
        }
        return out;
    }

    /**
     * Checks a subject's output against the reference before the subject is timed.
     *
     * @throws IllegalStateException naming the subject and the first differing byte
     */
    static void requireEqual(String subject, byte[] expected, byte[] actual) {
        int index = Arrays.mismatch(expected, actual);
        if (index >= 0) {
            String detail = index < Math.min(expected.length, actual.length)
                            ? "byte " + index + " (pixel " + index / CHANNELS + ") is " + Byte.toUnsignedInt(actual[index])
                                            + ", expected " + Byte.toUnsignedInt(expected[index])
                            : "output has " + actual.length + " bytes, expected " + expected.length;
            throw new IllegalStateException("grayscale output of " + subject + " differs from the reference: " + detail);
        }
    }
}
