// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import java.util.List;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;

/**
 * A macro definition.
 *
 * @param name the macro name
 * @param kind object-like, function-like, or one of the macros whose value depends on where it is used
 * @param parameters the parameter names of a function-like macro, without {@code ...}
 * @param variadic whether the parameter list ends with {@code ...}, so {@code __VA_ARGS__} takes the remaining arguments
 * @param body the replacement list as written
 * @param location the macro name in its {@code #define}, or null for a predefined macro
 */
record Macro(String name, Kind kind, List<String> parameters, boolean variadic, List<Token> body, SourceLocation location) {

    enum Kind {
        OBJECT_LIKE,
        FUNCTION_LIKE,
        /** {@code __FILE__}: the name of the file where the macro is used, as a string literal. */
        FILE,
        /** {@code __LINE__}: the line where the macro is used. */
        LINE
    }

    /** Returns the index of {@code token} in the parameter list, counting {@code __VA_ARGS__} last, or -1. */
    int parameterIndex(Token token) {
        if (kind != Kind.FUNCTION_LIKE || token.kind() != TokenKind.IDENTIFIER) {
            return -1;
        }
        if (variadic && token.text().equals("__VA_ARGS__")) {
            return parameters.size();
        }
        return parameters.indexOf(token.text());
    }

    /**
     * Returns whether {@code other} is the same definition in the sense of C11 6.10.3p2: same kind, same
     * parameters, and the same replacement list with white space in the same places.
     */
    boolean sameDefinition(Macro other) {
        if (kind != other.kind || variadic != other.variadic || !parameters.equals(other.parameters)
                || body.size() != other.body.size()) {
            return false;
        }
        for (int i = 0; i < body.size(); i++) {
            Token mine = body.get(i);
            Token theirs = other.body.get(i);
            if (!mine.text().equals(theirs.text())
                    || (i > 0 && mine.precededBySpace() != theirs.precededBySpace())) {
                return false;
            }
        }
        return true;
    }
}
