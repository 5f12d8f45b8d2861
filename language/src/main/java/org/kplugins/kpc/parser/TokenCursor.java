// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;

/**
 * The parser's position in the token list, with the helpers that report syntax errors and skip
 * tokens to recover from them.
 */
final class TokenCursor {

    /** The C keywords, including the ones KPC rejects; none of them can name a variable. */
    static final Set<String> KEYWORDS = Set.of(
            "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
            "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
            "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
            "typedef", "union", "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
            "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert",
            "_Thread_local");

    private final List<Token> tokens;
    private final DiagnosticSink sink;
    /**
     * The diagnostics reported so far. A macro can place two copies of one faulty expression at
     * the same use, and reporting the same message at the same location twice does not help.
     */
    private final Set<Diagnostic> reported = new HashSet<>();
    /**
     * The GNU attributes removed from the token list, by the index of the token after them. Each
     * is reported when the parser reaches that token, so the errors stay in source order.
     */
    private final Map<Integer, List<Token>> attributes = new HashMap<>();
    private int position;

    TokenCursor(List<Token> input, SourceFile mainFile, DiagnosticSink sink) {
        this.sink = sink;
        List<Token> copy = new ArrayList<>(input);
        if (copy.isEmpty() || copy.get(copy.size() - 1).kind() != TokenKind.EOF) {
            // The parser relies on a final EOF token, so add one when the input lacks it.
            SourceLocation end = copy.isEmpty()
                    ? new SourceLocation(mainFile, 1, 1, 0, 0)
                    : copy.get(copy.size() - 1).location();
            copy.add(new Token(TokenKind.EOF, "", end, 0, "", false, null, false, true));
        }
        this.tokens = removeAttributes(copy);
    }

    /**
     * Returns {@code input} without its GNU attributes: each {@code __attribute__} (or
     * {@code __attribute}) and the parenthesized tokens after it. KPC does not support them, and
     * leaving them in gives a cascade of syntax errors, so each one gets a single error instead.
     */
    private List<Token> removeAttributes(List<Token> input) {
        List<Token> output = new ArrayList<>(input.size());
        int i = 0;
        while (i < input.size()) {
            Token token = input.get(i);
            if (token.kind() != TokenKind.IDENTIFIER
                    || !token.text().equals("__attribute__") && !token.text().equals("__attribute")) {
                output.add(token);
                i++;
                continue;
            }
            int end = i + 1;
            if (input.get(end).is("(")) {
                int depth = 0;
                // The final EOF token ends an attribute whose parentheses are not closed.
                while (input.get(end).kind() != TokenKind.EOF) {
                    Token inside = input.get(end++);
                    if (inside.is("(")) {
                        depth++;
                    } else if (inside.is(")") && --depth == 0) {
                        break;
                    }
                }
            }
            attributes.computeIfAbsent(output.size(), index -> new ArrayList<>()).add(token);
            i = end;
        }
        return output;
    }

    /** Reports the attributes removed before the token at {@code index}. */
    private void reportAttributesBefore(int index) {
        List<Token> removed = attributes.remove(index);
        if (removed == null) {
            return;
        }
        for (Token attribute : removed) {
            report(Diagnostic.Kind.SYNTAX, attribute.location(), "'" + attribute.text()
                    + "' is not supported in KPC; remove the attribute");
        }
    }

    Token peek() {
        reportAttributesBefore(position);
        return tokens.get(position);
    }

    /** Returns the token {@code ahead} places after the current one, or EOF past the end. */
    Token peek(int ahead) {
        return tokens.get(Math.min(position + ahead, tokens.size() - 1));
    }

    /** Returns the token before the current one: the last one consumed. */
    Token previous() {
        return tokens.get(Math.max(position - 1, 0));
    }

    Token next() {
        reportAttributesBefore(position);
        Token token = tokens.get(position);
        if (token.kind() != TokenKind.EOF) {
            position++;
        }
        return token;
    }

    int position() {
        return position;
    }

    void reset(int savedPosition) {
        position = savedPosition;
    }

    boolean at(String spelling) {
        return peek().is(spelling);
    }

