// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.diagnostics.Diagnostic;
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
 * Parses the type part of declarations: declaration specifiers, declarators, struct and enum
 * specifiers, parameter lists and type names. KPC's restrictions on types (no long double, no
 * struct and union parameters) are reported here.
 */
final class DeclarationParser {

    enum StorageClass {
        NONE,
        TYPEDEF,
        EXTERN,
        STATIC
    }

    /** Whether a declarator must, may or must not name something. */
    enum DeclaratorKind {
        NAMED,
        ABSTRACT,
        EITHER
    }

    record Specifiers(CType type, StorageClass storage, Token first) {
    }

    /** A parameter after adjustment: arrays became pointers. {@code name} is null when omitted. */
    record Parameter(String name, CType type, SourceLocation location) {
    }

    /**
     * A parsed declarator. {@code parameters} contains the named parameters when the declarator
     * declares a function, and is empty otherwise. {@code location} is the name's, or the first
     * token's for an abstract declarator.
     */
    record Declarator(String name, CType type, List<Parameter> parameters, SourceLocation location) {
    }

    private record ParameterList(List<Parameter> parameters, boolean variadic) {
    }

    private static final Set<String> TYPE_KEYWORDS = Set.of("void", "_Bool", "char", "short", "int", "long",
            "signed", "unsigned", "float", "double", "struct", "union", "enum", "_Complex", "_Atomic");
    private static final Set<String> QUALIFIERS = Set.of("const", "volatile", "restrict", "__restrict");
    private static final Set<String> OTHER_SPECIFIERS = Set.of("typedef", "extern", "static", "auto", "register",
            "inline", "_Noreturn", "_Thread_local", "_Alignas");

    private final Parser parser;
    private final TokenCursor tokens;
    /** The nesting depth of each completed struct's type, used to bound type depth. */
    private final Map<StructType, Integer> structDepths = new IdentityHashMap<>();
    /** The enum tags whose enumerator list has been read, to report a second definition. */
    private final Set<Scope.EnumTag> definedEnums = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    DeclarationParser(Parser parser) {
        this.parser = parser;
        this.tokens = parser.tokens;
    }

    /** Returns whether {@code token} can start a type name: a type keyword, a qualifier or a typedef name. */
    boolean isTypeNameStart(Token token) {
        if (token.kind() != TokenKind.IDENTIFIER) {
            return false;
        }
        return TYPE_KEYWORDS.contains(token.text()) || QUALIFIERS.contains(token.text())
                || parser.scope.lookup(token.text()) instanceof Scope.TypedefName;
    }

    /**
     * Whether {@code token} starts a declaration. An unknown name followed by another name, as in
     * {@code uint8 x}, counts too, so that it is reported as an unknown type name.
     */
    boolean isDeclarationStart(Token token) {
        if (isTypeNameStart(token) || token.kind() == TokenKind.IDENTIFIER && OTHER_SPECIFIERS.contains(token.text())) {
            return true;
        }
        return isUnknownTypeName(token);
    }

    private boolean isUnknownTypeName(Token token) {
        return TokenCursor.isName(token) && parser.scope.lookup(token.text()) == null
                && tokens.peek() == token && TokenCursor.isName(tokens.peek(1));
    }

    // Declaration specifiers.

