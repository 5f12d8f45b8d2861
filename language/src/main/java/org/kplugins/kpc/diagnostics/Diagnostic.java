// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.diagnostics;

/**
 * A compile-time error: lexical, preprocessor, syntax, type or link, or a feature that the selected
 * execution tier does not support. It renders as
 *
 * <pre>
 * grayscale.kpc:12:9: error: use of undeclared identifier 'rowBytes'
 *     int x = rowBytes * 3;
 *             ^
 * </pre>
 */
public record Diagnostic(Kind kind, SourceLocation location, String message) {

    /** The compile stage that found the error. */
    public enum Kind {
        LEXICAL,
        PREPROCESSOR,
        SYNTAX,
        TYPE,
        LINK,
        /** A valid plugin that uses a feature the selected execution tier does not implement yet. */
        UNSUPPORTED
    }

    /** Returns the three-line form shown above: location and message, source line, caret. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(location.prefix()).append(": error: ").append(message).append('\n');
        String line = location.file().lineText(location.line());
        out.append("    ").append(line).append('\n');
        out.append("    ");
        for (int i = 1; i < location.column() && i <= line.length(); i++) {
            out.append(line.charAt(i - 1) == '\t' ? '\t' : ' ');
        }
        out.append('^');
        return out.toString();
    }
}
