// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.lexer;

/** The kinds of preprocessed tokens the parser reads. */
public enum TokenKind {
    /** An identifier; keywords are identifiers whose text the parser recognizes. */
    IDENTIFIER,
    /** An integer constant; {@link Token#intValue()} and {@link Token#intSuffix()} are set. */
    INTEGER,
    /**
     * A floating constant; {@link Token#intValue()} is the IEEE 754 binary64 bits of its value
     * and {@link Token#intSuffix()} is "f" for a float constant and "" for a double.
     */
    FLOATING,
    /** A character constant such as {@code 'a'}; its value is an int, as in C. */
    CHARACTER,
    /** A string literal, with escapes decoded in {@link Token#stringValue()} (no trailing NUL). */
    STRING,
    /** An operator or punctuator; its text is the spelling, for example {@code "<<="}. */
    PUNCTUATOR,
    /** The end of the translation unit. */
    EOF
}