    /** declaration-specifiers: storage classes, qualifiers and type specifiers in any order. */
    Specifiers parseDeclarationSpecifiers(boolean storageAllowed) {
        Token first = tokens.peek();
        SpecifierCounts counts = new SpecifierCounts();
        StorageClass storage = StorageClass.NONE;
        Token storageToken = null;
        CType namedType = null;
        boolean isConst = false;
        boolean sawAny = false;
        while (true) {
            Token token = tokens.peek();
            if (token.kind() != TokenKind.IDENTIFIER) {
                break;
            }
            String word = token.text();
            if (word.equals("typedef") || word.equals("extern") || word.equals("static")) {
                tokens.next();
                if (!storageAllowed) {
                    parser.typeError(token.location(), "invalid storage class specifier '" + word + "' here");
                } else if (storage != StorageClass.NONE) {
                    parser.typeError(token.location(), "cannot combine with previous '" + storageToken.text()
                            + "' declaration specifier");
                } else {
                    storage = StorageClass.valueOf(word.toUpperCase(java.util.Locale.ROOT));
                    storageToken = token;
                }
            } else if (word.equals("auto") || word.equals("register") || word.equals("inline")
                    || word.equals("_Noreturn") || word.equals("volatile") || word.equals("restrict")
                    || word.equals("__restrict")) {
                // Accepted and ignored: they do not change what a KPC program computes.
                tokens.next();
            } else if (word.equals("const")) {
                tokens.next();
                isConst = true;
            } else if (word.equals("_Atomic") || word.equals("_Thread_local") || word.equals("_Alignas")
                    || word.equals("_Complex")) {
                throw tokens.syntaxError(token, "'" + word + "' is not supported in KPC");
            } else if (word.equals("struct") || word.equals("union") || word.equals("enum")) {
                if (counts.any() || namedType != null) {
                    parser.typeError(token.location(), "cannot combine with previous declaration specifier");
                }
                namedType = word.equals("enum") ? parseEnumSpecifier() : parseStructSpecifier();
            } else if (TYPE_KEYWORDS.contains(word)) {
                tokens.next();
                if (namedType != null) {
                    parser.typeError(token.location(), "cannot combine with previous '" + namedType.spelling()
                            + "' declaration specifier");
                } else {
                    counts.add(token, word, parser);
                }
            } else if (namedType == null && !counts.any()
                    && parser.scope.lookup(word) instanceof Scope.TypedefName typedef) {
                tokens.next();
                namedType = typedef.type();
            } else if (namedType == null && !counts.any() && TokenCursor.isName(token)
                    && parser.scope.lookup(word) == null && TokenCursor.isName(tokens.peek(1))) {
                tokens.next();
                parser.typeError(token.location(), "unknown type name '" + word + "'");
                namedType = IntegerType.INT;
            } else {
                break;
            }
            sawAny = true;
        }
        if (!sawAny) {
            throw tokens.syntaxError(first, "expected a type");
        }
        CType type = namedType != null ? namedType : counts.type(first, parser);
        if (isConst) {
            type = type.withConst(true);
        }
        return new Specifiers(type, storage, first);
    }

    /** Counts the type-specifier keywords of one declaration and checks each new one against the others. */
    private static final class SpecifierCounts {
        private final Map<String, Integer> counts = new java.util.HashMap<>();
        private String last;

        boolean any() {
            return !counts.isEmpty();
        }

        int count(String word) {
            return counts.getOrDefault(word, 0);
        }

        void add(Token token, String word, Parser parser) {
            counts.merge(word, 1, Integer::sum);
            if (!valid()) {
                counts.merge(word, -1, Integer::sum);
                counts.values().removeIf(c -> c == 0);
                parser.typeError(token.location(), "cannot combine with previous '" + last + "' declaration specifier");
                return;
            }
            last = word;
        }

        private boolean valid() {
            int total = counts.values().stream().mapToInt(Integer::intValue).sum();
            int signs = count("signed") + count("unsigned");
            if (count("signed") > 1 || count("unsigned") > 1 || signs > 1 || count("void") > 1 || count("_Bool") > 1
                    || count("char") > 1 || count("short") > 1 || count("int") > 1 || count("long") > 2
                    || count("float") > 1 || count("double") > 1) {
                return false;
            }
            if (count("void") == 1 || count("_Bool") == 1 || count("float") == 1) {
                return total == 1;
            }
            if (count("double") == 1) {
                // long double is valid C; type() rejects it with its own message.
                return total == 1 || total == 2 && count("long") == 1;
            }
            if (count("char") == 1) {
                return count("short") + count("int") + count("long") == 0;
            }
            return count("short") == 0 || count("long") == 0;
        }

