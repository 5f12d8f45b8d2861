// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that ends with an error status. The server sends {@link #body()} as a JSON object
 * whose {@code error} member is the message.
 */
final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Map<String, Object> body;

    HttpError(int status, String message) {
        this(status, message, Map.of());
    }

    /** Creates an error whose JSON body has {@code error} set to {@code message}, followed by {@code details}. */
    HttpError(int status, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("error", message);
        members.putAll(details);
        this.body = members;
    }

    int status() {
        return status;
    }

    Map<String, Object> body() {
        return body;
    }
}
