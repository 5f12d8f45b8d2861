// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP tests against one real server on an ephemeral loopback port, with java.net.http.HttpClient.
 * Tests that change plugins use names of their own, so they do not disturb each other.
 */
class ImageServerTest {

    /** The fault limit of the test server, lower than the default so quarantine comes quickly. */
    private static final int FAULT_LIMIT = 3;
    /** The width or height limit of the test server: rocket.jpg (640x427) fits, a 641-pixel side does not. */
    private static final int MAX_SIDE = 640;
    private static final int MAX_UPLOAD_BYTES = 16 * 1024;

    private static final String HOSTILE_SOURCE = """
                    #include <kernel.h>
                    int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height) {
                        uint8_t *unmapped = (uint8_t *)16;
                        *unmapped = 1;
                        return 0;
                    }
                    """;

    @TempDir
    static Path folder;

    private static ImageServer server;
    private static HttpClient client;
    private static String base;
    private static final ConcurrentLinkedQueue<LogRecord> LOG_RECORDS = new ConcurrentLinkedQueue<>();
    private static final Handler LOG_HANDLER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOG_RECORDS.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void startServer() throws IOException {
        Path root = Files.createDirectories(folder.resolve("root"));
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Files.copy(TestFiles.ASTRONAUT, root.resolve("astronaut.png"));
        Files.copy(TestFiles.ROCKET, root.resolve("rocket.jpg"));
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/note.txt"), "hello\n");
        Files.writeString(root.resolve(".hidden"), "hidden\n");
        Files.writeString(root.resolve("not-an-image.png"), "plain text\n");
        Files.writeString(folder.resolve("secret.txt"), "SECRET-OUTSIDE-ROOT\n");
        Files.createSymbolicLink(root.resolve("escape.txt"), folder.resolve("secret.txt"));
        ImageIO.write(new BufferedImage(MAX_SIDE + 1, 2, BufferedImage.TYPE_3BYTE_BGR), "png", root.resolve("wide.png").toFile());
        Files.writeString(plugins.resolve("grayscale.kpc"), TestFiles.exampleSource("grayscale.kpc"));
        Files.writeString(plugins.resolve("broken.kpc"), "int transcode(void) { return }\n");

        Logger.getLogger("org.kplugins.server").addHandler(LOG_HANDLER);
        server = ImageServer.start(ServerOptions.builder(root, plugins)
                        .port(0)
                        .workers(2)
                        // Room for every concurrent request of concurrentTranscodesAllSucceed, so none gets 503.
                        .maxQueuedCalls(64)
                        .maxSide(MAX_SIDE)
                        .maxUploadBytes(MAX_UPLOAD_BYTES)
                        .maxRequestBytes(1024)
                        .pluginLimits(ServerOptions.DEFAULT_PLUGIN_LIMITS.withFaultLimit(FAULT_LIMIT))
                        .build());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
        Logger.getLogger("org.kplugins.server").removeHandler(LOG_HANDLER);
    }