        /** Returns the type the counted keywords spell. */
        CType type(Token first, Parser parser) {
            if (!any()) {
                parser.typeError(first.location(),
                        "type specifier missing, defaults to 'int'; ISO C99 and later do not support implicit int");
                return IntegerType.INT;
            }
            boolean unsigned = count("unsigned") == 1;
            if (count("void") == 1) {
                return VoidType.VOID;
            }
            if (count("_Bool") == 1) {
                return IntegerType.BOOL;
            }
            if (count("float") == 1) {
                return FloatingType.FLOAT;
            }
            if (count("double") == 1) {
                if (count("long") == 1) {
                    parser.typeError(first.location(), "long double is not supported in KPC; use double");
                }
                return FloatingType.DOUBLE;
            }
            if (count("char") == 1) {
                return unsigned ? IntegerType.UCHAR : count("signed") == 1 ? IntegerType.SCHAR : IntegerType.CHAR;
            }
            if (count("short") == 1) {
                return unsigned ? IntegerType.USHORT : IntegerType.SHORT;
            }
            if (count("long") == 2) {
                return unsigned ? IntegerType.ULLONG : IntegerType.LLONG;
            }
            if (count("long") == 1) {
                return unsigned ? IntegerType.ULONG : IntegerType.LONG;
            }
            return unsigned ? IntegerType.UINT : IntegerType.INT;
        }
    }

    // Declarators.

    /**
     * declarator: pointer* direct-declarator, where direct-declarator is a name or a parenthesized
     * declarator followed by array and function suffixes. A parenthesized declarator binds tighter
     * than the suffixes, so the suffixes are read first and the inner declarator is then parsed
     * with the type they produce.
     */
    Declarator parseDeclarator(CType base, DeclaratorKind kind) {
        Token first = tokens.peek();
        parser.enterNesting(first);
        try {
            CType type = base;
            while (tokens.at("*")) {
                tokens.next();
                type = new PointerType(type);
                while (tokens.peek().kind() == TokenKind.IDENTIFIER && QUALIFIERS.contains(tokens.peek().text())) {
                    if (tokens.next().text().equals("const")) {
                        type = type.withConst(true);
                    }
                }
            }
            if (tokens.at("(") && isNestedDeclarator(kind)) {
                return parseNestedDeclarator(type, kind);
            }
            String name = null;
            SourceLocation location = tokens.peek().location();
            if (TokenCursor.isName(tokens.peek())) {
                if (kind == DeclaratorKind.ABSTRACT) {
                    throw tokens.syntaxError(tokens.peek(), "expected ')'");
                }
                Token nameToken = tokens.next();
                name = nameToken.text();
                location = nameToken.location();
            } else if (kind == DeclaratorKind.NAMED) {
                throw tokens.syntaxError(tokens.peek(), "expected identifier or '('");
            }
            List<List<Parameter>> parameters = new ArrayList<>();
            type = parseDeclaratorSuffixes(type, parameters);
            type = checkTypeDepth(type, location);
            return new Declarator(name, type, parameters.isEmpty() ? List.of() : parameters.get(0), location);
        } finally {
            parser.exitNesting();
        }
    }

    /** Whether the '(' at the cursor opens a nested declarator rather than a parameter list. */
    private boolean isNestedDeclarator(DeclaratorKind kind) {
        Token next = tokens.peek(1);
        if (next.is("*") || next.is("(")) {
            return true;
        }
        return kind != DeclaratorKind.ABSTRACT && TokenCursor.isName(next)
                && !(parser.scope.lookup(next.text()) instanceof Scope.TypedefName);
    }

    private Declarator parseNestedDeclarator(CType type, DeclaratorKind kind) {
        Token open = tokens.next();
        int innerStart = tokens.position();
        int depth = 1;
        while (depth > 0) {
            if (tokens.atEof()) {
                throw tokens.syntaxError(tokens.peek(), "expected ')' to match this '(' at " + open.location().prefix());
            }
            Token token = tokens.next();
            if (token.is("(")) {
                depth++;
            } else if (token.is(")")) {
                depth--;
            }
        }
        List<List<Parameter>> outerParameters = new ArrayList<>();
        CType outer = parseDeclaratorSuffixes(type, outerParameters);
        int end = tokens.position();
        tokens.reset(innerStart);
        Declarator inner = parseDeclarator(outer, kind);
        tokens.expectClosing(")", open);
        tokens.reset(end);
        // In '(name)(int a)' the parentheses add nothing, so the parameter list after them is the
        // function's own. In '(*name(void))(int, int)' the inner declarator derives a type of its
        // own, and its empty list is the function's while the outer list belongs to the result.
        if (inner.type() == outer && !outerParameters.isEmpty() && inner.type() instanceof FunctionType) {
            return new Declarator(inner.name(), inner.type(), outerParameters.get(0), inner.location());
        }
        return inner;
    }

