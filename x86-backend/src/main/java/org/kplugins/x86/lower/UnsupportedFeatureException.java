// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.lower;

import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * A valid plugin uses a construct that the native tier cannot lower yet. The message is the
 * diagnostic that the user gets, for example {@code native tier does not support calls that return a struct yet}.
 */
public final class UnsupportedFeatureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient SourceLocation location;

    public UnsupportedFeatureException(SourceLocation location, String feature) {
        super("native tier does not support " + feature + " yet", null, false, false);
        this.location = location;
    }

    /** Returns the construct's location, or null when it has none. */
    public SourceLocation location() {
        return location;
    }
}
