// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Maps request paths to the files under the server's root, and gives each file its
 * Content-Type, ETag and Last-Modified.
 */
final class StaticFiles {

    /**
     * The HTTP date format (RFC 9110, IMF-fixdate), with a two-digit day. The JDK's
     * RFC_1123_DATE_TIME writes days below 10 with one digit.
     */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
                    Locale.ENGLISH);

    /** The maximum length of a request's path and query, in characters; longer ones get 414. */
    static final int MAX_PATH_LENGTH = 4096;

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
                    Map.entry("png", "image/png"),
                    Map.entry("jpg", "image/jpeg"),
                    Map.entry("jpeg", "image/jpeg"),
                    Map.entry("gif", "image/gif"),
                    Map.entry("bmp", "image/bmp"),
                    Map.entry("webp", "image/webp"),
                    Map.entry("svg", "image/svg+xml"),
                    Map.entry("html", "text/html; charset=utf-8"),
                    Map.entry("txt", "text/plain; charset=utf-8"),
                    Map.entry("md", "text/markdown; charset=utf-8"),
                    Map.entry("css", "text/css; charset=utf-8"),
                    Map.entry("js", "text/javascript; charset=utf-8"),
                    Map.entry("json", "application/json"),
                    Map.entry("kpc", "text/x-c; charset=utf-8"));

    /** The Content-Type of each javax.imageio format the server encodes. */
    private static final Map<String, String> FORMAT_TYPES = Map.of("png", "image/png", "jpeg", "image/jpeg", "gif", "image/gif",
                    "bmp", "image/bmp");

    /** An existing regular file under the root, with its attributes read once. */
    record ServedFile(Path path, long size, String contentType, String etag, String lastModified) {
    }

    private final Path root;
    /** The root with symbolic links resolved, which every served file must lie under. */
    private final Path realRoot;

    StaticFiles(Path root) throws IOException {
        this.root = root;
        this.realRoot = root.toRealPath();
    }

    /**
     * Resolves the decoded request path {@code requestPath} (starting with '/').
     *
     * @throws HttpError 400 for a path with '..', '.', backslash or NUL segments; 404 for a
     *                   missing file, a directory, another non-regular file, a hidden name
     *                   (starting with '.'), or a symbolic link that leads out of the root
     */
    ServedFile resolve(String requestPath) throws IOException {
        if (!requestPath.startsWith("/") || requestPath.indexOf('\0') >= 0 || requestPath.indexOf('\\') >= 0) {
            throw new HttpError(400, "invalid path '" + printable(requestPath) + "'");
        }

        if (requestPath.endsWith("/")) {
            // Only folders end in a slash, and folders are not served.
            throw notFound(requestPath);
        }
        Path file = root;
        for (String segment : requestPath.substring(1).split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new HttpError(400, "invalid path '" + printable(requestPath) + "': '.' and '..' segments are not allowed");
            }
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.startsWith(".")) {
                throw notFound(requestPath);
            }
            file = file.resolve(segment);
        }
        if (!file.normalize().startsWith(root)) {
            throw new HttpError(400, "invalid path '" + printable(requestPath) + "'");
        }

        BasicFileAttributes attributes;
        Path real;
        try {
            real = file.toRealPath();
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw notFound(requestPath);
        }
        if (!real.startsWith(realRoot) || !attributes.isRegularFile()) {
            throw notFound(requestPath);
        }

        long size = attributes.size();
        long modifiedNanos = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modifiedNanos) + "\"";
        String lastModified = HTTP_DATE.format(attributes.lastModifiedTime().toInstant().atOffset(ZoneOffset.UTC));
        return new ServedFile(real, size, contentType(real), etag, lastModified);
    }

    private static HttpError notFound(String requestPath) {
        return new HttpError(404, "no such file: '" + printable(requestPath) + "'");
    }

    static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    /** Returns the Content-Type of an image encoded in the javax.imageio format {@code format}. */
    static String contentTypeOfFormat(String format) {
        return FORMAT_TYPES.getOrDefault(format, "application/octet-stream");
    }

    /** Returns {@code text} with control characters replaced by '?', for messages and logs. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return text.length() > 200 ? out + "..." : out.toString();
    }
}
