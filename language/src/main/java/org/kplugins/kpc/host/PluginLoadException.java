// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

/**
 * A plugin failed to load: its source did not compile, an import did not link against the kernel's
 * symbol table, or its limits are invalid. The message contains every diagnostic, each with the
 * source line and a caret. The kernel and the plugins already loaded are unchanged.
 */
public final class PluginLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
