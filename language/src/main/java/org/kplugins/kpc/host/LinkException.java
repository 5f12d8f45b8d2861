// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

/**
 * A hook could not be linked: the plugin has no such function, its prototype differs from the
 * hook's (the message shows both), the plugin is unloaded or quarantined, or the hook is linked
 * already. The hook is unchanged.
 */
public final class LinkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LinkException(String message) {
        super(message);
    }
}
