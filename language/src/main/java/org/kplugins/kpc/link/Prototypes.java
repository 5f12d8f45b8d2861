// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.link;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
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
 * {@code <stdint.h>} and {@code <stddef.h>} in scope as in {@code <kernel.h>}. A declaration is one
 * line with one declarator: no storage class, initializer, body, directive or second declaration,
 * because its text is copied into {@code <kernel.h>}. Results are cached by text, so linking many
 * plugins against one table parses each prototype once.
 */
public final class Prototypes {

    /** A parsed declaration: the declared name and its type. */
    public record Declaration(String name, CType type) {
    }

    /** The headers {@code <kernel.h>} includes, so a declaration parses here exactly when it parses there. */
    private static final String PRELUDE = "#include <stdint.h>\n#include <stddef.h>\n";
    /** Text that would add declarations or directives to {@code <kernel.h>} beyond the one declared. */
    private static final Pattern FORBIDDEN = Pattern.compile("[;#{}=\\\\\\r\\n]|\\b(typedef|static|extern|inline|_Static_assert)\\b");
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
        if (text.isBlank() || FORBIDDEN.matcher(text).find()) {
            throw new IllegalArgumentException("invalid declaration '" + text + "': expected a single declaration on one"
                            + " line, without ';', '#', braces, '=', a storage class or a typedef");
        }
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
