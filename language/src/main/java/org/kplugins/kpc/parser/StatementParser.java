// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.IntegerType;

/**
 * Parses statements and block-scope declarations inside a function body. A syntax error inside
 * a block skips to the end of the statement, so the rest of the block is still checked.
 */
final class StatementParser {

    /** The switch whose body block is being parsed: the cases seen so far. */
    private static final class SwitchState {
        final IntegerType selectorType;
        final List<Stmt.SwitchCase> cases = new ArrayList<>();
        final Map<Long, SourceLocation> values = new HashMap<>();
        int defaultIndex = -1;

        SwitchState(IntegerType selectorType) {
            this.selectorType = selectorType;
        }
    }

    private final Parser parser;
    private final TokenCursor tokens;
    private int loopDepth;
    private int switchDepth;
    private boolean reportedEndOfFile;
    /** The labels of the function being parsed, by name; labels have function scope. */
    private final Map<String, Stmt.Label> labels = new HashMap<>();
    /** The goto statements of the function being parsed, checked against {@link #labels} at its end. */
    private final List<Stmt.Goto> gotos = new ArrayList<>();

    StatementParser(Parser parser) {
        this.parser = parser;
        this.tokens = parser.tokens;
    }

    /** The body of a function definition: a compound statement in the parameters' scope. */
    Stmt.Block parseFunctionBody() {
        loopDepth = 0;
        switchDepth = 0;
        labels.clear();
        gotos.clear();
        Token open = tokens.expect("{", "");
        Stmt.Block body = braced(open, parseBlockItems(open, null));
        for (Stmt.Goto jump : gotos) {
            if (!labels.containsKey(jump.label())) {
                parser.typeError(jump.location(), "use of undeclared label '" + jump.label() + "'");
            }
        }
        return body;
    }

    /** compound-statement: { block-item* }, a new scope. */
    private Stmt.Block parseCompoundStatement() {
        Token open = tokens.next();
        parser.pushScope();
        try {
            return braced(open, parseBlockItems(open, null));
        } finally {
            parser.popScope();
        }
    }

    /**
     * Returns the block of {@code statements} read from {@code open} up to the '}' just consumed.
     * Its location spans both braces, so tools see where the block's scope ends.
     */
    private Stmt.Block braced(Token open, List<Stmt> statements) {
        return new Stmt.Block(statements, open.location().to(tokens.previous().location()));
    }

    /**
     * Reads block items up to the '}' matching {@code open} and consumes it. Inside a switch body
     * {@code switchState} is set, and case and default labels are recorded by statement index.
     */
    private List<Stmt> parseBlockItems(Token open, SwitchState switchState) {
        List<Stmt> statements = new ArrayList<>();
        while (!tokens.at("}")) {
            if (tokens.atEof()) {
                if (!reportedEndOfFile) {
                    reportedEndOfFile = true;
                    tokens.syntaxError(tokens.peek(), "expected '}' to match this '{' at " + open.location().prefix());
                }
                return statements;
            }
            int start = tokens.position();
            try {
                parseBlockItem(statements, switchState);
            } catch (ParseError e) {
                if (e.nestingTooDeep) {
                    if (parser.isNested()) {
                        throw e;
                    }
                    // This is a block item of the function body: skip all of it.
                    tokens.reset(start);
                }
                tokens.skipStatement();
            }
        }
        tokens.next();
        return statements;
    }

    /**
     * block-item: a declaration, a statement, a label, or (directly in a switch body) a case or
     * default label. Returns whether the item was a label, so the statement it labels follows.
     */
    private boolean parseBlockItem(List<Stmt> statements, SwitchState switchState) {
        Token first = tokens.peek();
        if (switchState != null && (first.is("case") || first.is("default"))) {
            parseSwitchLabel(statements.size(), switchState);
            return true;
        }
        if (isLabel(first)) {
            statements.add(parseLabel());
            return true;
        }
        if (first.is("_Static_assert")) {
            parser.declarations.parseStaticAssert();
            return false;
        }
        if (parser.declarations.isDeclarationStart(first)) {
            parseLocalDeclaration(statements);
            return false;
        }
        statements.add(parseStatement());
        return false;
    }

