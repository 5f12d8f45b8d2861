// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import java.util.ArrayList;
import java.util.List;

import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FunctionType;

/**
 * Parses and type-checks a preprocessed KPC translation unit into the typed tree of
 * {@link org.kplugins.kpc.ast}.
 *
 * <p>How it works: a hand-written recursive-descent parser with one method per C grammar rule.
 * Types are checked as each node is built, the way chibicc does it, so every node is typed when it
 * is created and each implicit conversion becomes an explicit Cast or Decay node. Names resolve
 * through a chain of {@link Scope}s; a typedef name is recognized by looking it up, which is how C
 * distinguishes {@code T * x;} (a declaration) from a multiplication.
 *
 * <p>The work is split by concept. This class handles external declarations (globals, function
 * prototypes and definitions) and owns the parser state. {@link DeclarationParser} reads
 * declaration specifiers, declarators, structs and enums; {@link StatementParser} reads statements
 * and local declarations; {@link ExpressionParser} reads expressions and applies {@link TypeRules};
 * {@link InitializerParser} flattens initializers into {@link org.kplugins.kpc.ast.InitItem}s;
 * {@link ConstantEvaluator} folds constant expressions.
 *
 * <p>Errors go to the {@link DiagnosticSink} and parsing goes on. A type error reports and yields
 * a placeholder expression. A syntax error reports and throws {@link ParseError}, which the
 * nearest statement or external declaration catches before skipping to the next ';' or '}'. No
 * exception escapes {@link #parseTranslationUnit()}. Nesting of expressions, statements,
 * declarators and initializers is limited to {@link #MAX_NESTING} levels, so hostile input cannot
 * overflow the Java stack.
 */
public final class Parser {

    /** The deepest nesting the parser accepts; also bounds the depth of the trees it builds. */
    public static final int MAX_NESTING = 256;

    final TokenCursor tokens;
    final TypeRules rules;
    final DeclarationParser declarations;
    final ExpressionParser expressions;
    final StatementParser statements;
    final InitializerParser initializers;

    private final SourceFile mainFile;
    private final Scope fileScope = new Scope(null);
    private final List<Variable> globals = new ArrayList<>();
    private final List<Function> functions = new ArrayList<>();

    /** The innermost scope. */
    Scope scope = fileScope;
    /** The function whose body is being parsed, or null at file scope. */
    Function currentFunction;
    /** The named parameters of {@link #currentFunction}, in order. */
    List<Variable> currentParameters = List.of();
    private int nesting;

    public Parser(List<Token> tokens, SourceFile mainFile, DiagnosticSink sink) {
        this.mainFile = mainFile;
        this.tokens = new TokenCursor(tokens, mainFile, sink);
        this.rules = new TypeRules(this.tokens, new SourceLocation(mainFile, 1, 1, 0, 0));
        this.declarations = new DeclarationParser(this);
        this.expressions = new ExpressionParser(this);
        this.statements = new StatementParser(this);
        this.initializers = new InitializerParser(this);
    }

    /**
     * Parses the whole token list. Returns the tree even when errors were reported; the caller
     * checks the sink.
     */
    public TranslationUnit parseTranslationUnit() {
        while (!tokens.atEof()) {
            int start = tokens.position();
            try {
                parseExternalDeclaration();
            } catch (ParseError e) {
                if (e.nestingTooDeep) {
                    tokens.reset(start);
                }
                tokens.skipExternalDeclaration();
                scope = fileScope;
                currentFunction = null;
                nesting = 0;
            }
        }
        completeTentativeDefinitions();
        return new TranslationUnit(mainFile, List.copyOf(globals), List.copyOf(functions));
    }

    // Parser state shared by the parts.

    /**
     * Enters one more level of nesting, or reports "nesting too deep" and unwinds to the
     * outermost recovery point (see {@link ParseError#nestingTooDeep}).
     */
    void enterNesting(Token at) {
        if (nesting >= MAX_NESTING) {
            tokens.report(Diagnostic.Kind.SYNTAX, at.location(), "nesting too deep: KPC allows at most " + MAX_NESTING
                    + " nested expressions, statements, declarators and initializers");
            throw new ParseError(true);
        }
        nesting++;
    }

    /** Returns whether the parser is inside a counted nesting level, so it is not at an outermost recovery point. */
    boolean isNested() {
        return nesting > 0;
    }

    void exitNesting() {
        nesting--;
    }

    void exitNesting(int levels) {
        nesting -= levels;
    }