    boolean atEof() {
        return peek().kind() == TokenKind.EOF;
    }

    /** Consumes the current token if it is {@code spelling}. */
    boolean accept(String spelling) {
        if (at(spelling)) {
            next();
            return true;
        }
        return false;
    }

    /**
     * Consumes {@code spelling} or reports "expected 'spelling' {@code context}" at the current
     * token and throws {@link ParseError}. {@code context} may be empty.
     */
    Token expect(String spelling, String context) {
        if (at(spelling)) {
            return next();
        }
        String message = "expected '" + spelling + "'" + (context.isEmpty() ? "" : " " + context);
        if (spelling.equals(";") && position > 0) {
            // As in clang, a missing ';' is reported just after the token it should follow,
            // which is where the user types it, not at the next token (often on the next line).
            report(Diagnostic.Kind.SYNTAX, endOf(tokens.get(position - 1)), message);
            throw new ParseError();
        }
        throw syntaxError(peek(), message);
    }

    /** Returns the location just after {@code token}, for a caret where a token is missing. */
    private static SourceLocation endOf(Token token) {
        SourceLocation at = token.location();
        return new SourceLocation(at.file(), at.line(), at.column() + token.text().length(),
                at.offset() + token.text().length(), 0);
    }

    /** Consumes the closing bracket matching {@code open}, or reports the open bracket's position. */
    Token expectClosing(String closing, Token open) {
        if (at(closing)) {
            return next();
        }
        throw syntaxError(peek(), "expected '" + closing + "' to match this '" + open.text() + "' at "
                + open.location().prefix());
    }

    /** Returns whether {@code token} is an identifier that is not a keyword. */
    static boolean isName(Token token) {
        return token.kind() == TokenKind.IDENTIFIER && !KEYWORDS.contains(token.text());
    }

    /** Reports a syntax error at {@code token} and returns the exception that unwinds to recovery. */
    ParseError syntaxError(Token token, String message) {
        report(Diagnostic.Kind.SYNTAX, token.location(), message);
        return new ParseError();
    }

    /** Reports a diagnostic unless one with the same kind, location and message was reported before. */
    void report(Diagnostic.Kind kind, SourceLocation location, String message) {
        if (reported.add(new Diagnostic(kind, location, message))) {
            sink.report(kind, location, message);
        }
    }

    /**
     * Skips tokens after a syntax error inside a block: up to and including the next ';' that is
     * not inside brackets, or up to (not including) a '}' that closes the enclosing block. A
     * bracketed block opened and closed during the skip ends it as well, so that
     * {@code if (a b) { ... }} is skipped as a whole. The skip goes on past an {@code else} after
     * the ';' or '}', because no statement starts with {@code else}, so a long {@code else if}
     * chain is skipped to its end.
     */
    void skipStatement() {
        int start = position;
        int depth = 0;
        while (!atEof()) {
            Token token = peek();
            if (depth == 0 && token.is(";")) {
                next();
                if (at("else")) {
                    continue;
                }
                return;
            }
            if (token.is("(") || token.is("[") || token.is("{")) {
                depth++;
            } else if (token.is(")") || token.is("]")) {
                depth = Math.max(0, depth - 1);
            } else if (token.is("}")) {
                if (depth == 0) {
                    break;
                }
                depth--;
                if (depth == 0) {
                    next();
                    if (!at(";") && !at("else") && !at("while")) {
                        return;
                    }
                    continue;
                }
            }
            next();
        }
        if (position == start && !atEof() && !at("}")) {
            next();
        }
    }

    /** Skips tokens after a syntax error at file scope; a stray '}' is consumed there. */
    void skipExternalDeclaration() {
        int start = position;
        skipStatement();
        if (position == start && at("}")) {
            next();
        }
    }

    /** Skips to the '}' that closes the list whose '{' is already consumed, and consumes it. */
    void skipToClosingBrace() {
        int depth = 0;
        while (!atEof()) {
            Token token = next();
            if (token.is("{")) {
                depth++;
            } else if (token.is("}")) {
                if (depth == 0) {
                    return;
                }
                depth--;
            }
        }
    }
}
