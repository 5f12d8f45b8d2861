// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kplugins.launcher.KpcRun.example;
import static org.kplugins.launcher.KpcRun.testPlugin;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kplugins.server.image.RgbImage;

/** {@code kpc image} end to end: real plugins, real images, both tiers. */
class ImageCommandTest {

    private static final Path ASTRONAUT = Path.of(example("images/astronaut.png"));

    @Test
    void grayscaleAstronautJitMatchesLumaFormula(@TempDir Path folder) throws IOException {
        Path output = folder.resolve("gray.png");

        KpcRun run = KpcRun.of("image", "--plugin", example("grayscale.kpc"), "--in", ASTRONAUT.toString(),
                        "--out", output.toString(), "--repeat", "5");

        assertEquals(0, run.status(), run::toString);
        assertEquals("", run.err(), run::toString);
        assertTrue(run.out().startsWith(output + ": 512x512, compile "), run::toString);
        assertTrue(run.out().contains(", warmed call "), run::toString);
        assertTrue(run.out().strip().endsWith(", tier jit"), run::toString);
        assertGrayscaleOf(ImageIO.read(ASTRONAUT.toFile()), output);
    }

    @Test
    void grayscaleCompiledByGraalMatchesLumaFormula(@TempDir Path folder) throws IOException {
        Path output = folder.resolve("gray.png");

        // Compiles every call target before its first call and waits for the compiler, so the
        // second call, whose output is written, runs Graal-compiled transcode code.
        KpcRun run = KpcRun.of("image", "--experimental-options", "--engine.CompileImmediately", "--engine.BackgroundCompilation=false",
                        "--engine.TraceCompilation", "--repeat=2", "--plugin", example("grayscale.kpc"), "--in", ASTRONAUT.toString(),
                        "--out", output.toString());

        assertEquals(0, run.status(), run::toString);
        assertTrue(run.err().lines().anyMatch(line -> line.contains("opt done") && line.contains("transcode()")), run::toString);
        assertTrue(run.out().strip().endsWith(", tier jit"), run::toString);
        assertGrayscaleOf(ImageIO.read(ASTRONAUT.toFile()), output);
    }

    @Test
    void grayscaleAstronautNativeMatchesLumaFormula(@TempDir Path folder) throws IOException {
        Path output = folder.resolve("gray-native.png");

        KpcRun run = KpcRun.of("image", "--tier=native", "--plugin", example("grayscale.kpc"), "--in", ASTRONAUT.toString(),
                        "--out", output.toString(), "--repeat", "3");

        assertEquals(0, run.status(), run::toString);
        assertEquals("", run.err(), run::toString);
        assertTrue(run.out().strip().endsWith(", tier native"), run::toString);
        assertGrayscaleOf(ImageIO.read(ASTRONAUT.toFile()), output);
    }

    /**
     * The first call of transcode runs 512 * 512 loop iterations in the jit tier, far above the
     * default threshold, so the second and third calls run as machine code.
     */
    @Test
    void grayscaleAstronautAutoMatchesLumaFormula(@TempDir Path folder) throws IOException {
        Path output = folder.resolve("gray-auto.png");

        KpcRun run = KpcRun.of("image", "--tier=auto", "--log.kpc.tier.level=FINE", "--plugin", example("grayscale.kpc"), "--in",
                        ASTRONAUT.toString(), "--out", output.toString(), "--repeat", "3");

        assertEquals(0, run.status(), run::toString);
        assertTrue(run.err().contains("plugin 'grayscale' switched to the native tier at step "), run::toString);
        assertTrue(run.err().contains(" of transcode(), compiled in "), run::toString);
        assertTrue(run.out().strip().endsWith(", tier auto, switched to native at call 2"), run::toString);
        assertGrayscaleOf(ImageIO.read(ASTRONAUT.toFile()), output);
    }