    /** statement: every C statement. */
    Stmt parseStatement() {
        Token first = tokens.peek();
        parser.enterNesting(first);
        try {
            if (first.is("{")) {
                return parseCompoundStatement();
            }
            if (first.is(";")) {
                tokens.next();
                return new Stmt.Empty(first.location());
            }
            switch (first.kind() == org.kplugins.kpc.lexer.TokenKind.IDENTIFIER ? first.text() : "") {
                case "if":
                    return parseIfStatement();
                case "while":
                    return parseWhileStatement();
                case "do":
                    return parseDoStatement();
                case "for":
                    return parseForStatement();
                case "switch":
                    return parseSwitchStatement();
                case "case":
                case "default":
                    return parseMisplacedLabel();
                case "break":
                    return parseBreakStatement();
                case "continue":
                    return parseContinueStatement();
                case "return":
                    return parseReturnStatement();
                case "goto":
                    return parseGotoStatement();
                default:
                    break;
            }
            if (isLabel(first)) {
                Stmt.Label label = parseLabel();
                Stmt statement = parseStatement();
                return new Stmt.Block(List.of(label, statement), first.location().to(tokens.previous().location()));
            }
            Expr expression = parser.expressions.parseExpression();
            tokens.expect(";", "after expression");
            return new Stmt.ExprStmt(expression, first.location());
        } finally {
            parser.exitNesting();
        }
    }

    /** Parses the controlling expression of if, while, do and for, which must be a scalar. */
    private Expr parseCondition() {
        Expr condition = TypeRules.toValue(parser.expressions.parseExpression());
        if (!condition.type().isScalar()) {
            parser.typeError(condition.location(), "statement requires expression of scalar type ('"
                    + condition.type().spelling() + "' invalid)");
            return parser.rules.errorValue(condition.location());
        }
        return condition;
    }

    private Stmt parseIfStatement() {
        Token keyword = tokens.next();
        Token open = tokens.expect("(", "after 'if'");
        Expr condition = parseCondition();
        tokens.expectClosing(")", open);
        Stmt thenBranch = parseStatement();
        Stmt elseBranch = tokens.accept("else") ? parseStatement() : null;
        return new Stmt.If(condition, thenBranch, elseBranch, keyword.location());
    }

    private Stmt parseWhileStatement() {
        Token keyword = tokens.next();
        Token open = tokens.expect("(", "after 'while'");
        Expr condition = parseCondition();
        tokens.expectClosing(")", open);
        Stmt body = parseLoopBody();
        return new Stmt.While(condition, body, keyword.location());
    }

    private Stmt parseDoStatement() {
        Token keyword = tokens.next();
        Stmt body = parseLoopBody();
        tokens.expect("while", "in do/while loop");
        Token open = tokens.expect("(", "after 'while'");
        Expr condition = parseCondition();
        tokens.expectClosing(")", open);
        tokens.expect(";", "after do/while statement");
        return new Stmt.DoWhile(body, condition, keyword.location());
    }

    private Stmt parseLoopBody() {
        loopDepth++;
        try {
            return parseStatement();
        } finally {
            loopDepth--;
        }
    }

    /** for ( init ; condition ; step ) body, where init may declare variables scoped to the loop. */
    private Stmt parseForStatement() {
        Token keyword = tokens.next();
        Token open = tokens.expect("(", "after 'for'");
        parser.pushScope();
        try {
            Stmt init = null;
            if (parser.declarations.isDeclarationStart(tokens.peek())) {
                List<Stmt> declarations = new ArrayList<>();
                Token first = tokens.peek();
                parseLocalDeclaration(declarations);
                init = declarations.size() == 1 ? declarations.get(0) : new Stmt.Block(declarations, first.location());
            } else if (!tokens.at(";")) {
                Token first = tokens.peek();
                Expr expression = parser.expressions.parseExpression();
                tokens.expect(";", "in 'for' statement specifier");
                init = new Stmt.ExprStmt(expression, first.location());
            } else {
                tokens.next();
            }
            Expr condition = tokens.at(";") ? null : parseCondition();
            tokens.expect(";", "in 'for' statement specifier");
            Expr step = tokens.at(")") ? null : parser.expressions.parseExpression();
            tokens.expectClosing(")", open);
            Stmt body = parseLoopBody();
            return new Stmt.For(init, condition, step, body, keyword.location());
        } finally {
            parser.popScope();
        }
    }

    /**
     * switch ( selector ) body. The selector is promoted; case values are converted to its type.
     * KPC requires every label to sit directly in the body block.
     */
    private Stmt parseSwitchStatement() {
        Token keyword = tokens.next();
        Token open = tokens.expect("(", "after 'switch'");
        Expr selector = TypeRules.toValue(parser.expressions.parseExpression());
        tokens.expectClosing(")", open);
        IntegerType selectorType = IntegerType.INT;
        if (selector.type() instanceof IntegerType integer) {
            selector = TypeRules.promote(selector);
            selectorType = TypeRules.promotedType(integer);
        } else {
            parser.typeError(selector.location(), "statement requires expression of integer type ('"
                    + selector.type().spelling() + "' invalid)");
            selector = parser.rules.errorValue(selector.location());
        }
        SwitchState state = new SwitchState(selectorType);
        switchDepth++;
        Stmt.Block body;
        try {
            if (tokens.at("{")) {
                Token bodyOpen = tokens.next();
                parser.pushScope();
                try {
                    body = braced(bodyOpen, parseBlockItems(bodyOpen, state));
                } finally {
                    parser.popScope();
                }
            } else {
                // A body without braces is a block of one statement; labels before it belong to it.
                Token first = tokens.peek();
                List<Stmt> statements = new ArrayList<>();
                parser.pushScope();
                try {
                    while (parseBlockItem(statements, state)) {
                        // Read the statement that the label marks.
                    }
                } finally {
                    parser.popScope();
                }
                body = new Stmt.Block(statements, first.location());
            }
        } finally {
            switchDepth--;
        }
        return new Stmt.Switch(selector, body, List.copyOf(state.cases), state.defaultIndex, keyword.location());
    }

