// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/grayscale.kpc} in the x86 tiers: every output byte must equal the luma formula,
 * on a synthetic image in the native tier and on a real photograph in both code modes of the
 * emulated tier. With {@code -Dkpc.benchmark=true} the test also times {@code transcode()} on the
 * synthetic image of {@code tools/native-baseline/run} (sizes from {@code -Dkpc.benchmark.width},
 * {@code .height} and {@code .calls}; tier from {@code -Dkpc.benchmark.tier}: native, emulated,
 * emulated-checked or truffle). Each timed call includes mapping the buffers and copying the
 * output back, as in the language module's benchmark of the Truffle tier.
 */
class NativeGrayscaleTest {

    private static final Path GRAYSCALE = Path.of("..", "examples", "grayscale.kpc");
    /** A photograph from examples/images (rights in examples/images/SOURCES.md). */
    private static final Path PHOTO = Path.of("..", "examples", "images", "coffee.png");

    @Test
    void everyPixelMatchesLumaFormula() throws IOException {
        byte[] in = syntheticImage(97 * 61 * 3);
        ByteBuffer output = ByteBuffer.allocate(in.length);
        try (Context context = context("native")) {
            Value transcode = transcode(context);
            assertEquals(0, transcode.execute(ByteBuffer.wrap(in), output, 97, 61).asInt());
        }
        assertArrayEquals(expectedGray(in), output.array());
    }

    @Test
    void photographInEmulatedTier() throws IOException {
        BufferedImage photo = ImageIO.read(PHOTO.toFile());
        assertNotNull(photo, PHOTO + " is not a readable image");
        int width = photo.getWidth();
        int height = photo.getHeight();
        byte[] in = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = photo.getRGB(x, y);
                int i = 3 * (y * width + x);
                in[i] = (byte) (rgb >> 16);
                in[i + 1] = (byte) (rgb >> 8);
                in[i + 2] = (byte) rgb;
            }
        }
        for (String tier : new String[]{"emulated", "emulated-checked"}) {
            ByteBuffer output = ByteBuffer.allocate(in.length);
            try (Context context = context(tier)) {
                assertEquals(0, transcode(context).execute(ByteBuffer.wrap(in), output, width, height).asInt(), tier);
            }
            assertArrayEquals(expectedGray(in), output.array(), tier + " grayscale of " + PHOTO);
        }
    }

    @Test
    void grayscaleThroughput() throws IOException {
        assumeTrue(Boolean.getBoolean("kpc.benchmark"), "set -Dkpc.benchmark=true to run the benchmark");
        int width = Integer.getInteger("kpc.benchmark.width", 512);
        int height = Integer.getInteger("kpc.benchmark.height", 512);
        int calls = Integer.getInteger("kpc.benchmark.calls", 400);
        byte[] in = syntheticImage(width * height * 3);
        ByteBuffer input = ByteBuffer.wrap(in);
        ByteBuffer output = ByteBuffer.allocate(in.length);
        String tier = System.getProperty("kpc.benchmark.tier", "native");
        try (Context context = context(tier)) {
            Value transcode = transcode(context);
            double[] millis = new double[calls];
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                int status = transcode.execute(input, output, width, height).asInt();
                millis[i] = (System.nanoTime() - start) / 1e6;
                assertEquals(0, status, "transcode status");
            }
            assertArrayEquals(expectedGray(in), output.array(), "grayscale output");
            double[] late = Arrays.copyOfRange(millis, calls / 2, calls);
            Arrays.sort(late);
            System.out.printf("kpc " + tier + " grayscale %dx%d: best %.3f ms, median %.3f ms over the last %d of %d calls%n",
                            width, height, late[0], late[late.length / 2], late.length, calls);
        }
    }

    /** Returns a context of {@code tier}: truffle, native, emulated (hardware-isolation code) or emulated-checked. */
    private static Context context(String tier) {
        Context.Builder builder = Context.newBuilder("kpc").allowHostAccess(HostAccess.ALL).allowExperimentalOptions(true);
        if (tier.equals("emulated-checked")) {
            builder.option("kpc.Tier", "emulated").option("kpc.EmulatedCode", "checked");
        } else {
            builder.option("kpc.Tier", tier);
        }
        return builder.build();
    }

    private static Value transcode(Context context) throws IOException {
        return context.eval(Source.newBuilder("kpc", Files.readString(GRAYSCALE), "grayscale.kpc").build())
                        .getMember("transcode");
    }

    /** The pseudo-random bytes of tools/native-baseline's image: a linear congruential generator. */
    private static byte[] syntheticImage(int bytes) {
        byte[] in = new byte[bytes];
        int seed = 12345;
        for (int i = 0; i < bytes; i++) {
            seed = seed * 1103515245 + 12345;
            in[i] = (byte) (seed >>> 16);
        }
        return in;
    }

    private static byte[] expectedGray(byte[] rgb) {
        byte[] gray = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i += 3) {
            int y = (77 * (rgb[i] & 0xFF) + 150 * (rgb[i + 1] & 0xFF) + 29 * (rgb[i + 2] & 0xFF) + 128) >> 8;
            gray[i] = gray[i + 1] = gray[i + 2] = (byte) y;
        }
        return gray;
    }
}
