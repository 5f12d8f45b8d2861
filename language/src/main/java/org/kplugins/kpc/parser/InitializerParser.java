// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import java.util.ArrayList;
import java.util.List;

import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.InitItem;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.StructType;

/**
 * Parses initializers and flattens them into {@link InitItem}s at byte offsets inside the
 * variable. Nested braces follow the object's structure. Where braces are left out (brace
 * elision), an aggregate element takes as many initializers from the enclosing list as it has
 * scalars, as C specifies. An initializer for a variable with static storage must be constant.
 */
final class InitializerParser {

    private final Parser parser;
    private final TokenCursor tokens;
    private final TypeRules rules;
    /** Whether the variable being initialized has static storage, so each value must be constant. */
    private boolean staticStorage;
    /**
     * An expression that was read to decide how an aggregate element without braces is
     * initialized: as a whole by a struct value, or by brace elision. The next scalar uses it.
     */
    private Expr pendingValue;

    InitializerParser(Parser parser) {
        this.parser = parser;
        this.tokens = parser.tokens;
        this.rules = parser.rules;
    }

    /**
     * Parses the initializer after '=' for {@code variable}, declared with {@code type}. An array
     * declared without a size gets its length from the initializer.
     */
    List<InitItem> parseInitializer(Variable variable, CType type, boolean isStatic) {
        staticStorage = isStatic;
        pendingValue = null;
        List<InitItem> items = new ArrayList<>();
        if (type.isVoid() || type instanceof StructType && !type.isComplete()) {
            // The declaration already reported the incomplete type; read the initializer to stay in step.
            parser.expressions.parseAssignment();
            return items;
        }
        int count = parseInitializer(type, 0, items);
        if (type instanceof ArrayType array && array.length() < 0) {
            variable.setType(new ArrayType(array.element(), count));
        }
        return items;
    }

    /**
     * initializer for an object of {@code type} at {@code offset}: a brace list, a string literal
     * for a char array, or an expression. Returns the element count for arrays, 0 otherwise.
     */
    private int parseInitializer(CType type, int offset, List<InitItem> items) {
        Token first = tokens.peek();
        parser.enterNesting(first);
        try {
            if (type instanceof ArrayType array) {
                if (TypeRules.isCharType(array.element()) && first.kind() == TokenKind.STRING) {
                    tokens.next();
                    return parseStringInitializer(array, offset, first, items);
                }
                if (!first.is("{")) {
                    Expr value = parser.expressions.parseAssignment();
                    if (!rules.isError(value)) {
                        parser.typeError(value.location(), "array initializer must be an initializer list");
                    }
                    return 0;
                }
                tokens.next();
                if (TypeRules.isCharType(array.element()) && tokens.peek().kind() == TokenKind.STRING
                        && (tokens.peek(1).is("}") || tokens.peek(1).is(",") && tokens.peek(2).is("}"))) {
                    Token string = tokens.next();
                    tokens.accept(",");
                    tokens.next();
                    return parseStringInitializer(array, offset, string, items);
                }
                int count = parseArrayElements(array, offset, items, true);
                tokens.expectClosing("}", first);
                return count;
            }
            if (type instanceof StructType struct) {
                if (first.is("{")) {
                    tokens.next();
                    parseStructMembers(struct, offset, items, true);
                    tokens.expectClosing("}", first);
                } else {
                    parseStructValue(struct, offset, items, parser.expressions.parseAssignment());
                }
                return 0;
            }
            if (first.is("{")) {
                tokens.next();
                if (tokens.at("}")) {
                    tokens.next();
                    return 0;
                }
                parseScalar(type, offset, items);
                if (tokens.accept(",") && !tokens.at("}")) {
                    parser.typeError(tokens.peek().location(), "excess elements in scalar initializer");
                    skipRestOfList();
                }
                tokens.expectClosing("}", first);
                return 0;
            }
            parseScalar(type, offset, items);
            return 0;
        } finally {
            parser.exitNesting();
        }
    }

    /**
     * Parses the elements of an array initializer list and returns how many it read. With
     * {@code braced} false the list is the enclosing one (brace elision), so reading stops once
     * the array is full, before the ',' that separates it from the next element.
     */
    private int parseArrayElements(ArrayType array, int offset, List<InitItem> items, boolean braced) {
        CType element = array.element();
        int index = 0;
        while (true) {
            if (tokens.at("}") && pendingValue == null) {
                break;
            }
            boolean full = array.length() >= 0 && index >= array.length();
            if (full) {
                if (braced) {
                    parser.typeError(tokens.peek().location(), "excess elements in array initializer");
                    skipRestOfList();
                }
                break;
            }
            rejectDesignator();
            parseElement(element, offset + index * element.size(), items);
            index++;
            if (!continueList(braced, array.length() >= 0 && index >= array.length())) {
                break;
            }
        }
        return index;
    }

    /** Parses the members of a struct initializer list, braced or elided as for arrays. */
    private void parseStructMembers(StructType struct, int offset, List<InitItem> items, boolean braced) {
        List<StructType.Member> members = struct.members();
        int index = 0;
        while (true) {
            if (tokens.at("}") && pendingValue == null) {
                break;
            }
            if (index >= members.size()) {
                if (braced) {
                    parser.typeError(tokens.peek().location(), "excess elements in struct initializer");
                    skipRestOfList();
                }
                break;
            }
            rejectDesignator();
            StructType.Member member = members.get(index);
            parseElement(member.type(), offset + member.offset(), items);
            index++;
            if (!continueList(braced, index >= members.size())) {
                break;
            }
        }
    }

