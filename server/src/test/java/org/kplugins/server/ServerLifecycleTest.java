// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers started for one test each: management with a token, and a stop with a request in flight. */
class ServerLifecycleTest {

    /**
     * A transcoder that spins for 800 million loop steps, within the default budget, before it
     * copies the image: long enough to still run when the test stops the server. The test on
     * {@code sum} keeps the compiler from removing the loop as dead code.
     */
    private static final String SLOW_SOURCE = """
                    #include <kernel.h>
                    int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height) {
                        uint32_t sum = 0;
                        for (uint32_t i = 0; i < 800000000; i++)
                            sum += i ^ (sum >> 3);
                        for (uint32_t i = 0; i < width * height * 3; i++)
                            out[i] = in[i];
                        if (sum == 12345)
                            out[0] = 0;
                        return 0;
                    }
                    """;

    @TempDir
    Path folder;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ServerOptions.Builder options() throws IOException {
        Path root = Files.createDirectories(folder.resolve("root"));
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Files.copy(TestFiles.ASTRONAUT, root.resolve("astronaut.png"));
        return ServerOptions.builder(root, plugins).port(0).workers(1);
    }

    private HttpResponse<String> upload(ImageServer server, String name, String source, String authorization)
                    throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/plugins/" + name))
                        .PUT(HttpRequest.BodyPublishers.ofString(source));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokenGuardsManagement() throws Exception {
        String source = TestFiles.exampleSource("grayscale.kpc");
        try (ImageServer server = ImageServer.start(options().token("correct-horse-battery-staple").build())) {
            HttpResponse<String> missing = upload(server, "gray", source, null);
            assertEquals(401, missing.statusCode());
            assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElseThrow());
            assertEquals(401, upload(server, "gray", source, "Bearer wrong").statusCode());
            assertEquals(401, upload(server, "gray", source, "Basic Y29ycmVjdA==").statusCode());
            assertEquals(201, upload(server, "gray", source, "Bearer correct-horse-battery-staple").statusCode());
        }
    }

    @Test
    void busyServerRejectsThenStopFinishes() throws Exception {
        // One worker and one queued call: of six requests sent at once, two are admitted and the
        // others get 503 while the first call runs.
        // The grace is long, so that a loaded machine cannot make the stop give up on the slow calls.
        ImageServer server = ImageServer.start(options().maxQueuedCalls(1).shutdownGrace(Duration.ofSeconds(60)).build());
        try {
            assertEquals(201, upload(server, "slow", SLOW_SOURCE, null).statusCode());
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/astronaut.png?plugin=slow");
            List<CompletableFuture<HttpResponse<byte[]>>> requests = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                requests.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (requests.stream().filter(CompletableFuture::isDone).count() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            boolean inFlightAtStop = requests.stream().anyMatch(request -> !request.isDone());
            long stopStart = System.nanoTime();
            server.stop();
            long stopMillis = (System.nanoTime() - stopStart) / 1_000_000;
            assertTrue(inFlightAtStop, "every request finished before the stop began; make the plugin slower");

            int served = 0;
            int rejected = 0;
            for (CompletableFuture<HttpResponse<byte[]>> request : requests) {
                HttpResponse<byte[]> response = request.get(30, TimeUnit.SECONDS);
                String body = new String(response.body(), StandardCharsets.ISO_8859_1);
                if (response.statusCode() == 200) {
                    served++;
                    assertEquals(512, TestFiles.decode(response.body()).getWidth());
                } else {
                    rejected++;
                    assertEquals(503, response.statusCode(), body + " after a stop of " + stopMillis + " ms");
                    assertTrue(body.contains("server busy: 2 transcoding requests are running or waiting"), body);
                }
            }
            assertTrue(served >= 2, served + " requests served");
            assertTrue(rejected >= 1, rejected + " requests rejected");
            assertThrows(ConnectException.class, () -> client.send(HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.discarding()));
        } finally {
            server.stop();
        }
    }

    @Test
    void slowCompileIsRejectedAndDiscarded() throws Exception {
        try (ImageServer server = ImageServer.start(options().compileTimeout(Duration.ofMillis(1)).build())) {
            // 1,000 functions take far longer than 1 ms to compile, even in a warm JVM.
            StringBuilder source = new StringBuilder(TestFiles.exampleSource("grayscale.kpc"));
            for (int i = 0; i < 1000; i++) {
                source.append("static int f").append(i).append("(int x) { return x * ").append(i).append(" + 1; }\n");
            }
            HttpResponse<String> response = upload(server, "late", source.toString(), null);
            assertEquals(400, response.statusCode());
            assertTrue(response.body().contains("compiling plugin 'late' timed out after 1 ms"), response.body());

            // The compile goes on in the background; its plugin must not be installed when it ends.
            Thread.sleep(3000);
            HttpResponse<String> listed = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/plugins/late")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, listed.statusCode(), listed.body());
        }
    }

    @Test
    void invalidOptionsNameTheOption() throws Exception {
        Path root = Files.createDirectories(folder.resolve("r"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                        () -> ServerOptions.builder(root, folder.resolve("nope")).build());
        assertEquals("invalid value '" + folder.resolve("nope") + "' for --plugins: no such directory", missing.getMessage());

        IllegalArgumentException pixels = assertThrows(IllegalArgumentException.class,
                        () -> ServerOptions.builder(root, root).maxPixels(1L << 30).build());
        assertTrue(pixels.getMessage().startsWith("invalid value 1073741824 for --max-pixels: the input and output buffers"),
                        pixels.getMessage());
    }
}