    private static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> put(String path, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** Sends {@code requestLine} as it is over a raw socket, so no client normalizes the path, and returns the response. */
    private static String rawRequest(String requestLine) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void originalHasHeadersAndBytes() throws Exception {
        HttpResponse<byte[]> response = get("/astronaut.png");
        assertEquals(200, response.statusCode());
        assertArrayEquals(Files.readAllBytes(TestFiles.ASTRONAUT), response.body());
        assertEquals("image/png", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(Long.toString(Files.size(TestFiles.ASTRONAUT)), response.headers().firstValue("Content-Length").orElseThrow());
        assertTrue(response.headers().firstValue("ETag").orElseThrow().matches("\"[0-9a-f]+-[0-9a-f]+\""));
        // The HTTP date format, with a two-digit day of the month.
        String lastModified = response.headers().firstValue("Last-Modified").orElseThrow();
        assertTrue(lastModified.matches("[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"),
                        lastModified);

        HttpResponse<byte[]> jpeg = get("/rocket.jpg");
        assertEquals(200, jpeg.statusCode());
        assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(Files.readAllBytes(TestFiles.ROCKET), jpeg.body());
    }

    @Test
    void originalRevalidatesWithEtag() throws Exception {
        String etag = get("/astronaut.png").headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(base + "/astronaut.png"))
                        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, response.statusCode());
        assertEquals(0, response.body().length);
        assertEquals(etag, response.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void headSendsLengthWithoutBody() throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(base + "/sub/note.txt"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("6", response.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(0, response.body().length);
    }

    @Test
    void pluginGrayscalePngMatchesPixelByPixel() throws Exception {
        HttpResponse<byte[]> response = get("/astronaut.png?plugin=grayscale");
        assertEquals(200, response.statusCode(), () -> text(response));
        assertEquals("image/png", response.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage input = TestFiles.read(TestFiles.ASTRONAUT);
        BufferedImage output = TestFiles.decode(response.body());
        assertEquals(input.getWidth(), output.getWidth());
        assertEquals(input.getHeight(), output.getHeight());
        int mismatches = 0;
        for (int y = 0; y < input.getHeight(); y++) {
            for (int x = 0; x < input.getWidth(); x++) {
                int gray = TestFiles.luma(input.getRGB(x, y));
                int expected = (gray << 16) | (gray << 8) | gray;
                if ((output.getRGB(x, y) & 0xFFFFFF) != expected) {
                    mismatches++;
                }
            }
        }
        assertEquals(0, mismatches, "pixels that differ from the BT.601 luma");
    }

    @Test
    void javaGrayscaleEqualsPluginOutput() throws Exception {
        for (String file : List.of("/astronaut.png", "/rocket.jpg")) {
            HttpResponse<byte[]> plugin = get(file + "?plugin=grayscale");
            HttpResponse<byte[]> java = get(file + "?plugin=java:grayscale");
            assertEquals(200, plugin.statusCode(), () -> text(plugin));
            assertEquals(200, java.statusCode(), () -> text(java));
            assertArrayEquals(java.body(), plugin.body(), file + ": plugin and plain Java outputs differ");
        }
    }

    @Test
    void pluginGrayscaleJpegStaysJpegAndGray() throws Exception {
        HttpResponse<byte[]> response = get("/rocket.jpg?plugin=grayscale");
        assertEquals(200, response.statusCode(), () -> text(response));
        assertEquals("image/jpeg", response.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage input = TestFiles.read(TestFiles.ROCKET);
        BufferedImage output = TestFiles.decode(response.body());
        assertEquals(640, output.getWidth());
        assertEquals(427, output.getHeight());
        // JPEG re-encoding is lossy, so each pixel is compared with a tolerance and the mean must stay small.
        long totalError = 0;
        int worst = 0;
        for (int y = 0; y < input.getHeight(); y++) {
            for (int x = 0; x < input.getWidth(); x++) {
                int rgb = output.getRGB(x, y);
                int expected = TestFiles.luma(input.getRGB(x, y));
                int error = Math.max(Math.abs(((rgb >> 16) & 0xFF) - expected),
                                Math.max(Math.abs(((rgb >> 8) & 0xFF) - expected), Math.abs((rgb & 0xFF) - expected)));
                totalError += error;
                worst = Math.max(worst, error);
            }
        }
        double meanError = (double) totalError / (input.getWidth() * input.getHeight());
        assertTrue(meanError < 2.0, "mean error " + meanError);
        assertTrue(worst <= 24, "worst pixel error " + worst);
    }

    @Test
    void uploadReplacesWhileRequestsRun() throws Exception {
        assertEquals(201, put("/plugins/swap", TestFiles.exampleSource("invert.kpc")).statusCode());
        byte[] inverted = get("/astronaut.png?plugin=swap").body();
        byte[] gray = get("/astronaut.png?plugin=java:grayscale").body();

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger invertedSeen = new AtomicInteger();
        AtomicInteger graySeen = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(3);
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                started.countDown();
                while (running.get()) {
                    try {
                        HttpResponse<byte[]> response = get("/astronaut.png?plugin=swap");
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + text(response));
                        } else if (Arrays.equals(response.body(), inverted)) {
                            invertedSeen.incrementAndGet();
                        } else if (Arrays.equals(response.body(), gray)) {
                            graySeen.incrementAndGet();
                        } else {
                            failures.add("a response that is neither the inverted nor the gray image");
                        }
                    } catch (IOException | InterruptedException e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        started.await();
        Thread.sleep(300);
        HttpResponse<String> replaced = put("/plugins/swap", TestFiles.exampleSource("grayscale.kpc"));
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertTrue(replaced.body().contains("\"name\":\"swap\""), replaced.body());
        // The replacement's first calls create its instances and run interpreted, which takes a
        // while on a loaded machine; the callers go on until one of them got its output.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (graySeen.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        running.set(false);
        for (Thread caller : callers) {
            caller.join();
        }

        assertEquals(List.of(), List.copyOf(failures));
        assertTrue(invertedSeen.get() > 0, "no response came from the first plugin");
        assertTrue(graySeen.get() > 0, "no response came from the replacement");
        assertArrayEquals(gray, get("/astronaut.png?plugin=swap").body());
        assertTrue(LOG_RECORDS.stream().anyMatch(record -> record.getMessage().contains("plugin 'swap' replaced")));
    }

    @Test
    void badUploadKeepsOldPluginServing() throws Exception {
        assertEquals(201, put("/plugins/steady", TestFiles.exampleSource("grayscale.kpc")).statusCode());

        HttpResponse<String> compileError = put("/plugins/steady", "int transcode(const uint8_t *in) { return rowBytes; }\n");
        assertEquals(400, compileError.statusCode());
        assertTrue(compileError.body().contains("error:"), compileError.body());
        assertTrue(compileError.body().contains("\"stage\":\"compile\""), compileError.body());

        HttpResponse<String> linkError = put("/plugins/steady", "int transcode(int x) { return x; }\n");
        assertEquals(400, linkError.statusCode());
        assertTrue(linkError.body().contains("the hook is 'int transcode("), linkError.body());
        assertTrue(linkError.body().contains("\"stage\":\"link\""), linkError.body());

        HttpResponse<String> noFunction = put("/plugins/steady", "int other(void) { return 0; }\n");
        assertEquals(400, noFunction.statusCode());
        assertTrue(noFunction.body().contains("exports no function 'transcode'"), noFunction.body());
        assertTrue(noFunction.body().contains("a transcoder defines int transcode(const uint8_t *in"), noFunction.body());
        assertTrue(noFunction.body().contains("curl -T FILE"), noFunction.body());

        HttpResponse<String> empty = put("/plugins/steady", "");
        assertEquals(400, empty.statusCode());
        assertTrue(empty.body().contains("empty plugin source"), empty.body());

        HttpResponse<byte[]> still = get("/astronaut.png?plugin=steady");
        assertEquals(200, still.statusCode());
        assertArrayEquals(get("/astronaut.png?plugin=java:grayscale").body(), still.body());
    }

    @Test
    void uploadOfNewNameFailingLeavesNoPlugin() throws Exception {
        HttpResponse<String> response = put("/plugins/never", "this is not C\n");
        assertEquals(400, response.statusCode());
        assertEquals(404, get("/plugins/never").statusCode());
        assertEquals(404, get("/astronaut.png?plugin=never").statusCode());
    }

    @Test
    void uploadBoundsAreEnforced() throws Exception {
        HttpResponse<String> tooLarge = put("/plugins/large", "/*" + "x".repeat(MAX_UPLOAD_BYTES) + "*/\n");
        assertEquals(413, tooLarge.statusCode());
        assertTrue(tooLarge.body().contains("exceeds the limit of " + MAX_UPLOAD_BYTES + " bytes"), tooLarge.body());

        String deep = "int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height) { return "
                        + "(".repeat(100) + "0" + ")".repeat(100) + "; }\n";
        HttpResponse<String> tooDeep = put("/plugins/deep", deep);
        assertEquals(400, tooDeep.statusCode());
        assertTrue(tooDeep.body().contains("101 levels deep; the limit is 64"), tooDeep.body());

        HttpResponse<String> badName = put("/plugins/bad.name", TestFiles.exampleSource("grayscale.kpc"));
        assertEquals(400, badName.statusCode());
    }

    @Test
    void uploadCannotIncludeServerFiles() throws Exception {
        Path secret = folder.resolve("secret.txt");
        HttpResponse<String> response = put("/plugins/reader", "#include \"" + secret + "\"\nint x;\n");
        assertEquals(400, response.statusCode());
        assertFalse(response.body().contains("SECRET-OUTSIDE-ROOT"), response.body());
    }

    @Test
    void faultFailsOnlyThatRequestUntilQuarantine() throws Exception {
        assertEquals(201, put("/plugins/hostile", HOSTILE_SOURCE).statusCode());
        for (int fault = 1; fault <= FAULT_LIMIT; fault++) {
            HttpResponse<byte[]> response = get("/astronaut.png?plugin=hostile");
            String body = text(response);
            assertEquals(500, response.statusCode(), body);
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(body.contains("\"report\":\"hostile.kpc:4:"), body);
            assertTrue(body.contains("\"kind\":"), body);
            assertTrue(body.contains("\"faults\":" + fault), body);
            assertTrue(body.contains("\"quarantined\":" + (fault == FAULT_LIMIT)), body);
            // Other transcoders keep serving between the faults.
            assertEquals(200, get("/astronaut.png?plugin=grayscale").statusCode());
        }

        HttpResponse<byte[]> quarantined = get("/astronaut.png?plugin=hostile");
        assertEquals(503, quarantined.statusCode());
        assertTrue(text(quarantined).contains("quarantined after 3 faults"), text(quarantined));
        assertEquals(200, get("/astronaut.png?plugin=grayscale").statusCode());
        assertEquals(200, get("/astronaut.png").statusCode());

        String plugins = text(get("/plugins"));
        assertTrue(plugins.contains("\"name\":\"hostile\",\"state\":\"quarantined\""), plugins);
        String metrics = text(get("/metrics"));
        assertTrue(metrics.contains("kpc_plugin_faults_total{plugin=\"hostile\"} 3"), metrics);
        assertTrue(metrics.contains("kpc_plugin_quarantines_total{plugin=\"hostile\"} 1"), metrics);
        assertTrue(LOG_RECORDS.stream().anyMatch(record -> record.getMessage().contains("plugin 'hostile' quarantined")));

        // An upload under the same name brings it back.
        assertEquals(200, put("/plugins/hostile", TestFiles.exampleSource("grayscale.kpc")).statusCode());
        assertEquals(200, get("/astronaut.png?plugin=hostile").statusCode());
    }

    @Test
    void deleteUnlinksPlugin() throws Exception {
        assertEquals(201, put("/plugins/shortlived", TestFiles.exampleSource("invert.kpc")).statusCode());
        assertEquals(200, get("/astronaut.png?plugin=shortlived").statusCode());
        assertEquals(204, delete("/plugins/shortlived").statusCode());
        assertEquals(404, get("/astronaut.png?plugin=shortlived").statusCode());
        assertEquals(404, delete("/plugins/shortlived").statusCode());
    }

    @Test
    void pluginListShowsStartupPlugins() throws Exception {
        get("/astronaut.png?plugin=grayscale");
        HttpResponse<byte[]> response = get("/plugins");
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
        String body = text(response);
        assertTrue(body.startsWith("[{\"name\":\"java:grayscale\",\"state\":\"serving\",\"tier\":\"java\""), body);
        assertTrue(body.contains("{\"name\":\"grayscale\",\"state\":\"serving\",\"tier\":\"jit\""), body);
        assertTrue(body.contains("\"mean_ms\":"), body);
        assertTrue(body.contains("\"origin\":\"file grayscale.kpc\""), body);
        assertFalse(body.contains("\"name\":\"broken\""), "the plugin file that does not compile is listed: " + body);
        assertTrue(LOG_RECORDS.stream().anyMatch(record -> record.getMessage().startsWith("plugin 'broken' (file broken.kpc) failed to compile: broken.kpc:1:")));
    }

    @Test
    void traversalIsRejected() throws Exception {
        for (String target : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt", "/sub/../../secret.txt",
                        "/./astronaut.png", "/sub%5c..%5c..%5csecret.txt")) {
            String response = rawRequest("GET " + target + " HTTP/1.1");
            assertTrue(response.startsWith("HTTP/1.1 400"), target + " gave " + response.lines().findFirst().orElse(""));
            assertFalse(response.contains("SECRET-OUTSIDE-ROOT"), target);
        }
        HttpResponse<byte[]> link = get("/escape.txt");
        assertEquals(404, link.statusCode());
        assertFalse(text(link).contains("SECRET-OUTSIDE-ROOT"));
    }

    @Test
    void nonFilesAreNotFound() throws Exception {
        assertEquals(404, get("/sub").statusCode());
        assertEquals(404, get("/sub/").statusCode());
        assertEquals(404, get("/").statusCode());
        assertEquals(404, get("/.hidden").statusCode());
        assertEquals(404, get("/missing.png").statusCode());
        assertEquals(404, get("/missing.png?plugin=grayscale").statusCode());
        assertEquals(404, get("/astronaut.png/").statusCode());
    }

    @Test
    void bmpWithEmbeddedImageIsUnsupported() throws Exception {
        // A BMP header of 1x1 pixels whose compression field declares the pixels are an embedded JPEG (4)
        // or PNG (5), with an image size near 2 GiB that the JDK's reader would allocate.
        for (int compression : new int[] {4, 5}) {
            ByteBuffer header = ByteBuffer.allocate(62).order(ByteOrder.LITTLE_ENDIAN);
            header.put((byte) 'B').put((byte) 'M').putInt(62).putInt(0).putInt(54);
            header.putInt(40).putInt(1).putInt(1).putShort((short) 1).putShort((short) 0).putInt(compression)
                            .putInt(0x7FFFFF00).putInt(0).putInt(0).putInt(0).putInt(0);
            Path file = folder.resolve("root").resolve("embedded-" + compression + ".bmp");
            Files.write(file, header.array());

            HttpResponse<byte[]> response = get("/embedded-" + compression + ".bmp?plugin=grayscale");
            assertEquals(415, response.statusCode(), text(response));
            assertTrue(text(response).contains("BMP with embedded " + (compression == 4 ? "JPEG" : "PNG")
                            + " data is not supported"), text(response));
        }
    }

    @Test
    void oversizeRequestsAreRejected() throws Exception {
        HttpResponse<byte[]> wide = get("/wide.png?plugin=grayscale");
        assertEquals(413, wide.statusCode());
        assertTrue(text(wide).contains("641x2 pixels; the limit is 640 pixels per side"), text(wide));

        HttpResponse<byte[]> body = client.send(HttpRequest.newBuilder(URI.create(base + "/astronaut.png"))
                        .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(4096))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(413, body.statusCode());

        String longTarget = rawRequest("GET /" + "a".repeat(StaticFiles.MAX_PATH_LENGTH + 1) + " HTTP/1.1");
        assertTrue(longTarget.startsWith("HTTP/1.1 414"), longTarget.lines().findFirst().orElse(""));
    }

    @Test
    void requestErrorsAreJson() throws Exception {
        HttpResponse<byte[]> unknown = get("/astronaut.png?plugin=nosuch");
        assertEquals(404, unknown.statusCode());
        assertEquals("{\"error\":\"no plugin named 'nosuch'; GET /plugins lists the plugins\"}\n", text(unknown));

        assertEquals(400, get("/astronaut.png?plugin=no%20such").statusCode());
        assertEquals(400, get("/astronaut.png?plugin=").statusCode());
        assertEquals(415, get("/not-an-image.png?plugin=grayscale").statusCode());
        assertEquals(415, get("/sub/note.txt?plugin=java:grayscale").statusCode());

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/astronaut.png"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void metricsUsePrometheusFormat() throws Exception {
        get("/astronaut.png?plugin=java:grayscale");
        get("/astronaut.png");
        HttpResponse<byte[]> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        String metrics = text(response);
        for (String expected : List.of("# TYPE kpc_http_requests_total counter",
                        "kpc_http_requests_total{status=\"200\",plugin=\"java:grayscale\"} ",
                        "kpc_http_requests_total{status=\"200\",plugin=\"\"} ",
                        "# TYPE kpc_http_request_duration_seconds histogram",
                        "kpc_http_request_duration_seconds_bucket{status=\"200\",plugin=\"java:grayscale\",le=\"+Inf\"} ",
                        "kpc_plugin_calls_total{plugin=\"java:grayscale\"} ",
                        "kpc_plugin_compile_seconds_count{plugin=\"grayscale\"} ",
                        "kpc_plugin_link_seconds_sum{plugin=\"grayscale\"} ",
                        "kpc_plugin_load_failures_total{stage=\"compile\"} ",
                        "kpc_plugins_loaded ", "kpc_transcode_queue_length 0")) {
            assertTrue(metrics.contains(expected), "missing '" + expected + "' in\n" + metrics);
        }
        for (String line : metrics.lines().toList()) {
            assertTrue(line.startsWith("# ") || line.matches("[a-z_]+(\\{[^}]*\\})? [0-9.E+-]+"), "malformed line: " + line);
        }
    }

    @Test
    void concurrentTranscodesAllSucceed() throws Exception {
        byte[] expected = get("/rocket.jpg?plugin=java:grayscale").body();
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 24; i++) {
            String plugin = i % 2 == 0 ? "grayscale" : "java:grayscale";
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<byte[]> response = get("/rocket.jpg?plugin=" + plugin);
                    if (response.statusCode() != 200 || !Arrays.equals(expected, response.body())) {
                        failures.add(plugin + ": " + response.statusCode());
                    }
                } catch (IOException | InterruptedException e) {
                    failures.add(e.toString());
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), List.copyOf(failures));
        assertNotNull(server.address());
    }
}
