// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The management access rule, with client addresses that no HTTP test can come from. */
class ManagementAccessTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static InetAddress documentationAddress() throws Exception {
        // 192.0.2.0/24 is reserved for documentation (RFC 5737); the literal is parsed, never contacted.
        return InetAddress.getByName("192.0.2.7");
    }

    @Test
    void withoutTokenOnlyLoopbackPasses() throws Exception {
        ManagementAccess access = new ManagementAccess(null);
        assertDoesNotThrow(() -> access.check(LOOPBACK, null));
        assertDoesNotThrow(() -> access.check(InetAddress.getByName("::1"), null));
        HttpError remote = assertThrows(HttpError.class, () -> access.check(documentationAddress(), "Bearer anything"));
        assertEquals(403, remote.status());
    }

    @Test
    void withTokenEveryClientNeedsIt() throws Exception {
        ManagementAccess access = new ManagementAccess("s3cret-token-value");
        assertDoesNotThrow(() -> access.check(documentationAddress(), "Bearer s3cret-token-value"));
        assertEquals(401, assertThrows(HttpError.class, () -> access.check(LOOPBACK, null)).status());
        assertEquals(401, assertThrows(HttpError.class, () -> access.check(LOOPBACK, "Bearer s3cret-token-valuE")).status());
        assertEquals(401, assertThrows(HttpError.class, () -> access.check(LOOPBACK, "Bearer s3cret")).status());
    }

    @Test
    void bearerSchemeIgnoresCase() {
        ManagementAccess access = new ManagementAccess("s3cret-token-value");
        assertDoesNotThrow(() -> access.check(LOOPBACK, "bearer s3cret-token-value"));
        assertDoesNotThrow(() -> access.check(LOOPBACK, "BEARER s3cret-token-value"));
        HttpError basic = assertThrows(HttpError.class, () -> access.check(LOOPBACK, "Basic czNjcmV0"));
        assertEquals(401, basic.status());
        assertEquals("invalid Authorization header: expected the Bearer scheme, as in 'Authorization: Bearer TOKEN'",
                        basic.getMessage());
    }
}
