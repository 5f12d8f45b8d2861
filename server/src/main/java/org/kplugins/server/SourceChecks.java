// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

/**
 * Checks on uploaded plugin source that run before it is compiled, so that rejecting hostile
 * input costs the server one linear scan.
 */
final class SourceChecks {

    private SourceChecks() {
    }

    /**
     * Returns the deepest nesting of {@code ( [ {} in {@code source}, skipping comments and
     * string and character literals. Brackets in preprocessor lines count too; a macro that
     * expands to deep nesting is caught by the compiler's own limit of 256 levels.
     */
    static int nestingDepth(String source) {
        int depth = 0;
        int deepest = 0;
        int i = 0;
        int length = source.length();
        while (i < length) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < length && source.charAt(i + 1) == '/') {
                i = skipLineComment(source, i);
            } else if (c == '/' && i + 1 < length && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? length : end + 2;
            } else if (c == '"' || c == '\'') {
                i = skipLiteral(source, i, c);
            } else {
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                    deepest = Math.max(deepest, depth);
                } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                    depth--;
                }
                i++;
            }
        }
        return deepest;
    }

    private static int skipLineComment(String source, int start) {
        int i = start;
        while (i < source.length() && source.charAt(i) != '\n') {
            // A backslash at the end of the line continues the comment on the next one.
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return i;
    }

    /** Skips a literal that starts with {@code quote}; an unterminated one ends at the line's end. */
    private static int skipLiteral(String source, int start, char quote) {
        int i = start + 1;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote || c == '\n') {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }
}
