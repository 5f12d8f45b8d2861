// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.diagnostics;

import com.oracle.truffle.api.source.Source;
import java.util.ArrayList;
import java.util.List;

/**
 * One file of plugin source: the main file or a header it includes. Tokens point into it, and
 * diagnostics quote its lines.
 */
public final class SourceFile {
    private final String name;
    private final String text;
    private final Source truffleSource;
    private int[] lineStarts;
    /** The {@code #line} directives of this file, in order of their physical lines. */
    private final List<LineDirective> lineDirectives = new ArrayList<>();

    /**
     * A {@code #line} directive: physical line {@code firstLine} and those after it are reported as
     * {@code presumedLine} onwards in the file {@code presumedName}.
     */
    private record LineDirective(int firstLine, int presumedLine, String presumedName) {
    }

    /**
     * @param name the name diagnostics print, for example {@code grayscale.kpc} or {@code <kernel.h>}
     * @param text the whole file
     * @param truffleSource the Truffle source that node source sections point into, or null for a
     *     built-in header
     */
    public SourceFile(String name, String text, Source truffleSource) {
        this.name = name;
        this.text = text;
        this.truffleSource = truffleSource;
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    public Source truffleSource() {
        return truffleSource;
    }

    /**
     * Records a {@code #line} directive: physical line {@code firstLine}, the one after the
     * directive, is reported as line {@code presumedLine} of {@code presumedName}. Directives are
     * recorded in the order the preprocessor reads them, which is physical line order.
     */
    public void addLineDirective(int firstLine, int presumedLine, String presumedName) {
        lineDirectives.removeIf(d -> d.firstLine() >= firstLine);
        lineDirectives.add(new LineDirective(firstLine, presumedLine, presumedName));
    }

    /** Returns whether a {@code #line} directive changes how this file's lines are reported. */
    public boolean hasLineDirectives() {
        return !lineDirectives.isEmpty();
    }

    /**
     * Returns the line that diagnostics, faults and {@code __LINE__} report for physical line
     * {@code line}. A line that {@code #line} would number past {@link Integer#MAX_VALUE} is
     * reported as {@link Integer#MAX_VALUE}. The preprocessor rejects tokens on such lines (see
     * {@link #presumedLineOverflows}), so only the diagnostic about that shows the clamped number.
     */
    public int presumedLine(int line) {
        return (int) Math.min(unclampedPresumedLine(line), Integer.MAX_VALUE);
    }

    /** Returns whether a {@code #line} directive numbers physical line {@code line} past {@link Integer#MAX_VALUE}. */
    public boolean presumedLineOverflows(int line) {
        return unclampedPresumedLine(line) > Integer.MAX_VALUE;
    }

    private long unclampedPresumedLine(int line) {
        LineDirective directive = directiveFor(line);
        return directive == null ? line : (long) directive.presumedLine() + (line - directive.firstLine());
    }

    /** Returns the file name that diagnostics, faults and {@code __FILE__} report for physical line {@code line}. */
    public String presumedName(int line) {
        LineDirective directive = directiveFor(line);
        return directive == null ? name : directive.presumedName();
    }

    private LineDirective directiveFor(int line) {
        LineDirective found = null;
        for (LineDirective directive : lineDirectives) {
            if (directive.firstLine() > line) {
                break;
            }
            found = directive;
        }
        return found;
    }

    /** Returns the text of line {@code line} (1-based) without its line terminator. */
    public String lineText(int line) {
        int[] starts = lineStarts();
        if (line < 1 || line > starts.length) {
            return "";
        }
        int start = starts[line - 1];
        int end = start;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        return text.substring(start, end);
    }

    private int[] lineStarts() {
        if (lineStarts == null) {
            int count = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    count++;
                }
            }
            int[] starts = new int[count];
            int line = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    starts[line++] = i + 1;
                }
            }
            lineStarts = starts;
        }
        return lineStarts;
    }

    @Override
    public String toString() {
        return name;
    }
}
