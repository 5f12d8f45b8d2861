// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.link;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.diagnostics.CompileException;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.parser.Parser;
import org.kplugins.kpc.preprocess.IncludeResolver;
import org.kplugins.kpc.preprocess.Preprocessor;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FunctionType;

/**
 * Parses the C declarations that hosts give for exports and hooks, with the types of
 * {@code <stdint.h>}, {@code <stddef.h>} and {@code <stdbool.h>} in scope. Results are cached by
 * text, so linking many plugins against one table parses each prototype once.
 */
public final class Prototypes {

    /** A parsed declaration: the declared name and its type. */
    public record Declaration(String name, CType type) {
    }

    private static final String PRELUDE = "#include <stdint.h>\n#include <stddef.h>\n#include <stdbool.h>\n";
    private static final int MAX_CACHED = 4096;
    private static final Map<String, Declaration> FUNCTIONS = new ConcurrentHashMap<>();
    private static final Map<String, Declaration> DATA = new ConcurrentHashMap<>();

    private Prototypes() {
    }

    /**
     * Parses a function prototype such as {@code int add(int a, int b)}.
     *
     * @throws IllegalArgumentException naming the text and the first error when it is not exactly
     *                                  one function declaration
     */
    public static Declaration function(String prototype) {
        Declaration cached = FUNCTIONS.get(prototype);
        if (cached != null) {
            return cached;
        }
        TranslationUnit unit = parse(prototype, prototype + ";");
        List<Function> functions = unit.functions();
        if (functions.size() != 1 || !unit.globals().isEmpty() || functions.get(0).isDefined()) {
            throw new IllegalArgumentException("invalid prototype '" + prototype
                            + "': expected one function declaration such as 'int add(int a, int b)'");
        }
        Function function = functions.get(0);
        return remember(FUNCTIONS, prototype, new Declaration(function.name(), function.type()));
    }

    /**
     * Parses a data declaration such as {@code const uint8_t palette[768]}.
     *
     * @throws IllegalArgumentException naming the text and the first error when it is not exactly
     *                                  one object declaration
     */
    public static Declaration data(String declaration) {
        Declaration cached = DATA.get(declaration);
        if (cached != null) {
            return cached;
        }
        TranslationUnit unit = parse(declaration, "extern " + declaration + ";");
        List<Variable> globals = unit.globals();
        if (globals.size() != 1 || !unit.functions().isEmpty() || !globals.get(0).type().isComplete()) {
            throw new IllegalArgumentException("invalid data declaration '" + declaration
                            + "': expected one object of complete type such as 'const uint8_t palette[768]'");
        }
        Variable global = globals.get(0);
        return remember(DATA, declaration, new Declaration(global.name(), global.type()));
    }

    /** Returns the prototype of {@code type} named {@code name}, as link errors show it. */
    public static String render(String name, FunctionType type) {
        return type.prototype(name);
    }

    private static TranslationUnit parse(String text, String source) {
        DiagnosticSink sink = new DiagnosticSink();
        SourceFile file = new SourceFile("<declaration>", PRELUDE + source, null);
        try {
            List<Token> tokens = new Preprocessor(sink, IncludeResolver.NONE).preprocess(file);
            sink.throwIfErrors();
            TranslationUnit unit = new Parser(tokens, file, sink).parseTranslationUnit();
            sink.throwIfErrors();
            return unit;
        } catch (CompileException e) {
            throw new IllegalArgumentException("invalid declaration '" + text + "': "
                            + e.diagnostics().get(0).message());
        }
    }

    private static Declaration remember(Map<String, Declaration> cache, String text, Declaration declaration) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(text, declaration);
        return declaration;
    }
}
