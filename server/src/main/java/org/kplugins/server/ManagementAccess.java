// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Decides who may upload and delete plugins. Without a token only loopback clients may; with a
 * token every client must send {@code Authorization: Bearer TOKEN}, loopback clients included.
 * Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, whose time does not
 * depend on where the two values differ, nor on the token's length.
 */
final class ManagementAccess {

    private static final String BEARER = "Bearer ";

    /** The SHA-256 digest of the token, or null when none is configured. */
    private final byte[] tokenDigest;

    ManagementAccess(String token) {
        this.tokenDigest = token == null ? null : sha256(token);
    }

    boolean hasToken() {
        return tokenDigest != null;
    }

    /**
     * Checks a management request from {@code client} with the given Authorization header value.
     *
     * @throws HttpError 403 for a non-loopback client when no token is configured, 401 for a
     *                   missing or wrong token
     */
    void check(InetAddress client, String authorization) {
        if (tokenDigest == null) {
            if (!client.isLoopbackAddress()) {
                throw new HttpError(403, "plugin management is accepted only from loopback clients; start the server"
                                + " with --token (or " + ServerOptions.TOKEN_VARIABLE + ") to allow other clients");
            }
            return;
        }
        if (authorization == null || authorization.isBlank()) {
            throw new HttpError(401, "missing management token: send the header 'Authorization: Bearer TOKEN'");
        }
        // Authentication scheme names are case-insensitive (RFC 9110, section 11.1).
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new HttpError(401, "invalid Authorization header: expected the Bearer scheme, as in"
                            + " 'Authorization: Bearer TOKEN'");
        }
        byte[] given = sha256(authorization.substring(BEARER.length()).strip());
        if (!MessageDigest.isEqual(given, tokenDigest)) {
            throw new HttpError(401, "invalid management token");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
