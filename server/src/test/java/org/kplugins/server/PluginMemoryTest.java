// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --max-plugins and --max-plugin-memory-bytes against a real server: uploads beyond either limit
 * get 507 naming it, while originals and transcodes go on being served.
 */
class PluginMemoryTest {

    private static final long MIB = 1 << 20;
    /** Static data of each large plugin: 160 MiB, which fits the default 256 MiB address space with the heap. */
    private static final long BIG_BYTES = 160 * MIB;

    private static final String BIG_SOURCE = """
                    #include <kernel.h>
                    static uint8_t frame[%d];
                    int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height) {
                        for (uint32_t i = 0; i < width * height * 3; i++)
                            out[i] = in[i];
                        frame[0] = out[0];
                        return 0;
                    }
                    """.formatted(BIG_BYTES);

    private static final Pattern MEMORY_BYTES = Pattern.compile("\"memory_bytes\":(\\d+)");

    @TempDir
    Path folder;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ServerOptions.Builder options() throws IOException {
        Path root = Files.createDirectories(folder.resolve("root"));
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        if (!Files.exists(root.resolve("astronaut.png"))) {
            Files.copy(TestFiles.ASTRONAUT, root.resolve("astronaut.png"));
        }
        Files.writeString(plugins.resolve("grayscale.kpc"), TestFiles.exampleSource("grayscale.kpc"));
        return ServerOptions.builder(root, plugins).port(0).workers(1);
    }