    /**
     * Array suffixes {@code [N]} and function suffixes {@code (parameters)} after a declarator's
     * name. Each suffix counts as one nesting level, because the suffixes after it are read by a
     * recursive call.
     */
    private CType parseDeclaratorSuffixes(CType type, List<List<Parameter>> parameters) {
        if (!tokens.at("[") && !tokens.at("(")) {
            return type;
        }
        parser.enterNesting(tokens.peek());
        try {
            return parseDeclaratorSuffix(type, parameters);
        } finally {
            parser.exitNesting();
        }
    }

    /** Reads the suffix at the cursor, which is '[' or '(', and the suffixes after it. */
    private CType parseDeclaratorSuffix(CType type, List<List<Parameter>> parameters) {
        if (tokens.at("[")) {
            Token open = tokens.next();
            long length = -1;
            if (!tokens.at("]")) {
                length = parseArraySize();
            }
            tokens.expectClosing("]", open);
            CType element = parseDeclaratorSuffixes(type, parameters);
            return makeArray(element, length, open.location());
        }
        if (tokens.at("(")) {
            Token open = tokens.next();
            ParameterList list = parseParameterList(open);
            parameters.add(list.parameters());
            CType returnType = parseDeclaratorSuffixes(type, new ArrayList<>());
            if (returnType instanceof FunctionType) {
                parser.typeError(open.location(), "function cannot return function type '" + returnType.spelling() + "'");
                returnType = IntegerType.INT;
            } else if (returnType instanceof ArrayType) {
                parser.typeError(open.location(), "function cannot return array type '" + returnType.spelling() + "'");
                returnType = IntegerType.INT;
            } else if (returnType instanceof StructType) {
                parser.typeError(open.location(),
                        "functions cannot return a struct by value in KPC; pass a pointer to the result instead");
            }
            List<CType> parameterTypes = new ArrayList<>();
            for (Parameter parameter : list.parameters()) {
                parameterTypes.add(parameter.type());
            }
            return new FunctionType(returnType.unqualified(), parameterTypes, list.variadic());
        }
        throw new IllegalStateException("no declarator suffix at " + tokens.peek());
    }

    private CType makeArray(CType element, long length, SourceLocation location) {
        if (element instanceof FunctionType) {
            parser.typeError(location, "declaration of an array of functions");
            return new ArrayType(IntegerType.INT, (int) Math.max(length, 1));
        }
        if (!element.isComplete()) {
            parser.typeError(location, "array has incomplete element type '" + element.spelling() + "'");
            return new ArrayType(IntegerType.INT, (int) Math.max(length, 1));
        }
        if (length >= 0 && length * element.size() > Integer.MAX_VALUE) {
            parser.typeError(location, "array is too large (" + length + " elements of " + element.size() + " bytes)");
            return new ArrayType(element, 1);
        }
        return new ArrayType(element, (int) length);
    }

    /** Reads the constant size of an array declarator; an error yields 1. */
    private long parseArraySize() {
        Expr size = parser.expressions.parseConditional();
        if (parser.rules.isError(size)) {
            return 1;
        }
        if (!(size.type() instanceof IntegerType type)) {
            parser.typeError(size.location(), "size of array has non-integer type '" + size.type().spelling() + "'");
            return 1;
        }
        Long value;
        try {
            value = ConstantEvaluator.evaluateChecked(size);
        } catch (ConstantEvaluator.InvalidConstant invalid) {
            parser.typeError(invalid.location, invalid.getMessage());
            return 1;
        }
        if (value == null) {
            parser.typeError(size.location(), "variable-length arrays are not supported in KPC");
            return 1;
        }
        if (type.isSigned() && value < 0 || type.is64Bit() && !type.isSigned() && value < 0) {
            parser.typeError(size.location(), "array size is negative");
            return 1;
        }
        if (value == 0) {
            parser.typeError(size.location(), "zero-length arrays are not supported in KPC");
            return 1;
        }
        return Math.min(value, Integer.MAX_VALUE + 1L);
    }

