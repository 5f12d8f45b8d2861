// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import java.util.ArrayList;
import java.util.List;

import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.UnaryOp;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;
import org.kplugins.kpc.types.VoidType;

/**
 * Parses expressions with C's precedence and associativity and types each node as it is built.
 * Assignment, conditional, cast, unary, postfix and primary expressions have one method each;
 * the binary operators from logical OR down to multiplicative share
 * {@link #parseBinaryExpression} by precedence climbing. The typing of the binary operators
 * lives in {@link BinaryOperators}.
 */
final class ExpressionParser {

    private final Parser parser;
    private final TokenCursor tokens;
    private final TypeRules rules;
    private final BinaryOperators binaryOperators;
    private final VariadicBuiltins variadicBuiltins;

    ExpressionParser(Parser parser) {
        this.parser = parser;
        this.tokens = parser.tokens;
        this.rules = parser.rules;
        this.binaryOperators = new BinaryOperators(parser, rules);
        this.variadicBuiltins = new VariadicBuiltins(parser);
    }

    /** expression: assignment-expression ( , assignment-expression )*. */
    Expr parseExpression() {
        Expr left = parseAssignment();
        int levels = 0;
        try {
            while (tokens.at(",")) {
                Token comma = tokens.next();
                parser.enterNesting(comma);
                levels++;
                Expr right = TypeRules.toValue(parseAssignment());
                left = new Expr.Comma(right.type(), left, right, left.location().to(right.location()));
            }
            return left;
        } finally {
            parser.exitNesting(levels);
        }
    }

    /** assignment-expression: conditional-expression ( assignment-operator assignment-expression )?. */
    Expr parseAssignment() {
        parser.enterNesting(tokens.peek());
        try {
            Expr target = parseConditional();
            Token operator = tokens.peek();
            if (operator.kind() == TokenKind.PUNCTUATOR && BinaryOperators.isAssignmentOperator(operator.text())) {
                tokens.next();
                Expr value = parseAssignment();
                return binaryOperators.buildAssignment(operator, target, value);
            }
            return target;
        } finally {
            parser.exitNesting();
        }
    }

    /**
     * conditional-expression: logical-OR-expression ( ? expression : conditional-expression )?.
     * Each {@code ?} counts as one nesting level, because the false branch recurses here without
     * passing through {@link #parseAssignment()}.
     */
    Expr parseConditional() {
        Expr condition = parseBinaryExpression(1);
        if (!tokens.at("?")) {
            return condition;
        }
        Token question = tokens.next();
        parser.enterNesting(question);
        try {
            Expr whenTrue = parseExpression();
            tokens.expectClosing(":", question);
            Expr whenFalse = parseConditional();
            return binaryOperators.buildConditional(question, condition, whenTrue, whenFalse);
        } finally {
            parser.exitNesting();
        }
    }

    /**
     * Parses the binary operators by precedence climbing, reading operators of at least
     * {@code minPrecedence}, all left-associative. Each operator applied counts as one nesting
     * level, because it adds one level to the tree.
     */
    private Expr parseBinaryExpression(int minPrecedence) {
        Expr left = parseCast();
        int levels = 0;
        try {
            while (true) {
                Token operator = tokens.peek();
                int precedence = BinaryOperators.precedence(operator);
                if (precedence < minPrecedence) {
                    return left;
                }
                tokens.next();
                parser.enterNesting(operator);
                levels++;
                Expr right = parseBinaryExpression(precedence + 1);
                left = binaryOperators.buildBinary(operator, left, right);
            }
        } finally {
            parser.exitNesting(levels);
        }
    }

    /** cast-expression: ( type-name ) cast-expression | unary-expression. */
    private Expr parseCast() {
        if (tokens.at("(") && parser.declarations.isTypeNameStart(tokens.peek(1))) {
            Token open = tokens.next();
            CType type = parser.declarations.parseTypeName();
            tokens.expectClosing(")", open);
            if (tokens.at("{")) {
                return parsePostfix(parseCompoundLiteral(open, type));
            }
            parser.enterNesting(open);
            try {
                Expr operand = parseCast();
                return buildCast(open, type, operand);
            } finally {
                parser.exitNesting();
            }
        }
        return parseUnary();
    }