    private HttpResponse<String> send(ImageServer server, String method, String path, String body)
                    throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body);
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long memoryBytes(HttpResponse<String> description) {
        Matcher matcher = MEMORY_BYTES.matcher(description.body());
        assertTrue(matcher.find(), description.body());
        return Long.parseLong(matcher.group(1));
    }

    private static long metric(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(metrics);
        assertTrue(matcher.find(), name + " in " + metrics);
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void uploadsBeyondMemoryLimitAreRejectedWhileServing() throws Exception {
        // Room for grayscale and one large plugin, not for two.
        long grayscaleCharge;
        try (ImageServer probe = ImageServer.start(options().build())) {
            grayscaleCharge = memoryBytes(send(probe, "GET", "/plugins/grayscale", null));
        }
        long bigCharge = BIG_BYTES + 2 * (BIG_BYTES + ServerOptions.DEFAULT_PLUGIN_LIMITS.heapSize()
                        + ServerOptions.DEFAULT_RETAINED_BUFFER_BYTES);
        long budget = grayscaleCharge + bigCharge + bigCharge / 2;

        try (ImageServer server = ImageServer.start(options().maxPluginMemory(budget).build())) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger served = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (String path : List.of("/astronaut.png", "/astronaut.png?plugin=grayscale")) {
                clients.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> response = send(server, "GET", path, null);
                            if (response.statusCode() == 200) {
                                served.incrementAndGet();
                            } else {
                                failures.add(path + ": " + response.statusCode() + " " + response.body());
                            }
                        } catch (IOException | InterruptedException e) {
                            failures.add(path + ": " + e);
                        }
                    }
                }));
            }

            HttpResponse<String> first = send(server, "PUT", "/plugins/big0", BIG_SOURCE);
            assertEquals(201, first.statusCode(), first.body());
            long reservedOne = memoryBytes(first);
            assertTrue(reservedOne >= bigCharge, reservedOne + " bytes reserved");
            assertTrue(reservedOne < bigCharge + MIB, reservedOne + " bytes reserved");

            // Together these plugins would need more than the whole heap of this JVM.
            int uploads = (int) (Runtime.getRuntime().maxMemory() / reservedOne) + 2;
            assertTrue(uploads * reservedOne > Runtime.getRuntime().maxMemory());
            for (int i = 1; i <= uploads; i++) {
                HttpResponse<String> rejected = send(server, "PUT", "/plugins/big" + i, BIG_SOURCE);
                assertEquals(507, rejected.statusCode(), rejected.body());
                assertTrue(rejected.body().contains("\"error\":\"cannot load plugin 'big" + i + "': it reserves " + reservedOne
                                + " bytes of plugin memory (2 instances and its static data), but the other plugins reserve "
                                + (grayscaleCharge + reservedOne) + " of the " + budget + " bytes that"
                                + " --max-plugin-memory-bytes allows"), rejected.body());
                assertTrue(rejected.body().contains("\"limit\":\"--max-plugin-memory-bytes\",\"limit_value\":" + budget),
                                rejected.body());
                assertEquals(404, send(server, "GET", "/plugins/big" + i, null).statusCode());
            }
            running.set(false);
            for (Thread client : clients) {
                client.join();
            }
            assertEquals(List.of(), List.copyOf(failures));
            assertTrue(served.get() > 0, "no request was served during the uploads");

            String metrics = send(server, "GET", "/metrics", null).body();
            assertEquals(grayscaleCharge + reservedOne, metric(metrics, "kpc_plugin_memory_reserved_bytes"));
            assertEquals(budget, metric(metrics, "kpc_plugin_memory_limit_bytes"));
            assertTrue(metrics.contains("kpc_plugin_load_failures_total{stage=\"memory\"} " + uploads + "\n"), metrics);

            // Deleting the large plugin gives its memory back, and another one fits.
            assertEquals(204, send(server, "DELETE", "/plugins/big0", null).statusCode());
            assertEquals(grayscaleCharge, metric(send(server, "GET", "/metrics", null).body(),
                            "kpc_plugin_memory_reserved_bytes"));
            assertEquals(201, send(server, "PUT", "/plugins/big1", BIG_SOURCE).statusCode());
            assertEquals(200, send(server, "GET", "/astronaut.png?plugin=big1", null).statusCode());
        }
    }

    @Test
    void fullBudgetRejectsBeforeCompiling() throws Exception {
        ServerOptions.Builder builder = options();
        long minimum = builder.build().minimumPluginCharge();
        long grayscaleCharge;
        try (ImageServer probe = ImageServer.start(builder.build())) {
            grayscaleCharge = memoryBytes(send(probe, "GET", "/plugins/grayscale", null));
        }
        // No room next to grayscale for even the smallest plugin.
        try (ImageServer server = ImageServer.start(options().maxPluginMemory(grayscaleCharge + minimum - 1).build())) {
            HttpResponse<String> rejected = send(server, "PUT", "/plugins/tiny", TestFiles.exampleSource("invert.kpc"));
            assertEquals(507, rejected.statusCode(), rejected.body());
            assertTrue(rejected.body().contains("it reserves at least " + minimum + " bytes of plugin memory"), rejected.body());
            assertTrue(rejected.body().contains("\"memory_bytes\":" + minimum), rejected.body());
            // Replacing grayscale needs no more memory than it has.
            HttpResponse<String> replaced = send(server, "PUT", "/plugins/grayscale", TestFiles.exampleSource("grayscale.kpc"));
            assertEquals(200, replaced.statusCode(), replaced.body());
        }
    }

    @Test
    void maxPluginsLimitsNames() throws Exception {
        try (ImageServer server = ImageServer.start(options().maxPlugins(2).build())) {
            String invert = TestFiles.exampleSource("invert.kpc");
            assertEquals(201, send(server, "PUT", "/plugins/first", invert).statusCode());
            HttpResponse<String> rejected = send(server, "PUT", "/plugins/second", invert);
            assertEquals(507, rejected.statusCode(), rejected.body());
            assertTrue(rejected.body().contains("\"error\":\"cannot load plugin 'second': 2 plugins are loaded, which is the"
                            + " limit of --max-plugins; delete one first\""), rejected.body());
            assertTrue(rejected.body().contains("\"limit\":\"--max-plugins\",\"limit_value\":2"), rejected.body());

            assertEquals(200, send(server, "PUT", "/plugins/first", invert).statusCode(), "a replacement is no new name");
            assertEquals(204, send(server, "DELETE", "/plugins/first", null).statusCode());
            assertEquals(201, send(server, "PUT", "/plugins/second", invert).statusCode());
            assertEquals(200, send(server, "GET", "/astronaut.png?plugin=second", null).statusCode());
        }
    }

    @Test
    void budgetBelowOnePluginIsRejected() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> options().maxPluginMemory(MIB).build());
        assertTrue(e.getMessage().startsWith("invalid value 1048576 for --max-plugin-memory-bytes: the smallest plugin"
                        + " reserves "), e.getMessage());
    }
}