    void pushScope() {
        scope = new Scope(scope);
    }

    void popScope() {
        scope = scope.parent();
    }

    boolean atFileScope() {
        return scope == fileScope;
    }

    void typeError(SourceLocation location, String message) {
        tokens.report(Diagnostic.Kind.TYPE, location, message);
    }

    // External declarations.

    /** external-declaration: function-definition | declaration. */
    private void parseExternalDeclaration() {
        Token first = tokens.peek();
        if (tokens.accept(";")) {
            return;
        }
        if (first.is("}")) {
            tokens.next();
            throw tokens.syntaxError(first, "extraneous closing brace ('}')");
        }
        if (first.is("_Static_assert")) {
            declarations.parseStaticAssert();
            return;
        }
        if (!declarations.isDeclarationStart(first)) {
            throw tokens.syntaxError(first, "expected identifier or '('");
        }

        DeclarationParser.Specifiers specifiers = declarations.parseDeclarationSpecifiers(true);
        if (tokens.accept(";")) {
            return;
        }
        DeclarationParser.Declarator declarator = declarations.parseDeclarator(specifiers.type(),
                DeclarationParser.DeclaratorKind.NAMED);
        if (declarator.type() instanceof FunctionType && tokens.at("{")) {
            parseFunctionDefinition(specifiers, declarator);
            return;
        }

        while (true) {
            declareAtFileScope(specifiers, declarator);
            if (!tokens.accept(",")) {
                break;
            }
            declarator = declarations.parseDeclarator(specifiers.type(), DeclarationParser.DeclaratorKind.NAMED);
        }
        if (declarator.type() instanceof FunctionType && !tokens.at(";")) {
            throw tokens.syntaxError(tokens.peek(), "expected function body after function declarator");
        }
        tokens.expect(";", "at end of declaration");
    }

    private void declareAtFileScope(DeclarationParser.Specifiers specifiers, DeclarationParser.Declarator declarator) {
        if (specifiers.storage() == DeclarationParser.StorageClass.TYPEDEF) {
            declarations.declareTypedef(declarator);
            rejectInitializer(declarator);
        } else if (declarator.type() instanceof FunctionType functionType) {
            declareFunction(declarator.name(), functionType, specifiers.storage(), declarator.location());
            rejectInitializer(declarator);
        } else {
            declareGlobal(specifiers.storage(), declarator);
        }
    }

    private void rejectInitializer(DeclarationParser.Declarator declarator) {
        if (tokens.at("=")) {
            Token equals = tokens.next();
            typeError(equals.location(), "illegal initializer (only variables can be initialized)");
            expressions.parseAssignment();
        }
    }

    /**
     * Declares a function, or checks a redeclaration against the earlier one. Returns the one
     * {@link Function} object for the name.
     */
    Function declareFunction(String name, FunctionType type, DeclarationParser.StorageClass storage,
            SourceLocation location) {
        Object existing = fileScope.lookupLocal(name);
        if (existing instanceof Function function) {
            if (!function.type().sameAs(type)) {
                typeError(location, "conflicting types for '" + name + "' (previous declaration at "
                        + function.location().prefix() + ")");
            } else if (storage == DeclarationParser.StorageClass.STATIC && !function.isStatic()) {
                typeError(location, "static declaration of '" + name + "' follows non-static declaration (at "
                        + function.location().prefix() + ")");
            }
            return function;
        }
        Function function = new Function(name, type, storage == DeclarationParser.StorageClass.STATIC, location);
        if (existing != null) {
            typeError(location, "redefinition of '" + name + "' as different kind of symbol");
            return function;
        }
        fileScope.declare(name, function);
        functions.add(function);
        return function;
    }

    /** Declares or defines a file-scope variable, and parses its initializer. */
    private void declareGlobal(DeclarationParser.StorageClass storage, DeclarationParser.Declarator declarator) {
        Variable variable = declareGlobalName(storage, declarator);
        if (storage != DeclarationParser.StorageClass.EXTERN) {
            variable.markDefined();
        }
        if (!tokens.at("=")) {
            return;
        }
        tokens.next();
        if (variable.initializer() != null) {
            typeError(declarator.location(), "redefinition of '" + declarator.name() + "' (previous definition at "
                    + variable.location().prefix() + ")");
        }
        // An extern declaration with an initializer is a definition, as in C.
        variable.setInitializer(initializers.parseInitializer(variable, declarator.type(), true));
        variable.markDefined();
    }