    /**
     * compound-literal: ( type-name ) { initializer-list }, with the type name already read. At
     * block scope the object lives in the function's frame and is initialized each time the
     * expression is evaluated; at file scope it is an unnamed global with a constant initializer.
     */
    private Expr parseCompoundLiteral(Token open, CType type) {
        parser.enterNesting(open);
        try {
            SourceLocation location = open.location();
            boolean incompleteArray = type instanceof ArrayType array && array.length() < 0;
            if (type instanceof FunctionType || type.isVoid() || !incompleteArray && !type.isComplete()) {
                parser.typeError(location, "compound literal has incomplete or function type '" + type.spelling() + "'");
                skipBraces();
                return rules.errorValue(location);
            }
            Variable variable;
            if (parser.currentFunction == null) {
                variable = parser.declareStaticLocal("(compound literal)", type, location);
                variable.setInitializer(parser.initializers.parseInitializer(variable, type, true));
                return new Expr.VariableRef(variable.type(), variable, location.to(tokens.previous().location()));
            }
            variable = new Variable("(compound literal)", type, Variable.Storage.LOCAL, false, location);
            variable.markAddressTaken();
            parser.currentFunction.locals().add(variable);
            variable.setInitializer(parser.initializers.parseInitializer(variable, type, false));
            return new Expr.CompoundLiteral(variable.type(), variable, location.to(tokens.previous().location()));
        } finally {
            parser.exitNesting();
        }
    }

    /** Skips the brace-enclosed list at the cursor, nested braces included. */
    private void skipBraces() {
        int depth = 0;
        do {
            Token token = tokens.next();
            if (token.is("{")) {
                depth++;
            } else if (token.is("}")) {
                depth--;
            }
        } while (depth > 0 && !tokens.atEof());
    }

    private Expr buildCast(Token open, CType type, Expr operand) {
        SourceLocation location = open.location().to(operand.location());
        Expr value = TypeRules.toValue(operand);
        if (rules.isError(value)) {
            return value;
        }
        if (type.isVoid()) {
            return new Expr.Cast(VoidType.VOID, value, location);
        }
        if (!type.isScalar()) {
            parser.typeError(open.location(), "used type '" + type.spelling()
                    + "' where arithmetic or pointer type is required");
            return rules.errorValue(location);
        }
        if (!value.type().isScalar()) {
            parser.typeError(operand.location(), "operand of type '" + value.type().spelling()
                    + "' where arithmetic or pointer type is required");
            return rules.errorValue(location);
        }
        if (type.isPointer() && value.type().isFloating()) {
            parser.typeError(operand.location(), "operand of type '" + value.type().spelling()
                    + "' cannot be cast to a pointer type");
            return rules.errorValue(location);
        }
        if (type.isFloating() && value.type().isPointer()) {
            parser.typeError(operand.location(), "pointer cannot be cast to type '" + type.unqualified().spelling() + "'");
            return rules.errorValue(location);
        }
        return new Expr.Cast(type.unqualified(), value, location);
    }

    /** unary-expression: prefix ++ --, unary operators, sizeof and _Alignof, or a postfix expression. */
    private Expr parseUnary() {
        Token operator = tokens.peek();
        parser.enterNesting(operator);
        try {
            if (operator.kind() == TokenKind.IDENTIFIER) {
                if (operator.is("sizeof")) {
                    return parseSizeof();
                }
                if (operator.is("_Alignof")) {
                    return parseAlignof();
                }
                return parsePostfix(parsePrimary());
            }
            if (operator.kind() != TokenKind.PUNCTUATOR) {
                return parsePostfix(parsePrimary());
            }
            switch (operator.text()) {
                case "++", "--" -> {
                    tokens.next();
                    Expr target = parseUnary();
                    return buildIncDec(operator, target, true, operator.location().to(target.location()));
                }
                case "&" -> {
                    tokens.next();
                    return buildAddressOf(operator, parseCast());
                }
                case "*" -> {
                    tokens.next();
                    Expr pointer = parseCast();
                    return buildDereference(operator.location(), pointer, operator.location().to(pointer.location()));
                }
                case "+", "-", "~", "!" -> {
                    tokens.next();
                    return buildUnaryOperator(operator, parseCast());
                }
                default -> {
                    return parsePostfix(parsePrimary());
                }
            }
        } finally {
            parser.exitNesting();
        }
    }

