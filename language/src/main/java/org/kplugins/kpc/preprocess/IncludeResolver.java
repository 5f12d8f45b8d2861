// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import org.kplugins.kpc.diagnostics.SourceFile;

/**
 * Finds the file named by {@code #include "name"}. The language implements it so that a plugin can
 * include only files in its own directory.
 */
@FunctionalInterface
public interface IncludeResolver {
    /** An include resolver that finds no files, for plugins that use only the built-in headers. */
    IncludeResolver NONE = name -> null;

    /**
     * Returns the file named {@code name}, exactly as written between the quotes, or null when it
     * does not exist or lies outside the plugin's directory. The preprocessor then looks for a
     * built-in header of that name and reports an error if there is none.
     */
    SourceFile resolve(String name);

    /**
     * Raised by {@link #resolve} when the host denies file access altogether, so that the error
     * names the cause instead of reporting a missing file.
     */
    final class AccessDenied extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public AccessDenied(String message) {
            super(message, null, false, false);
        }
    }
}