    /** case constant-expression : or default : directly in a switch body. */
    private void parseSwitchLabel(int statementIndex, SwitchState state) {
        Token keyword = tokens.next();
        if (keyword.is("default")) {
            tokens.expect(":", "after 'default'");
            if (state.defaultIndex >= 0) {
                parser.typeError(keyword.location(), "multiple default labels in one switch");
            } else {
                state.defaultIndex = statementIndex;
            }
            return;
        }
        Expr value = parser.expressions.parseConditional();
        tokens.expect(":", "after 'case'");
        Long constant = parser.expressions.requireIntegerConstant(value);
        if (constant == null) {
            return;
        }
        long converted = ConstantEvaluator.normalize(constant, state.selectorType);
        SourceLocation previous = state.values.putIfAbsent(converted, keyword.location());
        if (previous != null) {
            String spelled = state.selectorType.is64Bit() && !state.selectorType.isSigned()
                    ? Long.toUnsignedString(converted) : Long.toString(converted);
            parser.typeError(value.location(), "duplicate case value '" + spelled + "' (previous case at "
                    + previous.prefix() + ")");
            return;
        }
        state.cases.add(new Stmt.SwitchCase(converted, statementIndex, keyword.location()));
    }

    /** Reports a case or default label that is not directly in a switch body, then parses the statement it labels. */
    private Stmt parseMisplacedLabel() {
        Token keyword = tokens.next();
        String message = switchDepth > 0
                ? "case label must be directly inside the switch body in KPC"
                : "'" + keyword.text() + "' statement not in switch statement";
        parser.typeError(keyword.location(), message);
        if (keyword.is("case")) {
            parser.expressions.parseConditional();
        }
        tokens.expect(":", "after '" + keyword.text() + "'");
        return parseStatement();
    }

    /** Whether {@code token} starts a label: a name followed by ':'. Labels have a namespace of their own. */
    private boolean isLabel(Token token) {
        return TokenCursor.isName(token) && tokens.peek() == token && tokens.peek(1).is(":");
    }

    /** label: identifier ':', which must be unique in the function. */
    private Stmt.Label parseLabel() {
        Token name = tokens.next();
        tokens.next();
        Stmt.Label label = new Stmt.Label(name.text(), name.location());
        Stmt.Label previous = labels.putIfAbsent(name.text(), label);
        if (previous != null) {
            parser.typeError(name.location(), "redefinition of label '" + name.text() + "' (previous definition at "
                    + previous.location().prefix() + ")");
        }
        return label;
    }

    /** goto identifier ; where the label may be defined before or after the goto. */
    private Stmt parseGotoStatement() {
        Token keyword = tokens.next();
        Token name = tokens.peek();
        if (name.is("*")) {
            throw tokens.syntaxError(name, "computed goto ('goto *') is not supported in KPC; goto takes a label name");
        }
        if (!TokenCursor.isName(name)) {
            throw tokens.syntaxError(name, "expected a label name after 'goto'");
        }
        tokens.next();
        tokens.expect(";", "after goto statement");
        Stmt.Goto jump = new Stmt.Goto(name.text(), keyword.location());
        gotos.add(jump);
        return jump;
    }

    private Stmt parseBreakStatement() {
        Token keyword = tokens.next();
        if (loopDepth == 0 && switchDepth == 0) {
            parser.typeError(keyword.location(), "'break' statement not in loop or switch statement");
        }
        tokens.expect(";", "after break statement");
        return new Stmt.Break(keyword.location());
    }

    private Stmt parseContinueStatement() {
        Token keyword = tokens.next();
        if (loopDepth == 0) {
            parser.typeError(keyword.location(), "'continue' statement not in loop statement");
        }
        tokens.expect(";", "after continue statement");
        return new Stmt.Continue(keyword.location());
    }