    private Expr buildUnaryOperator(Token operator, Expr operand) {
        SourceLocation location = operator.location().to(operand.location());
        Expr value = TypeRules.toValue(operand);
        if (rules.isError(value)) {
            return value;
        }
        if (operator.is("!")) {
            if (!value.type().isScalar()) {
                return invalidUnaryOperand(value, location);
            }
            return new Expr.Unary(IntegerType.INT, UnaryOp.LOGICAL_NOT, value, location);
        }
        boolean floating = value.type().isFloating();
        if (!value.type().isInteger() && !(floating && !operator.is("~"))) {
            return invalidUnaryOperand(value, location);
        }
        CType promoted = TypeRules.promotedArithmeticType(value.type());
        if (operator.is("+")) {
            // Unary plus only promotes; the cast also keeps +x from being an lvalue.
            return new Expr.Cast(promoted, value, location);
        }
        UnaryOp op = operator.is("-") ? UnaryOp.NEGATE : UnaryOp.BIT_NOT;
        return new Expr.Unary(promoted, op, TypeRules.convert(value, promoted), location);
    }

    private Expr invalidUnaryOperand(Expr value, SourceLocation location) {
        String message = "invalid argument type '" + value.type().spelling() + "' to unary expression";
        if (value.type().isFloating()) {
            message += ": operator '~' requires an integer operand";
        }
        parser.typeError(location, message);
        return rules.errorValue(location);
    }

    /** Prefix or postfix ++ and -- on an arithmetic or pointer lvalue. */
    private Expr buildIncDec(Token operator, Expr target, boolean prefix, SourceLocation location) {
        boolean increment = operator.is("++");
        if (rules.isError(target)) {
            return target;
        }
        CType type = target.type().unqualified();
        if (!type.isArithmetic() && !(type instanceof PointerType)) {
            parser.typeError(operator.location(), "cannot " + (increment ? "increment" : "decrement")
                    + " value of type '" + target.type().spelling() + "'");
            return rules.errorValue(location);
        }
        if (!rules.checkModifiable(target, operator.location())) {
            return rules.errorValue(location);
        }
        int step = 1;
        if (type instanceof PointerType pointer) {
            Integer size = binaryOperators.elementSizeForArithmetic(pointer, operator.location());
            if (size == null) {
                return rules.errorValue(location);
            }
            step = size;
        }
        return new Expr.IncDec(type, target, increment, prefix, step, location);
    }

    /** &operand. {@code &*p} is {@code p} and {@code &a[i]} is {@code a + i}, as C specifies. */
    private Expr buildAddressOf(Token operator, Expr operand) {
        SourceLocation location = operator.location().to(operand.location());
        if (rules.isError(operand)) {
            return operand;
        }
        if (operand instanceof Expr.Dereference dereference) {
            Expr pointer = dereference.pointer();
            return Expr.isLvalue(pointer) ? new Expr.Cast(pointer.type().unqualified(), pointer, location) : pointer;
        }
        if (operand instanceof Expr.FunctionRef ref) {
            return TypeRules.functionAddress(ref, location);
        }
        if (!Expr.isLvalue(operand)) {
            parser.typeError(operator.location(), "cannot take the address of an rvalue of type '"
                    + operand.type().spelling() + "'");
            return rules.errorValue(location);
        }
        if (operand instanceof Expr.MemberAccess access && access.member().isBitField()) {
            parser.typeError(operator.location(), "address of bit-field '" + access.member().name() + "' requested");
            return rules.errorValue(location);
        }
        if (operand instanceof Expr.VariableRef ref) {
            ref.variable().markAddressTaken();
        }
        return new Expr.AddressOf(new PointerType(operand.type()), operand, location);
    }

