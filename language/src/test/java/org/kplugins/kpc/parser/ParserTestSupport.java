// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.preprocess.IncludeResolver;
import org.kplugins.kpc.preprocess.Preprocessor;

/** Runs the real preprocessor and the parser on source text, and finds things in the result. */
final class ParserTestSupport {

    static final String FILE_NAME = "test.kpc";

    /** A parse result: the tree and every diagnostic of the run. */
    record Parsed(TranslationUnit unit, List<Diagnostic> diagnostics) {

        Function function(String name) {
            for (Function function : unit.functions()) {
                if (function.name().equals(name)) {
                    return function;
                }
            }
            throw new AssertionError("no function named " + name);
        }

        Variable global(String name) {
            for (Variable global : unit.globals()) {
                if (global.name().equals(name)) {
                    return global;
                }
            }
            throw new AssertionError("no global named " + name);
        }

        /** Diagnostics as {@code line:column: message}. */
        List<String> errors() {
            List<String> out = new ArrayList<>();
            for (Diagnostic d : diagnostics) {
                out.add(d.location().line() + ":" + d.location().column() + ": " + d.message());
            }
            return out;
        }
    }

    private ParserTestSupport() {
    }

    static Parsed parse(String source) {
        DiagnosticSink sink = new DiagnosticSink();
        SourceFile file = new SourceFile(FILE_NAME, source, null);
        List<Token> tokens = new Preprocessor(sink, IncludeResolver.NONE).preprocess(file);
        TranslationUnit unit = new Parser(tokens, file, sink).parseTranslationUnit();
        return new Parsed(unit, sink.diagnostics());
    }

    /** Parses source that must have no diagnostics. */
    static Parsed parseClean(String source) {
        Parsed parsed = parse(source);
        if (!parsed.diagnostics().isEmpty()) {
            fail("unexpected diagnostics: " + parsed.errors());
        }
        return parsed;
    }

    /**
     * Parses {@code expression} as the last statement of a function whose body starts with
     * {@code declarations}, and returns the typed expression.
     */
    static Expr expression(String declarations, String expression) {
        Parsed parsed = parseClean("#include <kernel.h>\n#include <stdint.h>\nvoid test(void) {\n" + declarations
                + "\n" + expression + ";\n}\n");
        List<Stmt> statements = parsed.function("test").body().statements();
        return ((Stmt.ExprStmt) statements.get(statements.size() - 1)).expression();
    }

    static Expr expression(String expression) {
        return expression("", expression);
    }

    /** Asserts that the source reports exactly {@code expected}, each as {@code line:column: message}. */
    static void assertErrors(String source, String... expected) {
        assertEquals(List.of(expected), parse(source).errors());
    }
}
