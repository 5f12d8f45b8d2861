// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import java.util.List;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;

/**
 * One file being read: the main file, a header it includes, or the predefined macros.
 *
 * <p>The lexer's errors for the file are held back and released as the preprocessor reads past
 * them. This way an error inside a group skipped by {@code #if} is dropped, as C requires: skipped
 * text such as {@code don't} must not stop the compile. Errors for invalid numbers travel with
 * their tokens instead (see {@link PreprocessingToken#deferredErrors}).
 */
final class InputFile {
    final SourceFile source;
    /** The number of nested {@code #include} directives that led to this file, which is 0 for the main file. */
    final int depth;

    private final List<Diagnostic> lexicalErrors;
    private int released;

    InputFile(SourceFile source, int depth, List<Diagnostic> lexicalErrors) {
        this.source = source;
        this.depth = depth;
        this.lexicalErrors = List.copyOf(lexicalErrors);
    }

    /**
     * Releases the held-back lexical errors that start before {@code endOffset}: reports them to
     * {@code sink} if {@code report} is true, or drops them when they lie in a skipped group.
     */
    void releaseErrors(int endOffset, boolean report, DiagnosticSink sink) {
        while (released < lexicalErrors.size() && lexicalErrors.get(released).location().offset() < endOffset) {
            Diagnostic error = lexicalErrors.get(released++);
            if (report) {
                sink.report(error.kind(), error.location(), error.message());
            }
        }
    }
}