    Expr buildDereference(SourceLocation operatorLocation, Expr operand, SourceLocation location) {
        Expr pointer = TypeRules.toValue(operand);
        if (rules.isError(pointer)) {
            return pointer;
        }
        if (!(pointer.type() instanceof PointerType pointerType)) {
            parser.typeError(operatorLocation, "indirection requires pointer operand ('"
                    + pointer.type().spelling() + "' invalid)");
            return rules.errorValue(location);
        }
        if (pointerType.pointee().isVoid()) {
            parser.typeError(operatorLocation, "indirection on operand of type '" + pointer.type().spelling()
                    + "' is not allowed");
            return rules.errorValue(location);
        }
        if (pointer instanceof Expr.FunctionAddress address) {
            // *f and *&f designate the function f again, so calling them is a direct call.
            return new Expr.FunctionRef(address.function().type(), address.function(), location);
        }
        return new Expr.Dereference(pointerType.pointee(), pointer, location);
    }

    /** sizeof unary-expression | sizeof ( type-name ): an unsigned int (size_t) constant. */
    private Expr parseSizeof() {
        Token keyword = tokens.next();
        CType type;
        SourceLocation location;
        if (tokens.at("(") && parser.declarations.isTypeNameStart(tokens.peek(1))) {
            Token open = tokens.next();
            type = parser.declarations.parseTypeName();
            Token close = tokens.expectClosing(")", open);
            location = keyword.location().to(close.location());
            if (tokens.at("{")) {
                Expr literal = parsePostfix(parseCompoundLiteral(open, type));
                type = literal.type();
                location = keyword.location().to(literal.location());
            }
        } else {
            Expr operand = parseUnary();
            if (rules.isError(operand)) {
                return new Expr.IntConstant(IntegerType.UINT, 4, keyword.location());
            }
            if (operand instanceof Expr.MemberAccess access && access.member().isBitField()) {
                parser.typeError(keyword.location(), "invalid application of 'sizeof' to bit-field '"
                        + access.member().name() + "'");
                return new Expr.IntConstant(IntegerType.UINT, 1, keyword.location());
            }
            type = operand.type();
            location = keyword.location().to(operand.location());
        }
        if (!checkSizeOperand("sizeof", type, keyword.location())) {
            return new Expr.IntConstant(IntegerType.UINT, 1, location);
        }
        return new Expr.IntConstant(IntegerType.UINT, type.size(), location);
    }

    /** _Alignof ( type-name ): an unsigned int constant. */
    private Expr parseAlignof() {
        Token keyword = tokens.next();
        Token open = tokens.expect("(", "after '_Alignof'");
        CType type = parser.declarations.parseTypeName();
        Token close = tokens.expectClosing(")", open);
        SourceLocation location = keyword.location().to(close.location());
        if (!checkSizeOperand("_Alignof", type, keyword.location())) {
            return new Expr.IntConstant(IntegerType.UINT, 1, location);
        }
        return new Expr.IntConstant(IntegerType.UINT, type.align(), location);
    }

    private boolean checkSizeOperand(String operator, CType type, SourceLocation location) {
        if (type instanceof FunctionType) {
            parser.typeError(location, "invalid application of '" + operator + "' to a function type");
            return false;
        }
        if (type.isVoid()) {
            parser.typeError(location, "invalid application of '" + operator + "' to a void type");
            return false;
        }
        if (!type.isComplete()) {
            parser.typeError(location, "invalid application of '" + operator + "' to an incomplete type '"
                    + type.spelling() + "'");
            return false;
        }
        return true;
    }