    /** parameter-type-list after the '(' has been read; consumes the ')'. */
    private ParameterList parseParameterList(Token open) {
        List<Parameter> parameters = new ArrayList<>();
        if (tokens.accept(")")) {
            // KPC reads an empty list as (void), as C23 does.
            return new ParameterList(parameters, false);
        }
        if (tokens.at("void") && tokens.peek(1).is(")")) {
            tokens.next();
            tokens.next();
            return new ParameterList(parameters, false);
        }
        boolean variadic = false;
        while (true) {
            if (tokens.at("...")) {
                Token ellipsis = tokens.next();
                if (parameters.isEmpty()) {
                    parser.typeError(ellipsis.location(), "ISO C requires a named parameter before '...'");
                }
                variadic = true;
                tokens.expectClosing(")", open);
                break;
            }
            if (!isDeclarationStart(tokens.peek())) {
                if (TokenCursor.isName(tokens.peek())) {
                    Token unknown = tokens.next();
                    parser.typeError(unknown.location(), "unknown type name '" + unknown.text() + "'");
                    parameters.add(new Parameter(null, IntegerType.INT, unknown.location()));
                } else {
                    throw tokens.syntaxError(tokens.peek(), "expected parameter declarator");
                }
            } else {
                parameters.add(parseParameter());
            }
            if (!tokens.accept(",")) {
                tokens.expectClosing(")", open);
                break;
            }
        }
        return new ParameterList(parameters, variadic);
    }

    private Parameter parseParameter() {
        Specifiers specifiers = parseDeclarationSpecifiers(false);
        Declarator declarator = parseDeclarator(specifiers.type(), DeclaratorKind.EITHER);
        CType type = declarator.type();
        SourceLocation location = declarator.location();
        if (type instanceof ArrayType array) {
            type = new PointerType(array.element());
        } else if (type instanceof FunctionType) {
            // A parameter of function type is a pointer to that function type, as in C.
            type = new PointerType(type);
        } else if (type instanceof StructType struct) {
            parser.typeError(location, struct.keyword() + " parameters are passed by pointer in KPC");
        } else if (type.isVoid()) {
            parser.typeError(location, "parameter has incomplete type 'void'");
            type = IntegerType.INT;
        }
        return new Parameter(declarator.name(), type, location);
    }

    /** type-name: specifiers and an abstract declarator, as in casts and sizeof. */
    CType parseTypeName() {
        Specifiers specifiers = parseDeclarationSpecifiers(false);
        return parseDeclarator(specifiers.type(), DeclaratorKind.ABSTRACT).type();
    }

    /** Declares a typedef name in the current scope. */
    void declareTypedef(Declarator declarator) {
        Object existing = parser.scope.lookupLocal(declarator.name());
        if (existing instanceof Scope.TypedefName old) {
            if (!old.type().sameAs(declarator.type()) || old.type().isConst() != declarator.type().isConst()) {
                parser.typeError(declarator.location(), "typedef redefinition with different types ('"
                        + declarator.type().spelling() + "' vs '" + old.type().spelling() + "')");
            }
            return;
        }
        if (existing != null) {
            parser.typeError(declarator.location(), "redefinition of '" + declarator.name()
                    + "' as different kind of symbol");
            return;
        }
        parser.scope.declare(declarator.name(), new Scope.TypedefName(declarator.type(), declarator.location()));
    }

    // Struct and enum specifiers.

