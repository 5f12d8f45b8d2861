// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * Times {@code transcode()} of {@code examples/grayscale.kpc} on the synthetic image that
 * {@code tools/native-baseline/run} uses, with the default engine (background compilation), so
 * the numbers compare with gcc's. Each timed call includes mapping the input and output buffers
 * and copying the output back. Runs only with {@code -Dkpc.benchmark=true}; sizes can be set
 * with {@code -Dkpc.benchmark.width}, {@code .height} and {@code .calls}.
 */
class GrayscaleBenchmarkTest {

    @Test
    void grayscaleThroughput() throws IOException {
        assumeTrue(Boolean.getBoolean("kpc.benchmark"), "set -Dkpc.benchmark=true to run the benchmark");
        int width = Integer.getInteger("kpc.benchmark.width", 1024);
        int height = Integer.getInteger("kpc.benchmark.height", 1024);
        int calls = Integer.getInteger("kpc.benchmark.calls", 300);
        int bytes = width * height * 3;

        byte[] in = new byte[bytes];
        int seed = 12345;
        for (int i = 0; i < bytes; i++) {
            seed = seed * 1103515245 + 12345;
            in[i] = (byte) (seed >>> 16);
        }
        ByteBuffer input = ByteBuffer.wrap(in);
        ByteBuffer output = ByteBuffer.allocate(bytes);

        Path plugin = Path.of(System.getProperty("kpc.benchmark.plugin", "../examples/grayscale.kpc"));
        try (Context context = Context.newBuilder("kpc").allowHostAccess(HostAccess.ALL)
                        .option("engine.WarnInterpreterOnly", "false").allowExperimentalOptions(true)
                        .options(extraOptions()).build()) {
            Value transcode = context.eval(Source.newBuilder("kpc", Files.readString(plugin), "grayscale.kpc").build())
                            .getMember("transcode");
            double[] millis = new double[calls];
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                int status = transcode.execute(input, output, width, height).asInt();
                millis[i] = (System.nanoTime() - start) / 1e6;
                assertEquals(0, status, "transcode status");
            }
            if (!Boolean.getBoolean("kpc.benchmark.skipCheck")) {
                assertArrayEquals(expectedGray(in), output.array(), "grayscale output");
            }

            double[] late = Arrays.copyOfRange(millis, calls / 2, calls);
            Arrays.sort(late);
            System.out.printf("kpc grayscale %dx%d: best %.3f ms, median %.3f ms over the last %d of %d calls%n",
                            width, height, late[0], late[late.length / 2], late.length, calls);
        }
    }

    /** Engine options from {@code -Dkpc.benchmark.options=name=value,name=value}, for tracing compilations. */
    private static java.util.Map<String, String> extraOptions() {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (String pair : System.getProperty("kpc.benchmark.options", "").split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                options.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return options;
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
