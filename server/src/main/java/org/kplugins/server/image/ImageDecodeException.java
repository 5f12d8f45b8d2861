// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server.image;

/** An image that {@link ImageCodec#decode} cannot turn into pixels; the message names the image and the reason. */
public final class ImageDecodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The reason an image was rejected. */
    public enum Reason {
        /** javax.imageio finds no PNG, JPEG, BMP or GIF reader for the data. */
        UNSUPPORTED_FORMAT,
        /** The data starts as a supported format but cannot be decoded, or has no pixels. */
        CORRUPT,
        /** The image exceeds the width, height or pixel limit; nothing was decoded. */
        TOO_LARGE
    }

    private final Reason reason;

    ImageDecodeException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
