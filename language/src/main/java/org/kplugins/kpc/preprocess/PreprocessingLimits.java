// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import java.util.function.Supplier;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * Bounds the work of preprocessing one translation unit, so that a small plugin cannot make the
 * compiler run for minutes or exhaust memory. Without a bound, each of these grows exponentially
 * with the size of the file:
 *
 * <ul>
 *   <li>macros whose replacement lists use the previous macro twice ({@code #define A1 A0 A0});
 *   <li>a header that includes itself twice, up to {@link Preprocessor#MAX_INCLUDE_DEPTH} deep;
 *   <li>{@code #} and {@code ##} applied to their own results, which doubles a token's text at
 *       each level.
 * </ul>
 *
 * <p>The first limit reached is reported once, as a {@link Diagnostic.Kind#PREPROCESSOR} error,
 * and the preprocessor then stops.
 */
final class PreprocessingLimits {
    /**
     * The maximum number of tokens that macro expansion and {@code #include} may add to one
     * translation unit. Each lexical error of an included file counts as a token too, because it
     * is reported again at each inclusion. The tokens of the main file do not count.
     */
    static final long MAX_TOKENS = 1_000_000;
    /** The maximum total length, in characters, of the tokens that {@code #} and {@code ##} create in one translation unit. */
    static final long MAX_CREATED_CHARACTERS = 16L << 20;

    private final DiagnosticSink sink;
    private long tokens;
    private long createdCharacters;
    private boolean exceeded;

    PreprocessingLimits(DiagnosticSink sink) {
        this.sink = sink;
    }

    /** Returns whether a limit has been exceeded, after which the preprocessor produces nothing more. */
    boolean exceeded() {
        return exceeded;
    }

    /**
     * Adds {@code count} tokens to the total. Returns false, and reports the first time, when the
     * total passes {@link #MAX_TOKENS}.
     *
     * @param cause what adds the tokens, such as {@code macro expansion of 'A30'}; built only for the report
     */
    boolean spendTokens(long count, SourceLocation location, Supplier<String> cause) {
        tokens += count;
        if (tokens <= MAX_TOKENS && !exceeded) {
            return true;
        }
        reportOnce(location, cause.get() + " exceeds the preprocessor's limit of " + MAX_TOKENS
                + " tokens per translation unit");
        return false;
    }

    /**
     * Adds {@code count} characters created by {@code #} or {@code ##} to the total. Returns false,
     * and reports the first time, when the total passes {@link #MAX_CREATED_CHARACTERS}.
     */
    boolean spendCreatedCharacters(long count, SourceLocation location, Supplier<String> cause) {
        createdCharacters += count;
        if (createdCharacters <= MAX_CREATED_CHARACTERS && !exceeded) {
            return true;
        }
        reportOnce(location, cause.get() + " exceeds the preprocessor's limit of " + MAX_CREATED_CHARACTERS
                + " characters created by '#' and '##' per translation unit");
        return false;
    }

    private void reportOnce(SourceLocation location, String message) {
        if (!exceeded) {
            exceeded = true;
            sink.report(Diagnostic.Kind.PREPROCESSOR, location, message);
        }
    }
}
