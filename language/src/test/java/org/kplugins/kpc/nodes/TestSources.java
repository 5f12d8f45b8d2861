// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.parser.Parser;
import org.kplugins.kpc.preprocess.IncludeResolver;
import org.kplugins.kpc.preprocess.Preprocessor;

/** Typed ASTs of test sources, for the tests of analyses that run before the nodes are built. */
final class TestSources {

    private TestSources() {
    }

    /** Returns the functions of {@code source}, which must compile without a diagnostic. */
    static List<Function> parse(String source) {
        DiagnosticSink sink = new DiagnosticSink();
        SourceFile file = new SourceFile("test.kpc", source, null);
        List<Token> tokens = new Preprocessor(sink, IncludeResolver.NONE).preprocess(file);
        TranslationUnit unit = new Parser(tokens, file, sink).parseTranslationUnit();
        assertEquals(List.of(), sink.diagnostics(), "diagnostics of the test source");
        return unit.functions();
    }
}
