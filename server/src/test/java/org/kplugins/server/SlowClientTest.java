// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --client-timeout-s on responses: it bounds the time a response write waits for its client to
 * read, not the whole response. Both clients use a raw socket with a small receive buffer, so the
 * server's writes block as soon as the socket buffers are full. A blocked write goes on once about
 * half of the server's send buffer (up to 4 MiB on Linux) has drained. The slow client reads about
 * 3 MB/s, so each write waits under a second, and the whole file takes several timeouts.
 */
class SlowClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Larger than the socket buffers of both ends on loopback (a few MiB in Linux), so writes must wait for the client. */
    private static final int FILE_BYTES = 24 << 20;

    @TempDir
    Path folder;

    private byte[] content;

    private ImageServer start() throws IOException {
        Path root = Files.createDirectories(folder.resolve("root"));
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        content = new byte[FILE_BYTES];
        new Random(42).nextBytes(content);
        Files.write(root.resolve("large.bin"), content);
        Files.copy(TestFiles.ASTRONAUT, root.resolve("astronaut.png"));
        return ImageServer.start(ServerOptions.builder(root, plugins).port(0).workers(1).clientTimeout(TIMEOUT).build());
    }

    /** Connects with a 32 KiB receive buffer, sends a GET of {@code path} and returns the socket. */
    private static Socket request(ImageServer server, String path) throws IOException {
        Socket socket = new Socket();
        // Set before connecting, so that the window the client offers stays small.
        socket.setReceiveBufferSize(32 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads the status line and headers, and returns the status line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the headers: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n"));
    }

    @Test
    void slowReaderGetsWholeFile() throws Exception {
        try (ImageServer server = start(); Socket socket = request(server, "/large.bin")) {
            InputStream in = socket.getInputStream();
            assertEquals("HTTP/1.1 200 OK", readHead(in));
            long start = System.nanoTime();
            ByteArrayOutputStream body = new ByteArrayOutputStream(FILE_BYTES);
            byte[] buffer = new byte[16 * 1024];
            while (true) {
                // At most 16 KiB per 5 ms, about 3 MB/s: 8 s or more for the file.
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                body.write(buffer, 0, read);
                Thread.sleep(5);
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertArrayEquals(content, body.toByteArray());
            assertTrue(seconds >= 2 * TIMEOUT.toSeconds(), "the download took only " + seconds + " s; make the client slower");
        }
    }

    @Test
    void stalledClientIsDropped() throws Exception {
        try (ImageServer server = start(); Socket socket = request(server, "/large.bin")) {
            InputStream in = socket.getInputStream();
            assertEquals("HTTP/1.1 200 OK", readHead(in));
            // Read nothing for three timeouts; the server stops the response after one.
            Thread.sleep(3 * TIMEOUT.toMillis());

            long received = 0;
            socket.setSoTimeout(10_000);
            byte[] buffer = new byte[64 * 1024];
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    received += read;
                }
            } catch (SocketException e) {
                // A reset also means that the server dropped the connection.
            }
            assertTrue(received < FILE_BYTES, "the stalled client got all " + received + " bytes");

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("kpc_http_stalled_responses_total 1\n"), metrics);
            HttpResponse<byte[]> original = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + server.port() + "/astronaut.png")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, original.statusCode());
            assertArrayEquals(Files.readAllBytes(TestFiles.ASTRONAUT), original.body());
        }
    }
}