    /** struct-or-union-specifier: {@code struct tag}, {@code struct tag { ... }} or {@code struct { ... }}. */
    private CType parseStructSpecifier() {
        Token keyword = tokens.next();
        boolean union = keyword.is("union");
        Token tagToken = TokenCursor.isName(tokens.peek()) ? tokens.next() : null;
        String tag = tagToken == null ? null : tagToken.text();
        if (!tokens.at("{")) {
            if (tag == null) {
                throw tokens.syntaxError(tokens.peek(), "expected identifier or '{' after '" + keyword.text() + "'");
            }
            Object found = tokens.at(";") ? parser.scope.lookupTagLocal(tag) : parser.scope.lookupTag(tag);
            if (found instanceof StructType struct && struct.isUnion() == union) {
                return struct;
            }
            if (found != null) {
                parser.typeError(tagToken.location(), "use of '" + tag + "' with tag type that does not match previous declaration");
                return new StructType(tag, union);
            }
            StructType struct = new StructType(tag, union);
            parser.scope.declareTag(tag, struct);
            return struct;
        }
        StructType struct = null;
        if (tag != null) {
            Object local = parser.scope.lookupTagLocal(tag);
            if (local instanceof StructType existing && existing.isUnion() != union) {
                parser.typeError(tagToken.location(), "use of '" + tag + "' with tag type that does not match previous declaration");
            } else if (local instanceof StructType existing && !existing.isDefined()) {
                struct = existing;
            } else if (local instanceof StructType) {
                parser.typeError(tagToken.location(), "redefinition of '" + keyword.text() + " " + tag + "'");
            } else if (local != null) {
                parser.typeError(tagToken.location(), "use of '" + tag + "' with tag type that does not match previous declaration");
            }
        }
        if (struct == null) {
            struct = new StructType(tag, union);
            if (tag != null && parser.scope.lookupTagLocal(tag) == null) {
                parser.scope.declareTag(tag, struct);
            }
        }
        // The nesting level is entered before the '{' is consumed, so that recovery from "nesting
        // too deep" skips the whole brace-enclosed member list.
        parser.enterNesting(tokens.peek());
        try {
            parseStructDeclarationList(struct, tokens.next());
        } finally {
            parser.exitNesting();
        }
        return struct;
    }

    /** struct-declaration-list between braces; the '{' is already read. Completes {@code struct}. */
    private void parseStructDeclarationList(StructType struct, Token open) {
        List<String> names = new ArrayList<>();
        List<CType> types = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (!tokens.at("}") && !tokens.atEof()) {
            try {
                parseStructDeclaration(names, types, widths, seen);
            } catch (ParseError e) {
                if (e.nestingTooDeep) {
                    throw e;
                }
                tokens.skipStatement();
            }
        }
        tokens.expectClosing("}", open);
        if (names.isEmpty()) {
            parser.typeError(open.location(), "empty " + struct.keyword() + "s are not supported in KPC");
            names.add("<empty>");
            types.add(IntegerType.CHAR);
            widths.add(null);
        }
        long size = 0;
        int depth = 0;
        for (CType type : types) {
            long end = StructType.alignUp((int) Math.min(size, Integer.MAX_VALUE), type.align()) + (long) type.size();
            size = struct.isUnion() ? Math.max(size, type.size()) : end;
            depth = Math.max(depth, typeDepth(type));
        }
        if (size > Integer.MAX_VALUE) {
            parser.typeError(open.location(), struct.keyword() + " is too large (" + size + " bytes)");
            names.clear();
            types.clear();
            widths.clear();
            names.add("<too large>");
            types.add(IntegerType.CHAR);
            widths.add(null);
        }
        struct.complete(names, types, widths);
        structDepths.put(struct, depth + 1);
    }

    /**
     * struct-declaration: specifiers and member declarators up to ';'. A member declarator may
     * have a bit-field width ({@code int flags : 3}), and a bit-field may have no name.
     */
    private void parseStructDeclaration(List<String> names, List<CType> types, List<Integer> widths,
            Set<String> seen) {
        if (!isDeclarationStart(tokens.peek())) {
            throw tokens.syntaxError(tokens.peek(), "expected member name or ';' after declaration specifiers");
        }
        Specifiers specifiers = parseDeclarationSpecifiers(false);
        if (tokens.at(";")) {
            Token semicolon = tokens.next();
            parser.typeError(semicolon.location(), specifiers.type() instanceof StructType struct
                    ? "anonymous " + struct.keyword() + " members are not supported in KPC"
                    : "declaration does not declare anything");
            return;
        }
        while (true) {
            Declarator declarator = tokens.at(":")
                    ? new Declarator(null, specifiers.type(), List.of(), tokens.peek().location())
                    : parseDeclarator(specifiers.type(), DeclaratorKind.NAMED);
            Integer width = null;
            boolean valid = true;
            if (tokens.at(":")) {
                tokens.next();
                width = parseBitFieldWidth(declarator);
                valid = width != null;
            }
            if (valid) {
                addMember(declarator, width, names, types, widths, seen);
            }
            if (!tokens.accept(",")) {
                break;
            }
        }
        tokens.expect(";", "at end of declaration list");
    }

