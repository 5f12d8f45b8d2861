// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.lexer.TokenKind;

/**
 * The tokens the preprocessor has yet to read. An {@code #include} or a macro expansion pushes its
 * tokens in front of the rest. Each file's tokens end with that file's EOF token, so the
 * preprocessor detects where an included file ends.
 */
final class TokenInput {
    private final DiagnosticSink sink;
    private ArrayDeque<PreprocessingToken> tokens = new ArrayDeque<>();
    /** Whether tokens are being read inside a group that {@code #if} skips. */
    private boolean skipping;

    TokenInput(DiagnosticSink sink) {
        this.sink = sink;
    }

    /** Removes and returns the next token, and releases the lexical errors that came before it. */
    PreprocessingToken next() {
        PreprocessingToken token = tokens.removeFirst();
        if (token.file != null) {
            int end = token.kind() == TokenKind.EOF
                    ? Integer.MAX_VALUE
                    : token.token.location().offset() + token.token.location().length();
            token.file.releaseErrors(end, !skipping, sink);
        }
        return token;
    }

    PreprocessingToken peek() {
        return tokens.peekFirst();
    }

    /** Returns the last token, which the preprocessor reads after all the others. */
    PreprocessingToken peekLast() {
        return tokens.peekLast();
    }

    /** Returns the token after the next one, or null. */
    PreprocessingToken peekSecond() {
        Iterator<PreprocessingToken> iterator = tokens.iterator();
        iterator.next();
        return iterator.hasNext() ? iterator.next() : null;
    }

    void pushFront(List<PreprocessingToken> front) {
        for (int i = front.size() - 1; i >= 0; i--) {
            tokens.addFirst(front.get(i));
        }
    }

    void setSkipping(boolean skipping) {
        this.skipping = skipping;
    }

    /** Replaces the pending tokens with {@code replacement} and returns the ones replaced. */
    ArrayDeque<PreprocessingToken> swap(ArrayDeque<PreprocessingToken> replacement) {
        ArrayDeque<PreprocessingToken> previous = tokens;
        tokens = replacement;
        return previous;
    }
}