    /** postfix-expression: primary followed by [ ], . member, -> member, ++ or --. */
    private Expr parsePostfix(Expr primary) {
        Expr e = primary;
        int levels = 0;
        try {
            while (true) {
                Token operator = tokens.peek();
                if (operator.kind() != TokenKind.PUNCTUATOR) {
                    return e;
                }
                switch (operator.text()) {
                    case "[" -> {
                        tokens.next();
                        parser.enterNesting(operator);
                        levels++;
                        Expr index = parseExpression();
                        Token close = tokens.expectClosing("]", operator);
                        e = buildSubscript(operator, e, index, e.location().to(close.location()));
                    }
                    case ".", "->" -> {
                        tokens.next();
                        parser.enterNesting(operator);
                        levels++;
                        Token name = tokens.peek();
                        if (!TokenCursor.isName(name)) {
                            throw tokens.syntaxError(name, "expected identifier");
                        }
                        tokens.next();
                        e = buildMemberAccess(operator, e, name);
                    }
                    case "++", "--" -> {
                        tokens.next();
                        parser.enterNesting(operator);
                        levels++;
                        e = buildIncDec(operator, e, false, e.location().to(operator.location()));
                    }
                    case "(" -> {
                        tokens.next();
                        parser.enterNesting(operator);
                        levels++;
                        e = buildCall(operator, e);
                    }
                    default -> {
                        return e;
                    }
                }
            }
        } finally {
            parser.exitNesting(levels);
        }
    }

    /** a[i] is *(a + i); either operand may be the pointer. */
    private Expr buildSubscript(Token open, Expr base, Expr index, SourceLocation location) {
        Expr left = TypeRules.toValue(base);
        Expr right = TypeRules.toValue(index);
        if (rules.isError(left) || rules.isError(right)) {
            return rules.errorValue(location);
        }
        if (left.type() instanceof IntegerType && right.type() instanceof PointerType) {
            Expr swap = left;
            left = right;
            right = swap;
        }
        if (!(left.type() instanceof PointerType pointer)) {
            parser.typeError(base.location(), "subscripted value is not an array or pointer");
            return rules.errorValue(location);
        }
        if (!(right.type() instanceof IntegerType)) {
            parser.typeError(index.location(), "array subscript is not an integer");
            return rules.errorValue(location);
        }
        Integer size = binaryOperators.elementSizeForArithmetic(pointer, open.location());
        if (size == null) {
            return rules.errorValue(location);
        }
        PointerType resultType = (PointerType) pointer.unqualified();
        Expr address = new Expr.PointerArithmetic(resultType, BinaryOp.ADD, left,
                TypeRules.convert(right, IntegerType.INT), size, location);
        return new Expr.Dereference(pointer.pointee(), address, location);
    }

    /** s.m on a struct lvalue, and p->m as (*p).m. */
    private Expr buildMemberAccess(Token operator, Expr base, Token name) {
        SourceLocation location = base.location().to(name.location());
        if (rules.isError(base)) {
            return base;
        }
        boolean arrow = operator.is("->");
        Expr struct;
        if (arrow) {
            Expr pointer = TypeRules.toValue(base);
            if (pointer.type() instanceof PointerType p && p.pointee() instanceof StructType) {
                struct = new Expr.Dereference(p.pointee(), pointer, base.location());
            } else if (base.type() instanceof StructType) {
                parser.typeError(operator.location(), "member reference type '" + base.type().spelling()
                        + "' is not a pointer; did you mean to use '.'?");
                struct = base;
            } else {
                parser.typeError(operator.location(), "member reference type '" + pointer.type().spelling()
                        + "' is not a pointer to a struct");
                return rules.errorValue(location);
            }
        } else if (base.type() instanceof StructType) {
            struct = base;
        } else if (base.type() instanceof PointerType p && p.pointee() instanceof StructType) {
            parser.typeError(operator.location(), "member reference type '" + base.type().spelling()
                    + "' is a pointer; did you mean to use '->'?");
            struct = new Expr.Dereference(p.pointee(), base, base.location());
        } else {
            parser.typeError(operator.location(), "member reference base type '" + base.type().spelling()
                    + "' is not a structure");
            return rules.errorValue(location);
        }

        StructType structType = (StructType) struct.type();
        if (!structType.isDefined()) {
            parser.typeError(operator.location(), "incomplete definition of type '"
                    + structType.unqualified().spelling() + "'");
            return rules.errorValue(location);
        }
        StructType.Member member = structType.member(name.text());
        if (member == null) {
            parser.typeError(name.location(), "no member named '" + name.text() + "' in '"
                    + structType.unqualified().spelling() + "'");
            return rules.errorValue(location);
        }
        if (!Expr.isLvalue(struct)) {
            parser.typeError(operator.location(),
                    "member access on a struct value that is not stored in an object is not supported in KPC");
            return rules.errorValue(location);
        }
        CType memberType = member.isBitField() ? bitFieldValueType(member) : member.type();
        if (structType.isConst() || member.type().isConst()) {
            memberType = memberType.withConst(true);
        }
        return new Expr.MemberAccess(memberType, struct, member, location);
    }

