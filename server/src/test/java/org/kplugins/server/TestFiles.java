// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** The example photographs and plugins of the repository, and helpers to decode responses. */
final class TestFiles {

    /** The repository's examples folder; Maven runs the tests in the module folder. */
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final Path ASTRONAUT = EXAMPLES.resolve("images/astronaut.png");
    static final Path ROCKET = EXAMPLES.resolve("images/rocket.jpg");

    private TestFiles() {
    }

    static String exampleSource(String name) {
        try {
            return Files.readString(EXAMPLES.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage decode(byte[] body) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(body));
            if (image == null) {
                throw new AssertionError("response body of " + body.length + " bytes is not an image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage read(Path file) {
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the BT.601 luma that examples/grayscale.kpc computes for an 0xRRGGBB pixel. */
    static int luma(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return (77 * r + 150 * g + 29 * b + 128) >> 8;
    }
}
