// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Decodes PNG, JPEG, BMP and GIF data into {@link RgbImage}s and encodes them back with
 * javax.imageio. {@code kpc image} and {@code kpc serve} share it.
 */
public final class ImageCodec {

    /** The formats decoded, as javax.imageio format names. */
    public static final List<String> READABLE_FORMATS = List.of("png", "jpeg", "bmp", "gif");

    /** JPEG output quality, from 0 to 1, above javax.imageio's default of 0.75 to keep fine detail. */
    public static final float JPEG_QUALITY = 0.95f;

    private ImageCodec() {
    }

    /** A decoded image and the javax.imageio name of the format it was stored in ("png", "jpeg", "bmp" or "gif"). */
    public record Decoded(RgbImage image, String format) {
    }

    /**
     * Decodes the first image in {@code input} into packed RGB. Grayscale images give R = G = B.
     * An alpha channel is dropped without compositing. The size is checked from the header,
     * before any pixel is decoded.
     *
     * @param name      how messages name the image, such as its file path
     * @param maxSide   the largest accepted width or height, in pixels
     * @param maxPixels the largest accepted width * height
     * @throws ImageDecodeException if the data is not a PNG, JPEG, BMP or GIF image, is corrupt,
     *                              or exceeds the limits
     * @throws IOException          if reading {@code input} fails
     */
    public static Decoded decode(ImageInputStream input, String name, int maxSide, long maxPixels) throws IOException {
        ImageReader reader = findReader(input, name);
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        try {
            if (format.equals("bmp")) {
                rejectEmbeddedBmpData(input, name);
            }
            reader.setInput(input, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkSize(name, width, height, maxSide, maxPixels);
            return new Decoded(toRgb(reader.read(0)), format);
        } catch (IOException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException
                        | NegativeArraySizeException e) {
            // javax.imageio reports corrupt data as IIOException, and some decoders let a
            // runtime exception escape on malformed input.
            throw new ImageDecodeException(ImageDecodeException.Reason.CORRUPT, "cannot decode '" + name + "': corrupt "
                            + format.toUpperCase(Locale.ROOT) + " data (" + describe(e) + ")");
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader findReader(ImageInputStream input, String name) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            try {
                if (READABLE_FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT))) {
                    return reader;
                }
            } catch (IOException e) {
                // A reader that cannot name its format is not one of ours; try the next one.
            }
            reader.dispose();
        }
        throw new ImageDecodeException(ImageDecodeException.Reason.UNSUPPORTED_FORMAT, "cannot decode '" + name
                        + "': not a PNG, JPEG, BMP or GIF image");
    }

    private static void checkSize(String name, int width, int height, int maxSide, long maxPixels) {
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(ImageDecodeException.Reason.CORRUPT, "cannot decode '" + name
                            + "': image has no pixels (" + width + "x" + height + ")");
        }
        if (width > maxSide || height > maxSide || (long) width * height > maxPixels) {
            throw new ImageDecodeException(ImageDecodeException.Reason.TOO_LARGE, "image '" + name + "' is " + width + "x"
                            + height + " pixels; the limit is " + maxSide + " pixels per side and " + maxPixels
                            + " pixels in total");
        }
    }

    /** Converts any decoded image to packed RGB. */
    public static RgbImage toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] pixels = new byte[RgbImage.byteCount(width, height)];

        if (isGray(image)) {
            copyGraySamples(image.getRaster(), image.getColorModel().getComponentSize(0), pixels);
        } else if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < pixels.length; i += 3) {
                pixels[i] = bgr[i + 2];
                pixels[i + 1] = bgr[i + 1];
                pixels[i + 2] = bgr[i];
            }
        } else {
            // getRGB converts any color model to 8-bit sRGB.
            int[] row = new int[width];
            int offset = 0;
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, row, 0, width);
                for (int x = 0; x < width; x++) {
                    int argb = row[x];
                    pixels[offset++] = (byte) (argb >> 16);
                    pixels[offset++] = (byte) (argb >> 8);
                    pixels[offset++] = (byte) argb;
                }
            }
        }
        return new RgbImage(width, height, pixels);
    }

    /**
     * Returns whether the image stores gray samples. Those are copied as they are, because
     * getRGB treats javax.imageio's gray color space as linear and brightens every level.
     */
    private static boolean isGray(BufferedImage image) {
        int bands = image.getRaster().getNumBands();
        return image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                        && (bands == 1 || bands == 2)
                        && image.getColorModel().getComponentSize(0) <= 16;
    }

    private static void copyGraySamples(Raster raster, int bitsPerSample, byte[] pixels) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] row = new int[width];
        int offset = 0;
        for (int y = 0; y < height; y++) {
            raster.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                byte level = (byte) scaleTo8Bits(row[x], bitsPerSample);
                pixels[offset++] = level;
                pixels[offset++] = level;
                pixels[offset++] = level;
            }
        }
    }

    /** Scales a sample of {@code bits} bits (1 to 16) to 0..255, rounding to nearest. */
    private static int scaleTo8Bits(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        int max = (1 << bits) - 1;
        return (sample * 255 + max / 2) / max;
    }

    /** Converts packed RGB to a TYPE_3BYTE_BGR image, which every writable format accepts. */
    public static BufferedImage toBufferedImage(RgbImage image) {
        BufferedImage result = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) result.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.pixels();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return result;
    }

    /**
     * Encodes {@code image} in {@code format}, a javax.imageio format name ("png", "jpeg", "bmp"
     * or "gif"); JPEG uses {@link #JPEG_QUALITY}.
     */
    public static void encode(RgbImage image, String format, OutputStream output) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JDK has no javax.imageio writer for " + format);
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(output)) {
            writer.setOutput(stream);
            ImageWriteParam parameters = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                parameters.setCompressionQuality(JPEG_QUALITY);
            }
            writer.write(null, new IIOImage(toBufferedImage(image), null, null), parameters);
        } finally {
            writer.dispose();
        }
    }

    /**
     * Rejects a BMP whose pixels are an embedded JPEG or PNG (compression BI_JPEG or BI_PNG). Its
     * header gives sizes that do not bound the embedded image, so the size limits would not apply,
     * and the JDK's reader allocates the header's image size up front, up to 2 GiB.
     */
    private static void rejectEmbeddedBmpData(ImageInputStream input, String name) throws IOException {
        input.mark();
        try {
            // The 14-byte file header, then the info header's size, width, height, planes and bit count.
            input.seek(input.getStreamPosition() + 30);
            byte[] compression = new byte[4];
            input.readFully(compression);
            int value = (compression[0] & 0xFF) | (compression[1] & 0xFF) << 8 | (compression[2] & 0xFF) << 16
                            | (compression[3] & 0xFF) << 24;
            if (value == 4 || value == 5) {
                throw new ImageDecodeException(ImageDecodeException.Reason.UNSUPPORTED_FORMAT, "cannot decode '" + name
                                + "': BMP with embedded " + (value == 4 ? "JPEG" : "PNG") + " data is not supported;"
                                + " serve the JPEG or PNG itself");
            }
        } catch (EOFException e) {
            // A header this short is corrupt, which the reader reports.
        } finally {
            input.reset();
        }
    }

    /** Encodes {@code image} into memory, as {@link #encode(RgbImage, String, OutputStream)} does. */
    public static byte[] encode(RgbImage image, String format) {
        ByteArrayOutputStream output = new ByteArrayOutputStream(image.pixels().length / 4 + 1024);
        try {
            encode(image, format, output);
        } catch (IOException e) {
            // A ByteArrayOutputStream does not fail, so only the writer itself can get here.
            throw new UncheckedIOException("cannot encode a " + image.dimensions() + " image as " + format, e);
        }
        return output.toByteArray();
    }

    /** Returns the first line of the exception's message, or its class name when it has none. */
    public static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