    /**
     * The type of a bit-field's value, as gcc gives it for widths up to 32: a bit-field whose
     * values all fit in int is int, whatever its declared type (so {@code unsigned x : 3} and
     * {@code unsigned long long y : 20} promote to int), an unsigned one of 32 bits is unsigned
     * int, and _Bool stays _Bool. A bit-field wider than 32 bits keeps its declared long long
     * type, as in clang; gcc gives it a type of exactly its width, which KPC does not have.
     */
    static CType bitFieldValueType(StructType.Member member) {
        IntegerType declared = (IntegerType) member.type().unqualified();
        if (declared.isBool() || member.bitField().width() > 32) {
            return declared;
        }
        boolean fitsInInt = declared.isSigned() || member.bitField().width() < 32;
        return fitsInInt ? IntegerType.INT : IntegerType.UINT;
    }

    /** primary-expression: constant, string literal, identifier or ( expression ). */
    private Expr parsePrimary() {
        Token token = tokens.peek();
        switch (token.kind()) {
            case INTEGER -> {
                tokens.next();
                return integerConstant(token);
            }
            case FLOATING -> {
                tokens.next();
                boolean isFloat = token.intSuffix().equals("f");
                return new Expr.FloatConstant(isFloat ? FloatingType.FLOAT : FloatingType.DOUBLE,
                        Double.longBitsToDouble(token.intValue()), token.location());
            }
            case CHARACTER -> {
                tokens.next();
                return new Expr.IntConstant(IntegerType.INT,
                        ConstantEvaluator.normalize(token.intValue(), IntegerType.INT), token.location());
            }
            case STRING -> {
                tokens.next();
                String bytes = token.stringValue() == null ? "" : token.stringValue();
                return new Expr.StringLiteral(new ArrayType(IntegerType.CHAR, bytes.length() + 1), bytes,
                        token.location());
            }
            case PUNCTUATOR -> {
                if (token.is("(")) {
                    tokens.next();
                    Expr inner = parseExpression();
                    tokens.expectClosing(")", token);
                    return inner;
                }
                throw tokens.syntaxError(token, "expected expression");
            }
            case IDENTIFIER -> {
                return parseIdentifier(token);
            }
            default -> throw tokens.syntaxError(token, "expected expression");
        }
    }

