// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import org.kplugins.kpc.diagnostics.SourceLocation;

/** Truffle source sections of plugin source locations, made as the Truffle tier's node builder makes them. */
final class Sections {

    private Sections() {
    }

    /** Returns the section of {@code location}, or null for code without a Truffle source (built-in headers). */
    static SourceSection of(SourceLocation location) {
        if (location == null || location.file() == null || location.file().truffleSource() == null) {
            return null;
        }
        Source source = location.file().truffleSource();
        int length = source.getLength();
        int start = Math.max(0, Math.min(location.offset(), length));
        int end = Math.max(start, Math.min(location.offset() + location.length(), length));
        return source.createSection(start, end - start);
    }
}
