// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * --call-timeout-ms against a real server with one worker: a plugin that never returns is stopped
 * at the timeout, its request gets 504 with the fault, the timeout counts toward quarantine, and
 * the one worker serves the next request. The jit tier stops the plugin through a Truffle
 * safepoint, the native tier through the step counter of the machine code.
 */
class CallTimeoutTest {

    private static final long TIMEOUT_MILLIS = 500;

    /**
     * A transcoder that copies a 4 MiB struct forever: each iteration is one step that does a lot
     * of work, the case a step budget alone bounds badly.
     */
    private static final String SPIN_SOURCE = """
                    #include <kernel.h>
                    struct frame { uint8_t bytes[4 << 20]; };
                    static struct frame front, back;
                    int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height) {
                        for (;;)
                            back = front;
                        return 0;
                    }
                    """;

    @TempDir
    Path folder;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ImageServer start(String tier) throws IOException {
        Path root = Files.createDirectories(folder.resolve("root"));
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Files.copy(TestFiles.ASTRONAUT, root.resolve("astronaut.png"));
        // A small image, so that the interpreted first calls of grayscale stay far below the timeout.
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR), "png", root.resolve("small.png").toFile());
        Files.writeString(plugins.resolve("grayscale.kpc"), TestFiles.exampleSource("grayscale.kpc"));
        Map<String, String> engineOptions = tier.equals("native") ? Map.of("kpc.Tier", "native") : Map.of();
        return ImageServer.start(ServerOptions.builder(root, plugins).port(0).workers(1)
                        .callTimeout(Duration.ofMillis(TIMEOUT_MILLIS))
                        .pluginLimits(ServerOptions.DEFAULT_PLUGIN_LIMITS.withFaultLimit(2))
                        .engineOptions(engineOptions)
                        .build());
    }

    private HttpResponse<String> get(ImageServer server, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jit", "native"})
    void endlessPluginTimesOutAndWorkerServesOn(String tier) throws Exception {
        try (ImageServer server = start(tier)) {
            HttpResponse<String> uploaded = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/plugins/spin")).PUT(HttpRequest.BodyPublishers.ofString(SPIN_SOURCE)).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(201, uploaded.statusCode(), uploaded.body());
            assertTrue(uploaded.body().contains("\"tier\":\"" + tier + "\""), uploaded.body());

            long start = System.nanoTime();
            CompletableFuture<HttpResponse<String>> spinning = client.sendAsync(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + server.port() + "/small.png?plugin=spin")).build(),
                            HttpResponse.BodyHandlers.ofString());
            // While the only worker spins, originals are served.
            Thread.sleep(100);
            assertEquals(200, get(server, "/astronaut.png").statusCode());
            HttpResponse<String> first = spinning.get(30, TimeUnit.SECONDS);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(504, first.statusCode(), first.body());
            assertTrue(first.body().contains("\"error\":\"plugin 'spin' timed out: spin.kpc:"), first.body());
            assertTrue(first.body().contains("fault: watchdog (call timed out): call ran longer than the call timeout of 500 ms"
                            + " in transcode() of plugin spin"), first.body());
            assertTrue(first.body().contains("\"kind\":\"TIMEOUT\""), first.body());
            assertTrue(first.body().contains("\"timeout_ms\":500"), first.body());
            assertTrue(first.body().contains("\"faults\":1,\"fault_limit\":2,\"quarantined\":false"), first.body());
            assertTrue(elapsedMillis >= TIMEOUT_MILLIS, "stopped after " + elapsedMillis + " ms");
            assertTrue(elapsedMillis < TIMEOUT_MILLIS + PluginRegistry.CALL_STOP_GRACE.toMillis(),
                            "stopped after " + elapsedMillis + " ms, past the grace in which a request abandons its worker");

            // The one worker is free again: the next transcode runs on it.
            HttpResponse<String> gray = get(server, "/small.png?plugin=grayscale");
            assertEquals(200, gray.statusCode(), gray.body());

            HttpResponse<String> second = get(server, "/small.png?plugin=spin");
            assertEquals(504, second.statusCode(), second.body());
            assertTrue(second.body().contains("\"faults\":2,\"fault_limit\":2,\"quarantined\":true"), second.body());
            HttpResponse<String> third = get(server, "/small.png?plugin=spin");
            assertEquals(503, third.statusCode(), third.body());
            assertTrue(third.body().contains("plugin 'spin' is quarantined after 2 faults"), third.body());

            String metrics = get(server, "/metrics").body();
            assertTrue(metrics.contains("kpc_plugin_timeouts_total{plugin=\"spin\"} 2\n"), metrics);
            assertTrue(metrics.contains("kpc_plugin_faults_total{plugin=\"spin\"} 2\n"), metrics);
            assertTrue(metrics.contains("kpc_transcode_workers_abandoned 0\n"), metrics);
            assertEquals(200, get(server, "/small.png?plugin=grayscale").statusCode());
        }
    }
}