    private Expr parseIdentifier(Token token) {
        if (!TokenCursor.isName(token)) {
            throw tokens.syntaxError(token, "expected expression");
        }
        Object entity = parser.scope.lookup(token.text());
        if (entity instanceof Scope.TypedefName) {
            throw tokens.syntaxError(token, "unexpected type name '" + token.text() + "': expected expression");
        }
        tokens.next();
        if (entity == null && VariadicBuiltins.isBuiltin(token.text())) {
            return variadicBuiltins.parse(token);
        }
        switch (entity) {
            case Variable variable -> {
                return new Expr.VariableRef(variable.type(), variable, token.location());
            }
            case Function function -> {
                return new Expr.FunctionRef(function.type(), function, token.location());
            }
            case Scope.EnumConstant constant -> {
                return new Expr.IntConstant(IntegerType.INT, constant.value(), token.location());
            }
            case null, default -> {
                if (tokens.at("(")) {
                    parser.typeError(token.location(), "call to undeclared function '" + token.text()
                            + "'; ISO C99 and later do not support implicit function declarations"
                            + libcReplacementHint(token.text()));
                    parseArgumentList(tokens.next());
                } else {
                    parser.typeError(token.location(), "use of undeclared identifier '" + token.text() + "'");
                }
                return rules.errorValue(token.location());
            }
        }
    }

    /**
     * Returns a hint naming the KPC replacement for a C library function that plugins do not
     * have, such as {@code "; KPC plugins use printk from <kernel.h>"} for printf, or "".
     */
    private static String libcReplacementHint(String name) {
        return switch (name) {
            case "printf", "puts", "putchar" -> "; KPC plugins use printk from <kernel.h>";
            case "vprintf" -> "; KPC plugins use vprintk from <kernel.h>";
            case "malloc", "calloc", "realloc", "free" -> "; KPC plugins use kp_alloc and kp_free from <kernel.h>";
            default -> "";
        };
    }

    /**
     * Parses the arguments of a call of {@code callee} after the '(' has been read. A function
     * designator that names a function makes a direct call; any other callee must be a function
     * pointer, called through the plugin's function pointer table.
     */
    private Expr buildCall(Token open, Expr callee) {
        List<Expr> arguments = parseArgumentList(open);
        SourceLocation location = callee.location().to(tokens.previous().location());
        if (rules.isError(callee)) {
            return callee;
        }
        if (callee instanceof Expr.FunctionRef ref) {
            FunctionType type = ref.function().type();
            return new Expr.Call(type.returnType().unqualified(), ref.function(), convertArguments(type, arguments),
                    location);
        }
        Expr pointer = TypeRules.toValue(callee);
        if (pointer.type() instanceof PointerType pointerType && pointerType.pointee() instanceof FunctionType type) {
            return new Expr.IndirectCall(type.returnType().unqualified(), type, pointer,
                    convertArguments(type, arguments), location);
        }
        parser.typeError(open.location(), "called object type '" + callee.type().spelling()
                + "' is not a function or function pointer");
        return rules.errorValue(location);
    }

