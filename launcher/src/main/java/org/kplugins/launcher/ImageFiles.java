// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reads PNG, JPEG, BMP and GIF files into {@link RgbImage}s and writes them back with
 * javax.imageio. Writes are atomic: the image goes to a temporary file in the output folder,
 * which is then renamed over the output path, so a failed run leaves no partial file.
 */
final class ImageFiles {

    /** The largest accepted width or height, in pixels. */
    static final int MAX_SIDE = 16384;

    /** The largest accepted pixel count (256 Mi), which keeps each RGB buffer under 768 MiB. */
    static final long MAX_PIXELS = 256L * 1024 * 1024;

    /** The formats kpc reads, as javax.imageio format names. */
    private static final List<String> READABLE_FORMATS = List.of("png", "jpeg", "bmp", "gif");

    /** The output file extensions and the javax.imageio format each selects. */
    static final List<String> WRITABLE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    /** JPEG output quality, from 0 to 1, above javax.imageio's default of 0.75 to keep fine detail. */
    static final float JPEG_QUALITY = 0.95f;

    private ImageFiles() {
    }

    /**
     * Decodes {@code file} into packed RGB. Grayscale images give R = G = B. An alpha channel is
     * dropped without compositing.
     *
     * @throws InvalidInputException if the file is missing or unreadable, is not a PNG, JPEG, BMP
     *             or GIF image, is corrupt, or exceeds {@link #MAX_SIDE} or {@link #MAX_PIXELS}
     */
    static RgbImage read(Path file) {
        requireReadableFile(file, "image");
        try {
            return toRgb(decode(file));
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException("not enough memory to decode '" + file + "'; give the JVM more heap, for example --vm.Xmx8g");
        }
    }

    private static BufferedImage decode(Path file) {
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            if (input == null) {
                throw new InvalidInputException("cannot read image '" + file + "': javax.imageio cannot open it");
            }
            ImageReader reader = findReader(input, file);
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkSize(file, width, height);
                return reader.read(0);
            } catch (IOException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
                // javax.imageio reports corrupt data as IIOException, and some decoders let a
                // runtime exception escape on malformed input.
                throw new InvalidInputException("cannot decode '" + file + "': corrupt " + format + " data (" + describe(e) + ")");
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot read image '" + file + "': " + describe(e));
        }
    }

    /** Throws {@link InvalidInputException} unless {@code file} is a readable regular file. */
    static void requireReadableFile(Path file, String role) {
        if (!Files.exists(file)) {
            throw new InvalidInputException("cannot read " + role + " '" + file + "': no such file");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("cannot read " + role + " '" + file + "': is a directory");
        }
        if (!Files.isReadable(file)) {
            throw new InvalidInputException("cannot read " + role + " '" + file + "': permission denied");
        }
    }

    /**
     * Returns the javax.imageio format name for the extension of {@code file}.
     *
     * @throws InvalidInputException if the extension is missing or not supported
     */
    static String outputFormat(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!WRITABLE_EXTENSIONS.contains(extension)) {
            String problem = extension.isEmpty() ? "the file name has no extension" : "extension '." + extension + "' is not supported";
            throw new InvalidInputException("cannot write image '" + file + "': " + problem + "; use .png, .jpg, .jpeg, .bmp or .gif");
        }
        return extension.equals("jpg") ? "jpeg" : extension;
    }

    /**
     * Checks before the plugin runs that {@code file} can be written: a supported extension, an
     * existing folder, and no directory at that path.
     */
    static void checkWritable(Path file) {
        outputFormat(file);
        Path folder = folderOf(file);
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException("cannot write image '" + file + "': no such directory '" + folder + "'");
        }
        if (!Files.isWritable(folder)) {
            throw new InvalidInputException("cannot write image '" + file + "': directory '" + folder + "' is not writable");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("cannot write image '" + file + "': is a directory");
        }
    }

    /**
     * Encodes {@code image} in the format named by the extension of {@code file} and replaces
     * {@code file} atomically. On failure {@code file} is unchanged and the temporary file is
     * deleted.
     */
    static void write(RgbImage image, Path file) {
        String format = outputFormat(file);
        Path folder = folderOf(file);
        Path temporary = null;
        try {
            temporary = Files.createTempFile(folder, "." + file.getFileName() + ".", ".tmp");
            try (OutputStream output = Files.newOutputStream(temporary)) {
                encode(toBufferedImage(image), format, output);
            }
            copyPermissions(file, temporary);
            moveIntoPlace(temporary, file);
            temporary = null;
        } catch (AccessDeniedException e) {
            throw new InvalidInputException("cannot write image '" + file + "': permission denied");
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("cannot write image '" + file + "': no such directory '" + folder + "'");
        } catch (IOException e) {
            throw new InvalidInputException("cannot write image '" + file + "': " + describe(e));
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
    }

    private static ImageReader findReader(ImageInputStream input, Path file) {
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
        throw new InvalidInputException("cannot decode '" + file + "': not a PNG, JPEG, BMP or GIF image");
    }

    private static void checkSize(Path file, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new InvalidInputException("cannot decode '" + file + "': image has no pixels (" + width + "x" + height + ")");
        }
        if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
            throw new InvalidInputException("image '" + file + "' is " + width + "x" + height + " pixels; the limit is "
                            + MAX_SIDE + " pixels per side and " + MAX_PIXELS + " pixels in total");
        }
    }

    /** Converts any decoded image to packed RGB. */
    static RgbImage toRgb(BufferedImage image) {
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
    static BufferedImage toBufferedImage(RgbImage image) {
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

    private static void encode(BufferedImage image, String format, OutputStream output) throws IOException {
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
            writer.write(null, new IIOImage(image, null, null), parameters);
        } finally {
            writer.dispose();
        }
    }

    /**
     * Gives the temporary file the permissions of the file it replaces, or rw-r--r-- for a new
     * file, because createTempFile makes it readable by the owner only.
     */
    private static void copyPermissions(Path target, Path temporary) throws IOException {
        if (Files.getFileAttributeView(temporary, PosixFileAttributeView.class) == null) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target)
                        ? Files.getPosixFilePermissions(target)
                        : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(temporary, permissions);
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Both files are in one folder, so only a file system without atomic rename gets here.
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The original error matters more than a leftover temporary file.
        }
    }

    private static Path folderOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath().getRoot() : parent;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
