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

    /**
     * The most elements an initializer may give an array of unknown size, which bounds the size
     * that a designator such as {@code [100000000] = 1} could otherwise give it.
     */
    static final int MAX_INITIALIZED_ELEMENTS = 1 << 24;

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
        // A compound literal inside an initializer starts a nested one, so the state is restored after it.
        boolean outerStaticStorage = staticStorage;
        Expr outerPendingValue = pendingValue;
        staticStorage = isStatic;
        pendingValue = null;
        try {
            return parseVariableInitializer(variable, type);
        } finally {
            staticStorage = outerStaticStorage;
            pendingValue = outerPendingValue;
        }
    }

    private List<InitItem> parseVariableInitializer(Variable variable, CType type) {
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
                removeItemsWithin(items, offset, array.size());
                int count = parseArrayElements(array, offset, items, true, false);
                tokens.expectClosing("}", first);
                return count;
            }
            if (type instanceof StructType struct) {
                if (first.is("{")) {
                    tokens.next();
                    removeItemsWithin(items, offset, struct.size());
                    parseStructMembers(struct, offset, items, true, false);
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
                if (atDesignator()) {
                    parser.typeError(tokens.peek().location(), "designator in initializer for scalar type '"
                            + type.spelling() + "'");
                    skipRestOfList();
                    tokens.expectClosing("}", first);
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
     * Parses the elements of an array initializer list and returns how many elements it covers:
     * one past the highest index initialized. With {@code braced} false the list is the enclosing
     * one (brace elision), so reading stops once the array is full, before the ',' that separates
     * it from the next element, or at a designator, which belongs to the enclosing braced list.
     * With {@code designated} true the list starts with the rest of a designator chain
     * ({@code [2] = x} after {@code [1]} in {@code [1][2] = x}), and the elements after it follow
     * positionally, as C continues after the innermost designated object.
     */
    private int parseArrayElements(ArrayType array, int offset, List<InitItem> items, boolean braced,
            boolean designated) {
        CType element = array.element();
        int index = 0;
        int count = 0;
        boolean first = true;
        while (true) {
            if (tokens.at("}") && pendingValue == null) {
                break;
            }
            if (atDesignator()) {
                if (!braced && !(designated && first)) {
                    break;
                }
                Integer found = parseArrayDesignator(array);
                if (found == null) {
                    skipRestOfList();
                    break;
                }
                index = found;
                parseDesignatedElement(element, offset + index * element.size(), items);
            } else {
                boolean full = array.length() >= 0 && index >= array.length();
                if (full) {
                    if (braced) {
                        parser.typeError(tokens.peek().location(), "excess elements in array initializer");
                        skipRestOfList();
                    }
                    break;
                }
                if (index >= MAX_INITIALIZED_ELEMENTS) {
                    parser.typeError(tokens.peek().location(), "initializer list is too long: KPC allows at most "
                            + MAX_INITIALIZED_ELEMENTS + " elements in an array of unknown size");
                    skipRestOfList();
                    break;
                }
                parseElement(element, offset + index * element.size(), items);
            }
            first = false;
            index++;
            count = Math.max(count, index);
            if (!continueList(braced, array.length() >= 0 && index >= array.length())) {
                break;
            }
        }
        return count;
    }

    /**
     * Parses the members of a struct initializer list, braced or elided, and starting with the
     * rest of a designator chain or not, as for arrays. A union takes one initializer: the first
     * member's, or the designated member's. A designator for another member replaces it, so the
     * union then holds only the last member initialized, with its other bytes zero.
     */
    private void parseStructMembers(StructType struct, int offset, List<InitItem> items, boolean braced,
            boolean designated) {
        List<StructType.Member> members = struct.members();
        int index = 0;
        boolean first = true;
        while (true) {
            if (tokens.at("}") && pendingValue == null) {
                break;
            }
            if (atDesignator()) {
                if (!braced && !(designated && first)) {
                    break;
                }
                Integer found = parseMemberDesignator(struct);
                if (found == null) {
                    skipRestOfList();
                    break;
                }
                index = found;
                StructType.Member member = members.get(index);
                if (struct.isUnion()) {
                    removeItemsWithin(items, offset, struct.size());
                }
                if (member.isBitField()) {
                    parseDesignatedBitField(member, offset, items);
                } else {
                    parseDesignatedElement(member.type(), offset + member.offset(), items);
                }
            } else {
                if (index >= members.size() || struct.isUnion() && !first) {
                    if (braced) {
                        parser.typeError(tokens.peek().location(), "excess elements in " + struct.keyword()
                                + " initializer");
                        skipRestOfList();
                    }
                    break;
                }
                StructType.Member member = members.get(index);
                if (member.isBitField()) {
                    parseBitField(member, offset, items);
                } else {
                    parseElement(member.type(), offset + member.offset(), items);
                }
            }
            first = false;
            index++;
            if (!continueList(braced, index >= members.size() || struct.isUnion())) {
                break;
            }
        }
    }

    /** Whether the cursor is at a designator: {@code [index]} or {@code .member}. */
    private boolean atDesignator() {
        return pendingValue == null && (tokens.at("[") || tokens.at("."));
    }

    /**
     * Reads one designator of an object of array type {@code array}: {@code [constant]}. Returns
     * the index, or null after reporting an error.
     */
    private Integer parseArrayDesignator(ArrayType array) {
        Token open = tokens.next();
        if (open.is(".")) {
            parser.typeError(open.location(), "field designator cannot initialize a non-struct type '"
                    + array.spelling() + "'");
            return null;
        }
        Expr indexExpression = parser.expressions.parseConditional();
        tokens.expectClosing("]", open);
        Long value = parser.expressions.requireIntegerConstant(indexExpression);
        if (value == null) {
            return null;
        }
        IntegerType indexType = (IntegerType) indexExpression.type();
        boolean negative = value < 0 && (indexType.isSigned() || indexType.is64Bit());
        if (negative) {
            parser.typeError(indexExpression.location(), "array designator value '" + value + "' is negative");
            return null;
        }
        if (array.length() >= 0 && value >= array.length()) {
            parser.typeError(indexExpression.location(), "array designator index (" + value
                    + ") exceeds array bounds (" + array.length() + ")");
            return null;
        }
        if (value >= MAX_INITIALIZED_ELEMENTS) {
            parser.typeError(indexExpression.location(), "array designator index (" + value
                    + ") is too large: KPC allows at most " + MAX_INITIALIZED_ELEMENTS
                    + " elements in an array of unknown size");
            return null;
        }
        return value.intValue();
    }

    /**
     * Reads one designator of an object of struct type {@code struct}: {@code .member}. Returns
     * the member's index, or null after reporting an error.
     */
    private Integer parseMemberDesignator(StructType struct) {
        Token dot = tokens.next();
        if (dot.is("[")) {
            parser.typeError(dot.location(), "array designator cannot initialize non-array type '"
                    + struct.spelling() + "'");
            return null;
        }
        Token name = tokens.peek();
        if (!TokenCursor.isName(name)) {
            throw tokens.syntaxError(name, "expected a field designator, such as '.field = 4'");
        }
        tokens.next();
        List<StructType.Member> members = struct.members();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).name().equals(name.text())) {
                return i;
            }
        }
        parser.typeError(name.location(), "field designator '" + name.text() + "' does not refer to any field in type '"
                + struct.unqualified().spelling() + "'");
        return null;
    }

    /**
     * Parses what follows a designator for an object of {@code type} at {@code offset}: more
     * designators, which go on into the object, or {@code =} and its initializer. A brace list
     * or a whole value given this way replaces what earlier initializers stored in the object.
     */
    private void parseDesignatedElement(CType type, int offset, List<InitItem> items) {
        if (atDesignator()) {
            if (type instanceof ArrayType array) {
                parseArrayElements(array, offset, items, false, true);
                return;
            }
            if (type instanceof StructType struct) {
                parseStructMembers(struct, offset, items, false, true);
                return;
            }
            Token designator = tokens.peek();
            parser.typeError(designator.location(), (designator.is("[") ? "array" : "field")
                    + " designator cannot initialize a value of scalar type '" + type.spelling() + "'");
            skipRestOfList();
            return;
        }
        tokens.expect("=", "after the designator; write '.member = value' or '[index] = value'");
        if (type instanceof ArrayType || type instanceof StructType) {
            removeItemsWithin(items, offset, type.size());
        }
        parseElement(type, offset, items);
    }

    /** Parses what follows the designator of a bit-field member: '=' and its value. */
    private void parseDesignatedBitField(StructType.Member member, int structOffset, List<InitItem> items) {
        if (atDesignator()) {
            Token designator = tokens.peek();
            parser.typeError(designator.location(), (designator.is("[") ? "array" : "field")
                    + " designator cannot initialize a value of scalar type '" + member.type().spelling() + "'");
            skipRestOfList();
            return;
        }
        tokens.expect("=", "after the designator; write '.member = value' or '[index] = value'");
        parseBitField(member, structOffset, items);
    }

    /** Parses the value of a bit-field member of the struct at {@code structOffset}. */
    private void parseBitField(StructType.Member member, int structOffset, List<InitItem> items) {
        List<InitItem> scalar = new ArrayList<>();
        CType valueType = ExpressionParser.bitFieldValueType(member);
        parseScalar(valueType, 0, scalar);
        for (InitItem item : scalar) {
            items.add(new InitItem(structOffset + member.offset(), valueType, item.value(), member.bitField()));
        }
    }

    /**
     * Removes the items that store into the {@code size} bytes at {@code offset}, which a later
     * initializer of that whole object replaces: C initializes every member that the later brace
     * list leaves out to zero, whatever an earlier initializer stored there.
     */
    private static void removeItemsWithin(List<InitItem> items, int offset, int size) {
        items.removeIf(item -> item.offset() >= offset && item.offset() < offset + size);
    }

    /**
     * Consumes the ',' after an element and returns whether the list goes on. An elided list
     * that is full, or whose ',' ends the enclosing list, leaves the ',' to the enclosing list.
     * So does an elided list whose ',' comes before a designator: C11 6.7.9 applies a designator
     * to the current object of the innermost brace list, so it ends every elided sub-object, and
     * the braced list reads it after its own ','.
     */
    private boolean continueList(boolean braced, boolean full) {
        if (braced) {
            return tokens.accept(",");
        }
        if (full || !tokens.at(",") || tokens.peek(1).is("}") || tokens.peek(1).is("[") || tokens.peek(1).is(".")) {
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
                parseStructMembers(struct, offset, items, false, false);
            } else {
                parseArrayElements((ArrayType) type, offset, items, false, false);
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
