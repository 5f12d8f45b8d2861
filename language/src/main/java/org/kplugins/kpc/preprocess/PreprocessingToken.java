// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;

/**
 * A token on its way through the preprocessor, with the state that macro expansion needs.
 *
 * <p>The hide set contains the names of the macros whose expansion produced the token. A macro
 * name in its own hide set is not expanded again, which stops recursive macros as C11 6.10.3.4
 * requires.
 */
final class PreprocessingToken {
    /** The role of a token inside a macro's replacement list while it is being substituted. */
    enum Role {
        ORDINARY,
        /** Stands for an empty argument next to {@code ##} (C11 6.10.3.3). */
        PLACEMARKER,
        /** A {@code ##} operator from the macro body. */
        PASTE,
        /** A {@code ##} between a comma and {@code __VA_ARGS__}, which removes the comma when the variable arguments are empty (a GNU extension). */
        PASTE_AFTER_COMMA,
        /** The end of an isolated token list, used when expanding a macro argument or a directive line. */
        END_OF_LIST
    }

    final Token token;
    final Set<String> hideSet;
    /** The file the token was read from, or null for a token produced by macro expansion. */
    final InputFile file;
    final Role role;
    /**
     * The lexer's errors for an invalid number, such as {@code 0x} or {@code 1.5}. C allows such
     * a preprocessing number as an operand of {@code ##}, in a macro that is never used, or in
     * {@code #} stringizing, so the error is reported only if the token reaches the parser or an
     * {@code #if} expression.
     */
    final List<Diagnostic> deferredErrors;

    PreprocessingToken(Token token, Set<String> hideSet, InputFile file, Role role, List<Diagnostic> deferredErrors) {
        this.token = token;
        this.hideSet = hideSet;
        this.file = file;
        this.role = role;
        this.deferredErrors = deferredErrors;
    }

    static PreprocessingToken fromFile(Token token, InputFile file, List<Diagnostic> deferredErrors) {
        return new PreprocessingToken(token, Set.of(), file, Role.ORDINARY, deferredErrors);
    }

    static PreprocessingToken marker(Role role, SourceLocation location) {
        Token token = new Token(TokenKind.EOF, "", location, 0, "", false, null, false, false);
        return new PreprocessingToken(token, Set.of(), null, role, List.of());
    }

    TokenKind kind() {
        return token.kind();
    }

    boolean is(String spelling) {
        return role == Role.ORDINARY && token.is(spelling);
    }

    /** Returns whether this token is a {@code #} that starts a directive: first on its line, as written in a file. */
    boolean startsDirective() {
        return file != null && token.atLineStart() && token.is("#");
    }

    /** Returns a copy that is no longer tied to its file, with {@code extraHideSet} added. */
    PreprocessingToken expandedCopy(Set<String> extraHideSet) {
        return new PreprocessingToken(token, union(hideSet, extraHideSet), null, role, deferredErrors);
    }

    PreprocessingToken withToken(Token newToken) {
        return new PreprocessingToken(newToken, hideSet, file, role, deferredErrors);
    }

    // NOTE: each expansion copies the hide set of the macro use, so a chain of n macros that each
    // expand to the next costs time quadratic in n. PreprocessingLimits does not bound this, and a
    // chain of tens of thousands of macros takes many seconds.
    static Set<String> union(Set<String> a, Set<String> b) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        Set<String> result = new HashSet<>(a);
        result.addAll(b);
        return Set.copyOf(result);
    }

    static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> result = new HashSet<>(a);
        result.retainAll(b);
        return Set.copyOf(result);
    }

    /** Returns a copy of {@code token} at another location, as a macro expansion places it. */
    static Token relocate(Token token, SourceLocation location, boolean precededBySpace) {
        return new Token(
                token.kind(), token.text(), location, token.intValue(), token.intSuffix(), token.decimal(),
                token.stringValue(), precededBySpace, false);
    }

    @Override
    public String toString() {
        return role == Role.ORDINARY ? token.toString() : role.name();
    }
}
