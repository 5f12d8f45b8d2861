// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kplugins.server.image.RgbImage;

/** Decoding to packed RGB, encoding, the size limits, and atomic writes; no plugin involved. */
class ImageFilesTest {

    @TempDir
    Path folder;

    @Test
    void grayPngKeepsLevels() throws IOException {
        BufferedImage gray = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});
        Path file = folder.resolve("gray.png");
        ImageIO.write(gray, "png", file.toFile());

        RgbImage image = ImageFiles.read(file);

        assertArrayEquals(new byte[] {0, 0, 0, 100, 100, 100, (byte) 255, (byte) 255, (byte) 255}, image.pixels());
    }

    @Test
    void palettePngGivesPaletteColors() throws IOException {
        byte[] reds = {(byte) 255, 0};
        byte[] greens = {0, 0};
        byte[] blues = {0, (byte) 200};
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, reds, greens, blues));
        indexed.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {1, 0});
        Path file = folder.resolve("palette.png");
        ImageIO.write(indexed, "png", file.toFile());

        RgbImage image = ImageFiles.read(file);

        assertArrayEquals(new byte[] {0, 0, (byte) 200, (byte) 255, 0, 0}, image.pixels());
    }

    @Test
    void pngAndBmpRoundTripExactly() {
        byte[] pixels = new byte[4 * 2 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        RgbImage image = new RgbImage(4, 2, pixels);
        for (String name : List.of("a.png", "a.bmp")) {
            Path file = folder.resolve(name);
            ImageFiles.write(image, file);
            assertArrayEquals(pixels, ImageFiles.read(file).pixels(), name);
        }
    }

    @Test
    void writtenFileIsWorldReadable() throws IOException {
        Path file = folder.resolve("a.png");
        ImageFiles.write(new RgbImage(1, 1, new byte[3]), file);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void sideAboveLimitIsRejected() throws IOException {
        Path file = folder.resolve("wide.png");
        ImageIO.write(new BufferedImage(ImageFiles.MAX_SIDE + 1, 1, BufferedImage.TYPE_3BYTE_BGR), "png", file.toFile());

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFiles.read(file));

        assertEquals("image '" + file + "' is 16385x1 pixels; the limit is 16384 pixels per side and 268435456 pixels in total", e.getMessage());
    }

    @Test
    void directoryIsNoImage() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFiles.read(folder));
        assertEquals("cannot read image '" + folder + "': is a directory", e.getMessage());
    }

    @Test
    void outputWithoutExtensionIsRejected() {
        Path file = folder.resolve("picture");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFiles.checkWritable(file));
        assertEquals("cannot write image '" + file + "': the file name has no extension; use .png, .jpg, .jpeg, .bmp or .gif", e.getMessage());
    }

    @Test
    void failedWriteLeavesNoTemporaryFile() throws IOException {
        Path target = folder.resolve("taken.png");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "keeps the directory non-empty");

        assertThrows(InvalidInputException.class, () -> ImageFiles.write(new RgbImage(1, 1, new byte[3]), target));

        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(target), files.toList());
        }
    }
}