    /**
     * Consumes the ',' after an element and returns whether the list goes on. An elided list
     * that is full, or whose ',' ends the enclosing list, leaves the ',' to the enclosing list.
     */
    private boolean continueList(boolean braced, boolean full) {
        if (braced) {
            return tokens.accept(",");
        }
        if (full || !tokens.at(",") || tokens.peek(1).is("}")) {
            return false;
        }
        tokens.next();
        return true;
    }

    /**
     * Parses one element of a list. An aggregate element without its own braces is initialized
     * as a whole by a struct value of its type, and otherwise by brace elision.
     */
    private void parseElement(CType type, int offset, List<InitItem> items) {
        if (!(type instanceof ArrayType) && !(type instanceof StructType)) {
            parseScalar(type, offset, items);
            return;
        }
        if (pendingValue == null && tokens.at("{")) {
            parseInitializer(type, offset, items);
            return;
        }
        if (type instanceof ArrayType array && TypeRules.isCharType(array.element())) {
            if (pendingValue instanceof Expr.StringLiteral literal) {
                pendingValue = null;
                parseStringBytes(array, offset, literal.bytes(), literal.location(), items);
                return;
            }
            if (pendingValue == null && tokens.peek().kind() == TokenKind.STRING) {
                parseStringInitializer(array, offset, tokens.next(), items);
                return;
            }
        }
        Token first = tokens.peek();
        parser.enterNesting(first);
        try {
            if (type instanceof StructType struct) {
                if (pendingValue == null) {
                    pendingValue = parser.expressions.parseAssignment();
                }
                if (pendingValue.type() instanceof StructType && pendingValue.type().sameAs(struct)) {
                    Expr value = pendingValue;
                    pendingValue = null;
                    parseStructValue(struct, offset, items, value);
                    return;
                }
                parseStructMembers(struct, offset, items, false);
            } else {
                parseArrayElements((ArrayType) type, offset, items, false);
            }
        } finally {
            parser.exitNesting();
        }
    }

    /** Adds the one item that copies a whole struct value into a struct. */
    private void parseStructValue(StructType struct, int offset, List<InitItem> items, Expr value) {
        Expr converted = rules.convertForAssignment(value, struct, TypeRules.AssignmentContext.INITIALIZING,
                value.location());
        if (staticStorage && !rules.isError(converted)) {
            parser.typeError(value.location(), "initializer element is not a compile-time constant");
        }
        items.add(new InitItem(offset, struct.unqualified(), converted));
    }

    private void parseScalar(CType type, int offset, List<InitItem> items) {
        Expr value = pendingValue != null ? pendingValue : parser.expressions.parseAssignment();
        pendingValue = null;
        Expr converted = rules.convertForAssignment(value, type, TypeRules.AssignmentContext.INITIALIZING,
                value.location());
        if (staticStorage && !rules.isError(converted)) {
            try {
                Expr folded = ConstantEvaluator.foldStaticInitializer(converted);
                if (folded == null) {
                    parser.typeError(value.location(), "initializer element is not a compile-time constant");
                } else {
                    converted = folded;
                }
            } catch (ConstantEvaluator.InvalidConstant invalid) {
                parser.typeError(invalid.location, invalid.getMessage());
            }
        }
        items.add(new InitItem(offset, type.unqualified(), converted));
    }

    private int parseStringInitializer(ArrayType array, int offset, Token string, List<InitItem> items) {
        String bytes = string.stringValue() == null ? "" : string.stringValue();
        return parseStringBytes(array, offset, bytes, string.location(), items);
    }

    /**
     * A char array initialized from a string literal: one item per byte before the NUL. The NUL is
     * stored only when it fits, as C allows {@code char s[3] = "abc"}. Returns the element count.
     */
    private int parseStringBytes(ArrayType array, int offset, String bytes,
            org.kplugins.kpc.diagnostics.SourceLocation location, List<InitItem> items) {
        int length = array.length() < 0 ? bytes.length() + 1 : array.length();
        if (bytes.length() > length) {
            parser.typeError(location, "initializer-string for char array is too long (" + bytes.length()
                    + " chars for " + length + " elements)");
        }
        IntegerType element = (IntegerType) array.element().unqualified();
        int stored = Math.min(bytes.length(), length);
        for (int i = 0; i < stored; i++) {
            long value = ConstantEvaluator.normalize(bytes.charAt(i), element);
            items.add(new InitItem(offset + i, element, new Expr.IntConstant(element, value, location)));
        }
        return length;
    }

    private void rejectDesignator() {
        if (tokens.at("[") || tokens.at(".") && pendingValue == null) {
            throw tokens.syntaxError(tokens.peek(), "designated initializers are not supported in KPC");
        }
    }

    /** Skips to the '}' that ends the current list, without consuming it. */
    private void skipRestOfList() {
        int depth = 0;
        while (!tokens.atEof()) {
            Token token = tokens.peek();
            if (token.is("{") || token.is("(") || token.is("[")) {
                depth++;
            } else if (token.is(")") || token.is("]")) {
                depth = Math.max(0, depth - 1);
            } else if (token.is("}")) {
                if (depth == 0) {
                    return;
                }
                depth--;
            }
            tokens.next();
        }
    }
}