    /**
     * Finds or creates the {@link Variable} for a file-scope name, checking a redeclaration
     * against the earlier declaration. Block-scope {@code extern} declarations use it too.
     */
    Variable declareGlobalName(DeclarationParser.StorageClass storage, DeclarationParser.Declarator declarator) {
        String name = declarator.name();
        CType type = declarator.type();
        SourceLocation location = declarator.location();
        if (type.isVoid()) {
            typeError(location, "variable has incomplete type 'void'");
        }

        boolean isStatic = storage == DeclarationParser.StorageClass.STATIC;
        Object existing = fileScope.lookupLocal(name);
        if (existing instanceof Variable old) {
            if (!old.type().sameAs(type)) {
                typeError(location, "redefinition of '" + name + "' with a different type: '" + type.spelling()
                        + "' vs '" + old.type().spelling() + "' (previous declaration at " + old.location().prefix() + ")");
            } else if (old.type() instanceof ArrayType oldArray && oldArray.length() < 0
                    && type instanceof ArrayType newArray && newArray.length() >= 0) {
                old.setType(type);
            }
            if (isStatic && !old.isStatic()) {
                typeError(location, "static declaration of '" + name + "' follows non-static declaration (at "
                        + old.location().prefix() + ")");
            } else if (storage == DeclarationParser.StorageClass.NONE && old.isStatic()) {
                typeError(location, "non-static declaration of '" + name + "' follows static declaration (at "
                        + old.location().prefix() + ")");
            }
            return old;
        }

        Variable variable = new Variable(name, type, Variable.Storage.GLOBAL, isStatic, location);
        if (existing != null) {
            typeError(location, "redefinition of '" + name + "' as different kind of symbol");
            return variable;
        }
        fileScope.declare(name, variable);
        globals.add(variable);
        return variable;
    }

    /**
     * Creates the variable of a block-scope {@code static} declaration. It is listed with the
     * globals, which gives it a place in the plugin's static data, but no file-scope name.
     */
    Variable declareStaticLocal(String name, CType type, SourceLocation location) {
        Variable variable = new Variable(name, type, Variable.Storage.GLOBAL, true, location);
        variable.markDefined();
        globals.add(variable);
        return variable;
    }

    /** function-definition: declaration-specifiers declarator compound-statement. */
    private void parseFunctionDefinition(DeclarationParser.Specifiers specifiers, DeclarationParser.Declarator declarator) {
        FunctionType type = (FunctionType) declarator.type();
        if (specifiers.storage() == DeclarationParser.StorageClass.TYPEDEF) {
            typeError(declarator.location(), "function definition declared 'typedef'");
        }
        Function function = declareFunction(declarator.name(), type, specifiers.storage(), declarator.location());
        if (function.isDefined()) {
            typeError(declarator.location(), "redefinition of '" + declarator.name() + "' (previous definition at "
                    + function.location().prefix() + ")");
            // Parse the body into a separate object so the first definition stays intact.
            function = new Function(declarator.name(), type, function.isStatic(), declarator.location());
        }
        currentFunction = function;
        pushScope();
        try {
            List<Variable> parameters = new ArrayList<>();
            for (DeclarationParser.Parameter parameter : declarator.parameters()) {
                if (parameter.name() == null) {
                    typeError(parameter.location(), "parameter name omitted");
                    continue;
                }
                Variable variable = new Variable(parameter.name(), parameter.type(), Variable.Storage.PARAMETER, false,
                        parameter.location());
                if (scope.lookupLocal(parameter.name()) != null) {
                    typeError(parameter.location(), "redefinition of parameter '" + parameter.name() + "'");
                }
                scope.declare(parameter.name(), variable);
                parameters.add(variable);
            }
            currentParameters = parameters;
            Stmt.Block body = statements.parseFunctionBody();
            function.define(parameters, body);
            function.setLocation(declarator.location());
        } finally {
            popScope();
            currentFunction = null;
            currentParameters = List.of();
        }
    }

    /**
     * Applies C's rule for tentative definitions at the end of the unit: an array defined without
     * a size gets one element, and a variable whose struct type was never completed is an error.
     */
    private void completeTentativeDefinitions() {
        for (Variable global : globals) {
            if (!global.isDefined()) {
                continue;
            }
            if (global.type() instanceof ArrayType array && array.length() < 0) {
                global.setType(new ArrayType(array.element(), 1));
            } else if (!global.type().isComplete() && !global.type().isVoid()) {
                typeError(global.location(), "tentative definition has type '" + global.type().spelling()
                        + "' that is never completed");
            }
        }
    }
}
