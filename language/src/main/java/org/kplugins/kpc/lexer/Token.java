// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.lexer;

import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * A token after preprocessing.
 *
 * @param kind what the token is
 * @param text the spelling as written (for a macro-expanded token, the spelling in the macro body)
 * @param location where the token was written, or the macro use it was expanded from
 * @param intValue the value of an INTEGER or CHARACTER token, as the low 64 bits; for a FLOATING
 *     token the IEEE 754 binary64 bits of its value
 * @param intSuffix for INTEGER tokens the suffix letters in lower case ("", "u", "l", "ul", "ll",
 *     "ull"); the parser picks the type from the value, the suffix and the radix. For FLOATING
 *     tokens "f" (float) or "" (double)
 * @param decimal for INTEGER tokens, whether the constant was written in decimal (C gives decimal
 *     and octal/hex constants different type lists)
 * @param stringValue the decoded bytes of a STRING token, one char per byte (0-255), without the
 *     terminating NUL; adjacent string literals are already concatenated
 * @param precededBySpace whether white space came before the token (used by the preprocessor)
 * @param atLineStart whether the token is the first on its line (used by the preprocessor)
 */
public record Token(
        TokenKind kind,
        String text,
        SourceLocation location,
        long intValue,
        String intSuffix,
        boolean decimal,
        String stringValue,
        boolean precededBySpace,
        boolean atLineStart) {

    public boolean is(String spelling) {
        return (kind == TokenKind.PUNCTUATOR || kind == TokenKind.IDENTIFIER) && text.equals(spelling);
    }

    @Override
    public String toString() {
        return kind == TokenKind.EOF ? "end of file" : "'" + text + "'";
    }
}
