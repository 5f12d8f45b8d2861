// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server.image;

/**
 * An image as packed 8-bit RGB: {@code width * height * 3} bytes, row-major from the top-left
 * pixel, with red, green and blue bytes in that order. This is the layout a transcode function
 * receives.
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (pixels.length != byteCount(width, height)) {
            throw new IllegalArgumentException("pixel array has " + pixels.length + " bytes, expected " + byteCount(width, height)
                            + " for " + width + "x" + height);
        }
    }

    /** Returns the size in bytes of a packed RGB image of the given dimensions. */
    public static int byteCount(int width, int height) {
        return Math.multiplyExact(Math.multiplyExact(width, height), 3);
    }

    /** Returns the image size as {@code WxH}. */
    public String dimensions() {
        return width + "x" + height;
    }
}
