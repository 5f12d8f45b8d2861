// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server.image;

/**
 * The grayscale transcoder in plain Java, the baseline that plugins are measured against. It
 * computes exactly what examples/grayscale.kpc computes: each pixel becomes its ITU-R BT.601
 * luma, {@code Y = (77 R + 150 G + 29 B + 128) >> 8}, written to all three channels.
 */
public final class Grayscale {

    private Grayscale() {
    }

    /** Writes the grayscale version of the packed RGB pixels {@code in} to {@code out}, which has the same length. */
    public static void transcode(byte[] in, byte[] out) {
        if (in.length != out.length || in.length % 3 != 0) {
            throw new IllegalArgumentException("invalid buffers: input has " + in.length + " bytes and output " + out.length
                            + "; expected equal lengths that are a multiple of 3");
        }
        for (int i = 0; i < in.length; i += 3) {
            int r = in[i] & 0xFF;
            int g = in[i + 1] & 0xFF;
            int b = in[i + 2] & 0xFF;
            byte luma = (byte) ((77 * r + 150 * g + 29 * b + 128) >> 8);
            out[i] = luma;
            out[i + 1] = luma;
            out[i + 2] = luma;
        }
    }
}