    /** One call of 512 * 512 iterations passes the threshold, but only the next call would switch. */
    @Test
    void autoTierSummaryNamesMissingSwitch(@TempDir Path folder) {
        KpcRun run = KpcRun.of("image", "--tier=auto", "--stats", "--plugin", example("grayscale.kpc"), "--in", ASTRONAUT.toString(),
                        "--out", folder.resolve("gray.png").toString());

        assertEquals(0, run.status(), run::toString);
        String tier = "tier auto, no switch to machine code (a call from the host switches once a function's steps, that"
                        + " call's included, reach --auto-threshold; --log.kpc.tier.level=FINE logs a plugin that cannot switch)";
        assertTrue(run.out().strip().endsWith(", " + tier), run::toString);
        assertTrue(run.err().contains("kpc stats: " + tier + "\n"), run::toString);
    }

    /** The summary and --stats name the call that switched when the language option sets the tier. */
    @Test
    void autoTierStatsNameSwitchCall(@TempDir Path folder) {
        KpcRun run = KpcRun.of("image", "--experimental-options", "--kpc.Tier=auto", "--kpc.AutoThreshold=1", "--stats", "--repeat=2",
                        "--plugin", example("grayscale.kpc"), "--in", ASTRONAUT.toString(), "--out", folder.resolve("gray.png").toString());

        assertEquals(0, run.status(), run::toString);
        assertTrue(run.err().contains("kpc stats: call 2 "), run::toString);
        assertTrue(run.err().endsWith("kpc stats: tier auto, switched to native at call 1\n"), run::toString);
        assertTrue(run.out().strip().endsWith(", tier auto, switched to native at call 1"), run::toString);
    }

    /** The summary names the tier that runs and its checks, whether --tier or --kpc.Tier selected it. */
    @Test
    void emulatedTierSummaryNamesChecks(@TempDir Path folder) throws IOException {
        BufferedImage crop = copyOf(ImageIO.read(ASTRONAUT.toFile()).getSubimage(100, 100, 24, 16));
        Path input = folder.resolve("crop.png");
        ImageIO.write(crop, "png", input.toFile());

        List<List<String>> tierOptions = List.of(List.of("--tier=emulated"), List.of("--tier=emulated", "--emulated-code=checked"),
                        List.of("--experimental-options", "--kpc.Tier=emulated"),
                        List.of("--experimental-options", "--kpc.Tier=emulated", "--kpc.EmulatedCode=checked"));
        List<String> expected = List.of("emulated (hardware)", "emulated (checked)", "emulated (hardware)", "emulated (checked)");
        for (int i = 0; i < tierOptions.size(); i++) {
            Path output = folder.resolve("gray" + i + ".png");
            List<String> args = new ArrayList<>(List.of("image", "--plugin", example("grayscale.kpc"), "--in", input.toString(),
                            "--out", output.toString()));
            args.addAll(tierOptions.get(i));

            KpcRun run = KpcRun.of(args.toArray(String[]::new));

            assertEquals(0, run.status(), run::toString);
            assertTrue(run.out().strip().endsWith(", tier " + expected.get(i)), tierOptions.get(i) + ": " + run);
            assertGrayscaleOf(crop, output);
        }
    }

    @Test
    void languageTierSummaryNamesTierThatRuns(@TempDir Path folder) throws IOException {
        BufferedImage crop = copyOf(ImageIO.read(ASTRONAUT.toFile()).getSubimage(100, 100, 24, 16));
        Path input = folder.resolve("crop.png");
        ImageIO.write(crop, "png", input.toFile());

        KpcRun nativeRun = KpcRun.of("image", "--experimental-options", "--kpc.Tier=native", "--plugin", example("grayscale.kpc"),
                        "--in", input.toString(), "--out", folder.resolve("native.png").toString());
        assertEquals(0, nativeRun.status(), nativeRun::toString);
        assertTrue(nativeRun.out().strip().endsWith(", tier native"), nativeRun::toString);

        KpcRun interpreted = KpcRun.of("image", "--experimental-options", "--engine.Compilation=false", "--plugin",
                        example("grayscale.kpc"), "--in", input.toString(), "--out", folder.resolve("interp.png").toString());
        assertEquals(0, interpreted.status(), interpreted::toString);
        assertTrue(interpreted.out().strip().endsWith(", tier interp (jit requested, but --engine.Compilation=false turns the"
                        + " compiler off)"), interpreted::toString);
    }