    /**
     * Reads the width of a bit-field after its ':' and checks it against the declared type.
     * Returns the width in bits, or null after reporting an error.
     */
    private Integer parseBitFieldWidth(Declarator declarator) {
        Expr widthExpression = parser.expressions.parseConditional();
        Long value = parser.expressions.requireIntegerConstant(widthExpression);
        String name = declarator.name() == null ? "<anonymous>" : declarator.name();
        CType type = declarator.type();
        if (!(type instanceof IntegerType integer)) {
            parser.typeError(declarator.location(), "bit-field '" + name + "' has non-integral type '"
                    + type.spelling() + "'");
            return null;
        }
        if (value == null) {
            return null;
        }
        int typeBits = integer.isBool() ? 1 : 8 * integer.size();
        if (value < 0) {
            parser.typeError(widthExpression.location(), "bit-field '" + name + "' has negative width (" + value + ")");
            return null;
        }
        if (value == 0 && declarator.name() != null) {
            parser.typeError(declarator.location(), "named bit-field '" + name + "' has zero width");
            return null;
        }
        if (value > typeBits) {
            parser.typeError(widthExpression.location(), "width of bit-field '" + name + "' (" + value
                    + " bits) exceeds the width of its type (" + typeBits + " bit" + (typeBits == 1 ? "" : "s") + ")");
            return null;
        }
        return value.intValue();
    }

    /** Adds a member, or an unnamed bit-field, which takes bits but has a null name. */
    private void addMember(Declarator declarator, Integer width, List<String> names, List<CType> types,
            List<Integer> widths, Set<String> seen) {
        CType type = declarator.type();
        String name = declarator.name();
        if (name == null) {
            names.add(null);
            types.add(type.unqualified());
            widths.add(width);
            return;
        }
        if (type instanceof FunctionType) {
            parser.typeError(declarator.location(), "field '" + name + "' declared as a function");
            return;
        }
        if (type instanceof ArrayType array && array.length() < 0) {
            parser.typeError(declarator.location(), "flexible array members are not supported in KPC");
            return;
        }
        if (!type.isComplete()) {
            parser.typeError(declarator.location(), "field has incomplete type '" + type.spelling() + "'");
            return;
        }
        if (!seen.add(name)) {
            parser.typeError(declarator.location(), "duplicate member '" + name + "'");
            return;
        }
        names.add(name);
        types.add(type);
        widths.add(width);
    }

    /** enum-specifier: {@code enum tag} or {@code enum [tag] { enumerator-list }}. The type is int. */
    private CType parseEnumSpecifier() {
        Token keyword = tokens.next();
        Token tagToken = TokenCursor.isName(tokens.peek()) ? tokens.next() : null;
        String tag = tagToken == null ? null : tagToken.text();
        if (!tokens.at("{")) {
            if (tag == null) {
                throw tokens.syntaxError(tokens.peek(), "expected identifier or '{' after 'enum'");
            }
            Object found = parser.scope.lookupTag(tag);
            if (found instanceof StructType) {
                parser.typeError(tagToken.location(), "use of '" + tag + "' with tag type that does not match previous declaration");
            } else if (found == null) {
                parser.scope.declareTag(tag, new Scope.EnumTag(tag, tagToken.location()));
            }
            return IntegerType.INT;
        }
        if (tag != null) {
            Object local = parser.scope.lookupTagLocal(tag);
            if (local instanceof Scope.EnumTag enumTag && definedEnums.contains(enumTag)) {
                parser.typeError(tagToken.location(), "redefinition of 'enum " + tag + "'");
            } else if (local instanceof StructType) {
                parser.typeError(tagToken.location(), "use of '" + tag + "' with tag type that does not match previous declaration");
            }
            Scope.EnumTag defined = local instanceof Scope.EnumTag enumTag ? enumTag : new Scope.EnumTag(tag, tagToken.location());
            if (local == null) {
                parser.scope.declareTag(tag, defined);
            }
            definedEnums.add(defined);
        }
        parseEnumeratorList(tokens.next(), keyword);
        return IntegerType.INT;
    }