    /**
     * Checks the argument count of a call of {@code type} and converts the arguments as if by
     * assignment, applying the default argument promotions to those matching '...'.
     */
    private List<Expr> convertArguments(FunctionType type, List<Expr> arguments) {
        List<CType> parameters = type.parameterTypes();
        if (arguments.size() < parameters.size()) {
            parser.typeError(tokens.previous().location(), "too few arguments to function call, expected "
                    + (type.isVariadic() ? "at least " : "") + parameters.size() + ", have " + arguments.size());
        } else if (arguments.size() > parameters.size() && !type.isVariadic()) {
            parser.typeError(arguments.get(parameters.size()).location(), "too many arguments to function call, expected "
                    + parameters.size() + ", have " + arguments.size());
        }
        List<Expr> converted = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            Expr argument = arguments.get(i);
            if (i < parameters.size()) {
                converted.add(rules.convertForAssignment(argument, parameters.get(i),
                        TypeRules.AssignmentContext.PASSING, argument.location()));
            } else {
                converted.add(promoteVariadicArgument(argument));
            }
        }
        return converted;
    }

    /** Applies the default argument promotions to an argument matching '...'. */
    private Expr promoteVariadicArgument(Expr argument) {
        Expr value = TypeRules.toValue(argument);
        if (rules.isError(value)) {
            return value;
        }
        if (value.type() instanceof IntegerType) {
            return TypeRules.promote(value);
        }
        if (value.type().isFloating()) {
            return TypeRules.convert(value, FloatingType.DOUBLE);
        }
        if (value.type() instanceof PointerType) {
            return value;
        }
        if (value.type().isVoid()) {
            parser.typeError(argument.location(), "argument type 'void' is incomplete");
        } else {
            parser.typeError(argument.location(), "passing '" + value.type().spelling()
                    + "' to a variadic function is not supported in KPC; pass a pointer");
        }
        return rules.errorValue(argument.location());
    }

    /** argument-expression-list after the '(' has been read; consumes the ')'. */
    private List<Expr> parseArgumentList(Token open) {
        List<Expr> arguments = new ArrayList<>();
        if (tokens.accept(")")) {
            return arguments;
        }
        while (true) {
            arguments.add(parseAssignment());
            if (!tokens.accept(",")) {
                break;
            }
        }
        tokens.expectClosing(")", open);
        return arguments;
    }

    /**
     * Types an integer constant with the first of C's candidate types for its radix and suffix
     * that can represent the value, under ILP32. A decimal constant too large for long long becomes
     * unsigned long long, as clang does.
     */
    private Expr integerConstant(Token token) {
        String suffix = token.intSuffix() == null ? "" : token.intSuffix().toLowerCase(java.util.Locale.ROOT);
        boolean unsigned = suffix.indexOf('u') >= 0;
        int longs = (int) suffix.chars().filter(c -> c == 'l').count();
        boolean decimal = token.decimal();
        IntegerType[] candidates;
        if (longs == 0) {
            candidates = unsigned ? new IntegerType[] {IntegerType.UINT, IntegerType.ULONG, IntegerType.ULLONG}
                    : decimal ? new IntegerType[] {IntegerType.INT, IntegerType.LONG, IntegerType.LLONG}
                    : new IntegerType[] {IntegerType.INT, IntegerType.UINT, IntegerType.LONG, IntegerType.ULONG,
                        IntegerType.LLONG, IntegerType.ULLONG};
        } else if (longs == 1) {
            candidates = unsigned ? new IntegerType[] {IntegerType.ULONG, IntegerType.ULLONG}
                    : decimal ? new IntegerType[] {IntegerType.LONG, IntegerType.LLONG}
                    : new IntegerType[] {IntegerType.LONG, IntegerType.ULONG, IntegerType.LLONG, IntegerType.ULLONG};
        } else {
            candidates = unsigned ? new IntegerType[] {IntegerType.ULLONG}
                    : decimal ? new IntegerType[] {IntegerType.LLONG}
                    : new IntegerType[] {IntegerType.LLONG, IntegerType.ULLONG};
        }
        long value = token.intValue();
        for (IntegerType candidate : candidates) {
            if (fits(value, candidate)) {
                return new Expr.IntConstant(candidate, value, token.location());
            }
        }
        return new Expr.IntConstant(IntegerType.ULLONG, value, token.location());
    }

    /** Returns whether the constant's value, read as unsigned 64 bits, is within the type's maximum. */
    private static boolean fits(long value, IntegerType type) {
        long max = switch (type.size()) {
            case 4 -> type.isSigned() ? Integer.MAX_VALUE : 0xffff_ffffL;
            default -> type.isSigned() ? Long.MAX_VALUE : -1L;
        };
        return Long.compareUnsigned(value, max) <= 0;
    }

    /**
     * Returns the value of an integer constant expression, or reports why {@code e} is not one and
     * returns null.
     */
    Long requireIntegerConstant(Expr e) {
        if (rules.isError(e)) {
            return null;
        }
        if (!(e.type() instanceof IntegerType)) {
            parser.typeError(e.location(), "integer constant expression must have integer type, not '"
                    + e.type().spelling() + "'");
            return null;
        }
        Long value;
        try {
            value = ConstantEvaluator.evaluateChecked(e);
        } catch (ConstantEvaluator.InvalidConstant invalid) {
            parser.typeError(invalid.location, invalid.getMessage());
            return null;
        }
        if (value == null) {
            parser.typeError(e.location(), "expression is not an integer constant expression");
        }
        return value;
    }
}
