// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import java.util.HashMap;
import java.util.Map;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * Makes the Truffle source sections of one plugin's source locations as the Truffle tier's node
 * builder makes them, and records the files with {@code #line} directives among them, whose fault
 * reports show the presumed file and line.
 */
final class Sections {

    private final Map<Source, SourceFile> lineDirectiveFiles = new HashMap<>();

    /** Returns the section of {@code location}, or null for code without a Truffle source (built-in headers). */
    SourceSection of(SourceLocation location) {
        if (location == null || location.file() == null || location.file().truffleSource() == null) {
            return null;
        }
        Source source = location.file().truffleSource();
        if (location.file().hasLineDirectives()) {
            lineDirectiveFiles.putIfAbsent(source, location.file());
        }
        int length = source.getLength();
        int start = Math.max(0, Math.min(location.offset(), length));
        int end = Math.max(start, Math.min(location.offset() + location.length(), length));
        return source.createSection(start, end - start);
    }

    /** Returns the file name to report for physical line {@code line} of {@code source}. */
    String reportedFile(Source source, int line) {
        SourceFile file = lineDirectiveFiles.get(source);
        return file == null ? source.getName() : file.presumedName(line);
    }

    /** Returns the line number to report for physical line {@code line} of {@code source}. */
    int reportedLine(Source source, int line) {
        SourceFile file = lineDirectiveFiles.get(source);
        return file == null ? line : file.presumedLine(line);
    }
}