    /** enumerator-list between braces; the '{' is already read. */
    private void parseEnumeratorList(Token open, Token keyword) {
        long next = 0;
        boolean any = false;
        while (!tokens.at("}")) {
            Token name = tokens.peek();
            if (!TokenCursor.isName(name)) {
                throw tokens.syntaxError(name, "expected identifier");
            }
            tokens.next();
            long value = next;
            if (tokens.accept("=")) {
                Expr expression = parser.expressions.parseConditional();
                Long constant = parser.expressions.requireIntegerConstant(expression);
                if (constant != null) {
                    IntegerType type = (IntegerType) expression.type();
                    boolean fits = type.is64Bit() && !type.isSigned()
                            ? Long.compareUnsigned(constant, Integer.MAX_VALUE) <= 0
                            : constant >= Integer.MIN_VALUE && constant <= Integer.MAX_VALUE;
                    if (!fits) {
                        parser.typeError(expression.location(), "enumerator value is not representable in int");
                    } else {
                        value = constant;
                    }
                }
            } else if (value > Integer.MAX_VALUE) {
                parser.typeError(name.location(), "overflow in enumeration value");
                value = Integer.MIN_VALUE;
            }
            Object existing = parser.scope.lookupLocal(name.text());
            if (existing != null) {
                parser.typeError(name.location(), "redefinition of '" + name.text() + "'");
            } else {
                parser.scope.declare(name.text(), new Scope.EnumConstant(value, name.location()));
            }
            next = value + 1;
            any = true;
            if (!tokens.accept(",")) {
                break;
            }
        }
        tokens.expectClosing("}", open);
        if (!any) {
            parser.typeError(keyword.location(), "use of empty enum");
        }
    }

    /** _Static_assert ( constant-expression , string-literal ) ; */
    void parseStaticAssert() {
        Token keyword = tokens.next();
        Token open = tokens.expect("(", "after '_Static_assert'");
        Expr condition = parser.expressions.parseConditional();
        String message = "";
        if (tokens.accept(",")) {
            Token text = tokens.next();
            if (text.kind() != TokenKind.STRING) {
                throw tokens.syntaxError(text, "expected string literal");
            }
            message = text.stringValue();
        }
        tokens.expectClosing(")", open);
        tokens.expect(";", "after static_assert");
        Long value = parser.expressions.requireIntegerConstant(condition);
        if (value != null && value == 0) {
            parser.typeError(keyword.location(), "static assertion failed" + (message.isEmpty() ? "" : ": " + message));
        }
    }

    // Type depth: derived types nest through declarators, typedefs and struct members, and both
    // the type classes and later stages walk them recursively, so the depth is bounded.

    private CType checkTypeDepth(CType type, SourceLocation location) {
        if (typeDepth(type) > Parser.MAX_NESTING) {
            tokens.report(Diagnostic.Kind.TYPE, location, "type is nested too deeply: KPC allows at most "
                    + Parser.MAX_NESTING + " levels of pointers, arrays and structs");
            return IntegerType.INT;
        }
        return type;
    }

    private int typeDepth(CType type) {
        int depth = 0;
        CType current = type;
        while (true) {
            depth++;
            if (current instanceof PointerType pointer) {
                current = pointer.pointee();
            } else if (current instanceof ArrayType array) {
                current = array.element();
            } else if (current instanceof StructType struct) {
                return depth + structDepths.getOrDefault(struct.unqualified(), 0);
            } else if (current instanceof FunctionType function) {
                int inner = typeDepth(function.returnType());
                for (CType parameter : function.parameterTypes()) {
                    inner = Math.max(inner, typeDepth(parameter));
                }
                return depth + inner;
            } else {
                return depth;
            }
        }
    }
}
