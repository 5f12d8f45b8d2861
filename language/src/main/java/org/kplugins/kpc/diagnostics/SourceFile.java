// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.diagnostics;

import com.oracle.truffle.api.source.Source;

/**
 * One file of plugin source: the main file or a header it includes. Tokens point into it, and
 * diagnostics quote its lines.
 */
public final class SourceFile {
    private final String name;
    private final String text;
    private final Source truffleSource;
    private int[] lineStarts;

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
