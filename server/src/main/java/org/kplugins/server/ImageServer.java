// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import org.kplugins.server.image.ImageCodec;
import org.kplugins.server.image.ImageDecodeException;
import org.kplugins.server.image.RgbImage;

/**
 * {@code kpc serve}: an HTTP server for the files under a root folder, which transcodes images
 * through plugins on request ({@code GET /PATH?plugin=NAME}) and lets a trusted client upload,
 * replace and delete plugins while it serves. docs/serve.md lists the routes, statuses, options,
 * metrics and log messages.
 *
 * <p>The JDK's HTTP server accepts connections and runs each exchange on a virtual thread.
 * Decoding and encoding run there too; the transcoder calls run on {@link TranscodeWorkers}.
 */
public final class ImageServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ImageServer.class.getPackageName());

    /** Connections the kernel queues before the server accepts them. */
    private static final int BACKLOG = 1024;

    /**
     * Keep-alive connections kept open between requests. The JDK server closes a connection after
     * its response when 200 are idle already (its default in JDK 25), which wrk with 1,000
     * connections saw as thousands of read errors.
     */
    private static final int MAX_IDLE_CONNECTIONS = 1024;

    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final TranscodeWorkers workers;
    /**
     * Platform threads that decode and encode images. The JDK's image codecs run long native code
     * that a virtual thread cannot yield from, so on the HTTP side's few carrier threads two large
     * decodes would stall every other request, static files included.
     */
    private final TranscodeWorkers codecs;
    private final PluginRegistry registry;
    private final StaticFiles files;
    private final ManagementAccess access;
    private final HttpServer http;
    /** Drops clients that read nothing of their response for the client timeout. */
    private final SendWatchdog sendWatchdog;
    private final ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final LongAdder served = new LongAdder();
    /** Requests being handled now. The JDK server's own count misses exchanges whose response write failed. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /**
     * Transcoding requests admitted at once: one per worker plus the queued calls. A request that
     * finds none free gets 503 before it decodes anything, which bounds the memory of the decoded
     * images and the time a request waits.
     */
    private final Semaphore transcodeSlots;

    private ImageServer(ServerOptions options, TranscodeWorkers workers, ServerMetrics metrics, PluginRegistry registry,
                    HttpServer http) throws IOException {
        this.options = options;
        this.workers = workers;
        this.codecs = new TranscodeWorkers("kpc-codec-", options.workers(), options.maxQueuedCalls(), () -> {
        });
        this.metrics = metrics;
        this.registry = registry;
        this.http = http;
        this.files = new StaticFiles(options.root());
        this.access = new ManagementAccess(options.token());
        this.transcodeSlots = new Semaphore(options.workers() + options.maxQueuedCalls());
        this.sendWatchdog = new SendWatchdog(options.clientTimeout());
    }

    /**
     * Loads the plugins of the plugins directory, binds the port and starts serving.
     *
     * @throws IOException if the port cannot be bound or a folder cannot be read
     */
    public static ImageServer start(ServerOptions options) throws IOException {
        configureHttpServer(options);
        // Decoding and encoding work in memory: without this, javax.imageio buffers streams in
        // temporary files, which a killed server would leave behind.
        ImageIO.setUseCache(false);
        // A worker that ends releases its plugin instances; the registry is created after the pool.
        AtomicReference<PluginRegistry> registryOfWorkers = new AtomicReference<>();
        TranscodeWorkers workers = new TranscodeWorkers("kpc-transcode-", options.workers(), options.maxQueuedCalls(), () -> {
            PluginRegistry created = registryOfWorkers.get();
            if (created != null) {
                created.releaseThreadInstances();
            }
        });
        ServerMetrics metrics = new ServerMetrics(workers::queued, workers::abandonedWorkers);
        PluginRegistry registry = new PluginRegistry(options, metrics, workers);
        registryOfWorkers.set(registry);
        ImageServer server;
        try {
            registry.loadDirectory();
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(options.bindAddress()),
                            options.port()), BACKLOG);
            server = new ImageServer(options, workers, metrics, registry, http);
        } catch (IOException | RuntimeException e) {
            closeQuietly(workers, registry, options);
            throw e;
        }
        server.http.createContext("/", server::handle);
        server.http.setExecutor(server.exchanges);
        server.http.start();
        LOG.info(() -> "kpc serve started on http://" + server.address().getHostString() + ":" + server.port() + "/ (root "
                        + options.root() + ", plugins " + options.pluginsDirectory() + ", tier " + registry.tierDescription() + ", "
                        + plural(options.workers(), "transcode worker") + ", management "
                        + (server.access.hasToken() ? "with token" : "from loopback only") + ")");
        return server;
    }

    private static void closeQuietly(TranscodeWorkers workers, PluginRegistry registry, ServerOptions options) {
        try {
            workers.close(options.shutdownGrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registry.close();
    }

    /**
     * Sets the JDK HTTP server's system properties, which it reads once per JVM; properties set on
     * the command line win. sun.net.httpserver.maxReqTime bounds, in seconds, the time to receive
     * a request with its body, so slow clients cannot hold connections. Its companion maxRspTime
     * is left unset: it would bound the whole response from the end of the request and cut off
     * slow downloads that make progress, so {@link SendWatchdog} bounds the time without progress
     * instead. sun.net.httpserver.nodelay sets TCP_NODELAY: without it, the last segment of some responses
     * waited for the client's delayed ACK, and rocket.jpg (112,525 bytes) was served with a median
     * latency of 15 to 43 ms instead of a few milliseconds (benchmarks/serve-load on loopback).
     * sun.net.httpserver.maxIdleConnections is set to {@link #MAX_IDLE_CONNECTIONS}.
     */
    private static void configureHttpServer(ServerOptions options) {
        String seconds = Long.toString(Math.max(1, options.clientTimeout().toSeconds()));
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", seconds);
        }
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_IDLE_CONNECTIONS));
        }
    }

    /** Returns the port the server listens on, which the system chose when the options gave 0. */
    public int port() {
        return http.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Lets requests in flight finish (waiting at most the shutdown grace) while new requests get
     * 503, then closes the port, stops the workers and unloads every plugin. Later calls return at
     * once.
     *
     * <p>The server waits on its own count of requests in flight rather than on
     * {@code HttpServer.stop(delay)}: in JDK 25 an exchange whose response write failed, because
     * the client went away, is never counted as finished, so that stop would always wait the whole delay.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        LOG.info(() -> "kpc serve stopping: waiting up to " + options.shutdownGrace().toSeconds() + " s for "
                        + plural(inFlight.get(), "request") + " in flight");
        try {
            long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (inFlight.get() > 0) {
                LOG.warning("kpc serve: " + inFlight.get() + " requests still running after the shutdown grace are abandoned");
            }
            http.stop(0);
            sendWatchdog.close();
            exchanges.shutdownNow();
            workers.close(Duration.ofSeconds(1));
            codecs.close(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warning("kpc serve: interrupted while waiting for requests in flight");
        } finally {
            registry.close();
            LOG.info(() -> "kpc serve stopped after " + plural(served.sum(), "request"));
            stopped.countDown();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The plugin a request names, for the metrics label: empty for originals. */
    private static final class RequestLabel {
        String plugin = "";
    }

    /**
     * Handles one exchange. Every write of its response goes through the send watchdog. An
     * exchange whose client went away or stopped reading ends with the IOException, so that the
     * JDK server closes the connection and removes it from its connection sets, where a normal
     * return would leave it.
     */
    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        RequestLabel label = new RequestLabel();
        inFlight.incrementAndGet();
        IOException clientError = null;
        try (SendWatchdog.Send send = sendWatchdog.open()) {
            exchange.setStreams(null, send.wrap(exchange.getResponseBody()));
            exchange.setAttribute(SEND_ATTRIBUTE, send);
            try {
                if (stopping.get()) {
                    throw new HttpError(503, "the server is stopping");
                }
                route(exchange, label);
            } catch (HttpError e) {
                logError(exchange, e);
                sendError(exchange, e);
            } catch (IOException e) {
                // The client closed the connection, or read nothing for the client timeout.
                clientError = e;
                LOG.fine(() -> "request " + describe(exchange) + " ended with an I/O error: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "request " + describe(exchange) + " failed", e);
                sendError(exchange, new HttpError(500, "internal server error: " + e.getClass().getSimpleName()));
            } finally {
                int status = exchange.getResponseCode();
                if (status > 0) {
                    metrics.observeRequest(status, label.plugin, System.nanoTime() - start);
                }
                served.increment();
                // Closing sends what the response stream still buffers, so the watchdog covers it too.
                exchange.close();
                inFlight.decrementAndGet();
            }
            if (clientError == null && send.isStalled()) {
                clientError = new IOException("the client of " + describe(exchange) + " stopped reading its response");
                LOG.fine(clientError::getMessage);
            }
        }
        if (clientError != null) {
            throw clientError;
        }
    }

    /** The exchange attribute that stores the {@link SendWatchdog.Send} of its response. */
    private static final String SEND_ATTRIBUTE = "kplugins.send";

    /** Sends the status line and headers, which can block on a client that reads nothing, under the send watchdog. */
    private static void sendHeaders(HttpExchange exchange, int status, long length) throws IOException {
        SendWatchdog.Send send = (SendWatchdog.Send) exchange.getAttribute(SEND_ATTRIBUTE);
        send.run(() -> exchange.sendResponseHeaders(status, length));
    }

    private void route(HttpExchange exchange, RequestLabel label) throws IOException {
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath();
        String rawQuery = uri.getRawQuery();
        if (rawPath == null || uri.getPath() == null) {
            throw new HttpError(400, "invalid request target");
        }
        if (rawPath.length() + (rawQuery == null ? 0 : rawQuery.length()) > StaticFiles.MAX_PATH_LENGTH) {
            throw new HttpError(414, "request target longer than " + StaticFiles.MAX_PATH_LENGTH + " characters");
        }
        String path = uri.getPath();
        String method = exchange.getRequestMethod();

        if (path.equals("/metrics")) {
            requireMethod(method, "GET", "HEAD");
            discardBody(exchange);
            byte[] text = metrics.render(sendWatchdog.droppedCount(), registry.servingCount(), registry.reservedBytes(), options.maxPluginMemory()).getBytes(StandardCharsets.UTF_8);
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", text);
        } else if (path.equals("/plugins")) {
            requireMethod(method, "GET", "HEAD");
            discardBody(exchange);
            sendJson(exchange, 200, registry.describeAll());
        } else if (path.startsWith("/plugins/")) {
            managePlugin(exchange, method, path.substring("/plugins/".length()));
        } else {
            requireMethod(method, "GET", "HEAD");
            discardBody(exchange);
            String plugin = pluginParameter(rawQuery);
            if (plugin == null) {
                serveOriginal(exchange, path);
            } else {
                label.plugin = registry.exists(plugin) ? plugin : ServerMetrics.UNKNOWN_PLUGIN;
                serveTranscoded(exchange, path, plugin);
            }
        }
    }

    private static void requireMethod(String method, String... allowed) {
        if (!Arrays.asList(allowed).contains(method)) {
            throw new HttpError(405, "method " + method + " is not allowed here; use " + String.join(" or ", allowed),
                            Map.of("allow", String.join(", ", allowed)));
        }
    }

    /** Returns the value of the query parameter {@code plugin}, or null; other parameters are ignored. */
    private static String pluginParameter(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        String plugin = null;
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (!key.equals("plugin")) {
                continue;
            }
            if (plugin != null) {
                throw new HttpError(400, "query parameter 'plugin' is given twice; give one transcoder");
            }
            plugin = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (plugin.isEmpty()) {
                throw new HttpError(400, "query parameter 'plugin' is empty; give a plugin name or "
                                + PluginRegistry.JAVA_GRAYSCALE);
            }
        }
        return plugin;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "invalid percent-encoding in query '" + StaticFiles.printable(text) + "'");
        }
    }

    private void serveOriginal(HttpExchange exchange, String path) throws IOException {
        StaticFiles.ServedFile file = files.resolve(path);
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", file.contentType());
        headers.set("ETag", file.etag());
        headers.set("Last-Modified", file.lastModified());
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.strip().equals("*") || Arrays.stream(ifNoneMatch.split(","))
                        .map(String::strip).anyMatch(tag -> tag.equals(file.etag()) || tag.equals("W/" + file.etag())))) {
            sendHeaders(exchange, 304, -1);
            return;
        }
        headers.set("Content-Length", Long.toString(file.size()));
        if (exchange.getRequestMethod().equals("HEAD") || file.size() == 0) {
            sendHeaders(exchange, 200, -1);
            return;
        }
        try (InputStream input = Files.newInputStream(file.path())) {
            sendHeaders(exchange, 200, file.size());
            OutputStream output = exchange.getResponseBody();
            // Copies exactly the announced length, because the file may grow while it is sent.
            byte[] buffer = new byte[64 * 1024];
            long remaining = file.size();
            while (remaining > 0) {
                int read = input.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (read < 0) {
                    throw new IOException("file '" + path + "' shrank while it was sent");
                }
                output.write(buffer, 0, read);
                remaining -= read;
            }
        }
    }

    private void serveTranscoded(HttpExchange exchange, String path, String plugin) throws IOException {
        if (!plugin.equals(PluginRegistry.JAVA_GRAYSCALE) && !PluginRegistry.PLUGIN_NAME.matcher(plugin).matches()) {
            throw new HttpError(400, "invalid plugin name '" + StaticFiles.printable(plugin) + "': expected 1 to 64 letters,"
                            + " digits, '-' or '_', or " + PluginRegistry.JAVA_GRAYSCALE);
        }
        if (!registry.exists(plugin)) {
            throw PluginRegistry.noSuchPlugin(plugin);
        }
        StaticFiles.ServedFile file = files.resolve(path);
        if (!transcodeSlots.tryAcquire()) {
            throw new HttpError(503, "server busy: " + (options.workers() + options.maxQueuedCalls())
                            + " transcoding requests are running or waiting; retry later");
        }
        byte[] body;
        ImageCodec.Decoded decoded;
        try {
            decoded = onCodecThread(() -> decode(file, path));
            RgbImage output = registry.transcode(plugin, decoded.image());
            // Encoded into memory first, so a failure never leaves a half-written response behind a 200.
            body = onCodecThread(() -> ImageCodec.encode(output, decoded.format()));
        } finally {
            transcodeSlots.release();
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        send(exchange, 200, StaticFiles.contentTypeOfFormat(decoded.format()), body);
    }

    /** Work that may fail with an IOException. */
    private interface IoWork<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} on a codec thread and returns its result, rethrowing its IOException here. */
    private <T> T onCodecThread(IoWork<T> work) throws IOException {
        try {
            return codecs.run(() -> {
                try {
                    return work.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private ImageCodec.Decoded decode(StaticFiles.ServedFile file, String path) throws IOException {
        try (ImageInputStream input = ImageIO.createImageInputStream(file.path().toFile())) {
            if (input == null) {
                throw new IOException("javax.imageio cannot open '" + path + "'");
            }
            return ImageCodec.decode(input, path, options.maxSide(), options.maxPixels());
        } catch (ImageDecodeException e) {
            int status = switch (e.reason()) {
                case UNSUPPORTED_FORMAT -> 415;
                case CORRUPT -> 422;
                case TOO_LARGE -> 413;
            };
            throw new HttpError(status, e.getMessage());
        }
    }

    private void managePlugin(HttpExchange exchange, String method, String name) throws IOException {
        requireMethod(method, "GET", "HEAD", "PUT", "DELETE");
        if (!PluginRegistry.PLUGIN_NAME.matcher(name).matches()) {
            throw new HttpError(400, "invalid plugin name '" + StaticFiles.printable(name) + "': expected 1 to 64 letters,"
                            + " digits, '-' or '_'");
        }
        if (method.equals("GET") || method.equals("HEAD")) {
            discardBody(exchange);
            Map<String, Object> description = registry.describe(name);
            if (description == null) {
                throw PluginRegistry.noSuchPlugin(name);
            }
            sendJson(exchange, 200, description);
            return;
        }

        access.check(exchange.getRemoteAddress().getAddress(), exchange.getRequestHeaders().getFirst("Authorization"));
        if (method.equals("DELETE")) {
            discardBody(exchange);
            if (!registry.delete(name)) {
                throw PluginRegistry.noSuchPlugin(name);
            }
            sendHeaders(exchange, 204, -1);
            return;
        }

        String source = readSource(exchange);
        int depth = SourceChecks.nestingDepth(source);
        if (depth > options.maxNesting()) {
            throw new HttpError(400, "plugin source nests brackets " + depth + " levels deep; the limit is "
                            + options.maxNesting());
        }
        PluginRegistry.Installed installed = registry.upload(name, source);
        sendJson(exchange, installed.replaced() ? 200 : 201, installed.description());
    }

    private String readSource(HttpExchange exchange) throws IOException {
        byte[] body = readBody(exchange, options.maxUploadBytes(), "plugin source");
        if (body.length == 0) {
            throw new HttpError(400, "empty plugin source: send the KPC source as the request body, for example with"
                            + " curl -T FILE");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new HttpError(400, "plugin source is not valid UTF-8");
        }
    }

    /** Reads and drops the request body of a request that takes none, bounded by --max-request-bytes. */
    private void discardBody(HttpExchange exchange) throws IOException {
        readBody(exchange, options.maxRequestBytes(), "request body");
    }

    /**
     * Reads the request body, at most {@code limit} bytes.
     *
     * @throws HttpError 413 when the Content-Length or the body exceeds {@code limit}
     */
    private static byte[] readBody(HttpExchange exchange, int limit, String what) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "invalid Content-Length '" + StaticFiles.printable(declared) + "'");
            }
            if (length > limit) {
                throw new HttpError(413, what + " of " + length + " bytes exceeds the limit of " + limit + " bytes");
            }
        }
        try (InputStream input = exchange.getRequestBody()) {
            byte[] body = input.readNBytes(limit + 1);
            if (body.length > limit) {
                throw new HttpError(413, what + " exceeds the limit of " + limit + " bytes");
            }
            return body;
        }
    }

    private static void sendJson(HttpExchange exchange, int status, Object value) throws IOException {
        send(exchange, status, "application/json", (Json.write(value) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            sendHeaders(exchange, status, -1);
            return;
        }
        sendHeaders(exchange, status, body.length == 0 ? -1 : body.length);
        try (OutputStream output = exchange.getResponseBody()) {
            output.write(body);
        }
    }

    /** Sends {@code error} as JSON, unless the response has started already; then the connection just closes. */
    private void sendError(HttpExchange exchange, HttpError error) {
        if (exchange.getResponseCode() != -1) {
            return;
        }
        Headers headers = exchange.getResponseHeaders();
        headers.clear();
        Object allow = error.body().get("allow");
        if (error.status() == 405 && allow != null) {
            headers.set("Allow", allow.toString());
        }
        if (error.status() == 401) {
            headers.set("WWW-Authenticate", "Bearer");
        }
        if (error.status() == 413 || error.status() == 414 || stopping.get()) {
            // The rest of the request was not read, or the server is stopping, so the connection
            // cannot carry another request.
            headers.set("Connection", "close");
        }
        try {
            sendJson(exchange, error.status(), error.body());
        } catch (IOException e) {
            LOG.fine(() -> "could not send status " + error.status() + " to " + describe(exchange) + ": " + e);
        }
    }

    /**
     * Logs a failed request at WARNING when it is a server error, and at FINE otherwise. Client
     * errors, 503s (quarantine, busy, stopping), 504s (call timeouts) and faults count as
     * otherwise, because the metrics count them and the registry has logged each fault and
     * timeout with the plugin's fault count.
     */
    private static void logError(HttpExchange exchange, HttpError error) {
        boolean logged = error.status() == 503 || error.status() == 504 || error.body().containsKey("fault");
        Level level = error.status() >= 500 && !logged ? Level.WARNING : Level.FINE;
        LOG.log(level, () -> "request " + describe(exchange) + " failed with status " + error.status() + ": "
                        + PluginRegistry.firstLine(error.getMessage()));
    }

    private static String describe(HttpExchange exchange) {
        return exchange.getRequestMethod() + " " + StaticFiles.printable(exchange.getRequestURI().toString()) + " from "
                        + exchange.getRemoteAddress();
    }

    /** Returns {@code count} and {@code noun}, with an s unless the count is 1. */
    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
