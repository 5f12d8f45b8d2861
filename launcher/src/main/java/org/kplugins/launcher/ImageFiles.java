// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

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
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import org.kplugins.server.image.ImageCodec;
import org.kplugins.server.image.ImageDecodeException;
import org.kplugins.server.image.RgbImage;

/**
 * Reads PNG, JPEG, BMP and GIF files into {@link RgbImage}s and writes them back through
 * {@link ImageCodec}. Writes are atomic: the image goes to a temporary file in the output folder,
 * which is then renamed over the output path, so a failed run leaves no partial file.
 */
final class ImageFiles {

    /** The largest accepted width or height, in pixels. */
    static final int MAX_SIDE = 16384;

    /** The largest accepted pixel count (256 Mi), which keeps each RGB buffer under 768 MiB. */
    static final long MAX_PIXELS = 256L * 1024 * 1024;

    /** The output file extensions and the javax.imageio format each selects. */
    static final List<String> WRITABLE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

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
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            if (input == null) {
                throw new InvalidInputException("cannot read image '" + file + "': javax.imageio cannot open it");
            }
            return ImageCodec.decode(input, file.toString(), MAX_SIDE, MAX_PIXELS).image();
        } catch (ImageDecodeException e) {
            throw new InvalidInputException(e.getMessage());
        } catch (IOException e) {
            throw new InvalidInputException("cannot read image '" + file + "': " + ImageCodec.describe(e));
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException("not enough memory to decode '" + file + "'; give the JVM more heap, for example --vm.Xmx8g");
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
                ImageCodec.encode(image, format, output);
            }
            copyPermissions(file, temporary);
            moveIntoPlace(temporary, file);
            temporary = null;
        } catch (AccessDeniedException e) {
            throw new InvalidInputException("cannot write image '" + file + "': permission denied");
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("cannot write image '" + file + "': no such directory '" + folder + "'");
        } catch (IOException e) {
            throw new InvalidInputException("cannot write image '" + file + "': " + ImageCodec.describe(e));
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
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
}
