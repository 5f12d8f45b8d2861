// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.diagnostics;

/**
 * A position in plugin source. Line and column are 1-based; the column counts characters, with a
 * tab counting as one. {@code offset} and {@code length} are character offsets into the file's
 * text, used for Truffle source sections. A token produced by macro expansion carries the location
 * of the macro's use.
 */
public record SourceLocation(SourceFile file, int line, int column, int offset, int length) {

    /**
     * Returns {@code file:line:column}, the prefix of every diagnostic. A {@code #line} directive
     * changes the file name and line it shows; {@link #line()} stays the physical line.
     */
    public String prefix() {
        return file.presumedName(line) + ":" + file.presumedLine(line) + ":" + column;
    }

    /** Returns a location that spans from the start of this one to the end of {@code end}. */
    public SourceLocation to(SourceLocation end) {
        if (end == null || end.file != file || end.offset + end.length <= offset) {
            return this;
        }
        return new SourceLocation(file, line, column, offset, end.offset + end.length - offset);
    }

    @Override
    public String toString() {
        return prefix();
    }
}