    private Stmt parseReturnStatement() {
        Token keyword = tokens.next();
        Function function = parser.currentFunction;
        CType returnType = function.type().returnType();
        if (tokens.accept(";")) {
            if (!returnType.isVoid()) {
                parser.typeError(keyword.location(), "non-void function '" + function.name() + "' should return a value");
            }
            return new Stmt.Return(null, keyword.location());
        }
        Expr value = parser.expressions.parseExpression();
        tokens.expect(";", "after return statement");
        if (returnType.isVoid()) {
            parser.typeError(value.location(), "void function '" + function.name() + "' should not return a value");
            return new Stmt.Return(null, keyword.location());
        }
        Expr converted = parser.rules.convertForAssignment(value, returnType, TypeRules.AssignmentContext.RETURNING,
                value.location());
        return new Stmt.Return(converted, keyword.location());
    }

    /** Parses a declaration in a block into one {@link Stmt.Declaration} per local variable. */
    private void parseLocalDeclaration(List<Stmt> statements) {
        DeclarationParser.Specifiers specifiers = parser.declarations.parseDeclarationSpecifiers(true);
        if (tokens.accept(";")) {
            return;
        }
        while (true) {
            DeclarationParser.Declarator declarator = parser.declarations.parseDeclarator(specifiers.type(),
                    DeclarationParser.DeclaratorKind.NAMED);
            if (declarator.type() instanceof FunctionType && tokens.at("{")) {
                throw tokens.syntaxError(tokens.peek(), "function definition is not allowed here");
            }
            Stmt declaration = declareLocal(specifiers, declarator);
            if (declaration != null) {
                statements.add(declaration);
            }
            if (!tokens.accept(",")) {
                break;
            }
        }
        tokens.expect(";", "at end of declaration");
    }

    private Stmt declareLocal(DeclarationParser.Specifiers specifiers, DeclarationParser.Declarator declarator) {
        String name = declarator.name();
        CType type = declarator.type();
        SourceLocation location = declarator.location();
        DeclarationParser.StorageClass storage = specifiers.storage();
        if (storage == DeclarationParser.StorageClass.TYPEDEF) {
            parser.declarations.declareTypedef(declarator);
            return null;
        }

        // NOTE: a block-scope function or extern declaration also makes the name visible at file
        // scope from here on, which C does not; code that relies on the difference is rare.
        if (type instanceof FunctionType functionType) {
            Function function = parser.declareFunction(name, functionType, storage, location);
            declareInBlock(name, function, location);
            return null;
        }
        if (storage == DeclarationParser.StorageClass.EXTERN) {
            Variable global = parser.declareGlobalName(storage, declarator);
            declareInBlock(name, global, location);
            return null;
        }

        if (storage == DeclarationParser.StorageClass.STATIC) {
            return declareStaticLocal(name, type, location);
        }
        Variable variable = new Variable(name, type, Variable.Storage.LOCAL, false, location);
        declareInBlock(name, variable, location);
        parser.currentFunction.locals().add(variable);
        boolean incompleteArray = type instanceof ArrayType array && array.length() < 0;
        if (!incompleteArray && !type.isComplete()) {
            parser.typeError(location, "variable has incomplete type '" + type.spelling() + "'");
        }

        if (tokens.at("=")) {
            tokens.next();
            variable.setInitializer(parser.initializers.parseInitializer(variable, type, false));
        } else if (incompleteArray) {
            parser.typeError(location, "definition of variable with array type needs an explicit size or an initializer");
        }
        return new Stmt.Declaration(variable, location);
    }

    /**
     * Declares a block-scope {@code static} variable. It has static storage like a global: the
     * plugin's static data holds it, each plugin instance has its own copy, and its constant
     * initializer is applied once, when the instance is created. Only the name is block-scoped,
     * so the declaration adds no statement.
     */
    private Stmt declareStaticLocal(String name, CType type, SourceLocation location) {
        Variable variable = parser.declareStaticLocal(name, type, location);
        declareInBlock(name, variable, location);
        boolean incompleteArray = type instanceof ArrayType array && array.length() < 0;
        if (!incompleteArray && !type.isComplete()) {
            parser.typeError(location, "variable has incomplete type '" + type.spelling() + "'");
        }
        if (tokens.at("=")) {
            tokens.next();
            variable.setInitializer(parser.initializers.parseInitializer(variable, type, true));
        } else if (incompleteArray) {
            parser.typeError(location, "definition of variable with array type needs an explicit size or an initializer");
        }
        return null;
    }

    private void declareInBlock(String name, Object entity, SourceLocation location) {
        Object existing = parser.scope.lookupLocal(name);
        if (existing != null && existing != entity) {
            String previous = existing instanceof Variable v ? " (previous definition at " + v.location().prefix() + ")" : "";
            parser.typeError(location, "redefinition of '" + name + "'" + previous);
        }
        parser.scope.declare(name, entity);
    }
}