    @Test
    void grayscaleCropInterpMatchesLumaFormula(@TempDir Path folder) throws IOException {
        BufferedImage crop = copyOf(ImageIO.read(ASTRONAUT.toFile()).getSubimage(200, 100, 40, 30));
        Path input = folder.resolve("crop.png");
        ImageIO.write(crop, "png", input.toFile());
        Path output = folder.resolve("crop-gray.png");

        KpcRun run = KpcRun.of("image", "--tier=interp", "--plugin", example("grayscale.kpc"), "--in", input.toString(),
                        "--out", output.toString());

        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains(": 40x30, compile "), run::toString);
        assertFalse(run.out().contains("warmed call"), run::toString);
        assertTrue(run.out().strip().endsWith(", tier interp"), run::toString);
        assertGrayscaleOf(crop, output);
    }

    /**
     * The word-moving example gives the luma formula too, in four tiers. The crop has 7 x 5
     * pixels, so 32 go in words and the last 3 one byte at a time.
     */
    @Test
    void grayscaleWordsMatchesLumaFormulaInEveryTier(@TempDir Path folder) throws IOException {
        BufferedImage crop = copyOf(ImageIO.read(ASTRONAUT.toFile()).getSubimage(300, 200, 7, 5));
        Path input = folder.resolve("crop.png");
        ImageIO.write(crop, "png", input.toFile());
        for (String tier : new String[] {"interp", "jit", "native", "emulated"}) {
            Path output = folder.resolve("words-" + tier + ".png");

            KpcRun run = KpcRun.of("image", "--tier=" + tier, "--repeat=3", "--plugin", example("grayscale_words.kpc"), "--in",
                            input.toString(), "--out", output.toString());

            assertEquals(0, run.status(), tier + ": " + run);
            assertGrayscaleOf(crop, output);
        }
    }

    @Test
    void invertToBmpIsExact(@TempDir Path folder) throws IOException {
        Path output = folder.resolve("negative.bmp");

        KpcRun run = KpcRun.of("image", "--plugin", example("invert.kpc"), "--in", ASTRONAUT.toString(), "--out", output.toString());

        assertEquals(0, run.status(), run::toString);
        BufferedImage input = ImageIO.read(ASTRONAUT.toFile());
        BufferedImage negative = ImageIO.read(output.toFile());
        int mismatches = 0;
        for (int y = 0; y < input.getHeight(); y++) {
            for (int x = 0; x < input.getWidth(); x++) {
                if ((negative.getRGB(x, y) & 0xFFFFFF) != (~input.getRGB(x, y) & 0xFFFFFF)) {
                    mismatches++;
                }
            }
        }
        assertEquals(0, mismatches, "pixels that are not 255 - input");
    }

    @Test
    void boxblurOfCoffeeMatchesJavaBlur(@TempDir Path folder) throws IOException {
        Path coffee = Path.of(example("images/coffee.png"));
        Path output = folder.resolve("blur.png");

        KpcRun run = KpcRun.of("image", "--plugin", example("boxblur.kpc"), "--in", coffee.toString(), "--out", output.toString());

        assertEquals(0, run.status(), run::toString);
        RgbImage input = ImageFiles.read(coffee);
        RgbImage blurred = ImageFiles.read(output);
        assertArrayEquals(boxBlur(input), blurred.pixels());
    }

    @Test
    void sepiaToJpegAndGifWritesDecodableImages(@TempDir Path folder) throws IOException {
        for (String name : new String[] {"sepia.jpg", "sepia.jpeg", "sepia.gif", "sepia.png"}) {
            Path output = folder.resolve(name);

            KpcRun run = KpcRun.of("image", "--plugin", example("sepia.kpc"), "--in", example("images/rocket.jpg"), "--out", output.toString());

            assertEquals(0, run.status(), run::toString);
            BufferedImage written = ImageIO.read(output.toFile());
            assertEquals(640, written.getWidth(), name);
            assertEquals(427, written.getHeight(), name);
        }
    }

    @Test
    void repeatReportsMedianOfLastTenCalls(@TempDir Path folder) {
        Path output = folder.resolve("gray.png");

        KpcRun run = KpcRun.of("image", "--stats", "--repeat=12", "--plugin", example("grayscale.kpc"), "--in", ASTRONAUT.toString(),
                        "--out", output.toString());

        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("(median of last 10)"), run::toString);
        assertTrue(run.err().contains("kpc stats: compile and link "), run::toString);
        assertTrue(run.err().contains("kpc stats: call 12 "), run::toString);
        assertFalse(run.err().contains("kpc stats: call 13 "), run::toString);
    }

    @Test
    void functionOptionSelectsAnotherExport(@TempDir Path folder) throws IOException {
        Path output = folder.resolve("copy.png");

        KpcRun run = KpcRun.of("image", "--plugin", testPlugin("no_transcode.kpc"), "--function", "copy_pixels", "--in", ASTRONAUT.toString(),
                        "--out", output.toString());

        assertEquals(0, run.status(), run::toString);
        assertArrayEquals(ImageFiles.read(ASTRONAUT).pixels(), ImageFiles.read(output).pixels());
    }

    /** Checks every pixel of {@code output} against Y = (77 R + 150 G + 29 B + 128) >> 8 of {@code input}. */
    static void assertGrayscaleOf(BufferedImage input, Path output) throws IOException {
        BufferedImage gray = ImageIO.read(output.toFile());
        assertEquals(input.getWidth(), gray.getWidth(), "width");
        assertEquals(input.getHeight(), gray.getHeight(), "height");

        int mismatches = 0;
        String firstMismatch = null;
        for (int y = 0; y < input.getHeight(); y++) {
            for (int x = 0; x < input.getWidth(); x++) {
                int rgb = input.getRGB(x, y);
                int luma = (77 * ((rgb >> 16) & 0xFF) + 150 * ((rgb >> 8) & 0xFF) + 29 * (rgb & 0xFF) + 128) >> 8;
                int expected = luma << 16 | luma << 8 | luma;
                int actual = gray.getRGB(x, y) & 0xFFFFFF;
                if (actual != expected) {
                    mismatches++;
                    if (firstMismatch == null) {
                        firstMismatch = String.format("(%d, %d): expected %06x, got %06x", x, y, expected, actual);
                    }
                }
            }
        }
        assertEquals(0, mismatches, "pixels that differ from the luma formula, first at " + firstMismatch);
    }

    /** Computes the 3x3 box blur with clamped edges that examples/boxblur.kpc implements. */
    static byte[] boxBlur(RgbImage image) {
        int width = image.width();
        int height = image.height();
        byte[] in = image.pixels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int channel = 0; channel < 3; channel++) {
                    int sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int sy = Math.clamp(y + dy, 0, height - 1);
                            int sx = Math.clamp(x + dx, 0, width - 1);
                            sum += in[(sy * width + sx) * 3 + channel] & 0xFF;
                        }
                    }
                    out[(y * width + x) * 3 + channel] = (byte) ((sum + 4) / 9);
                }
            }
        }
        return out;
    }

    private static BufferedImage copyOf(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        copy.getGraphics().drawImage(image, 0, 0, null);
        return copy;
    }
}
