// SPDX-License-Identifier: Apache-2.0
package org.kplugins.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.tck.LanguageProvider;
import org.graalvm.polyglot.tck.Snippet;
import org.graalvm.polyglot.tck.TypeDescriptor;
import org.kplugins.tck.ArgumentRules.Pointee;

/**
 * KPC's provider for Truffle's polyglot TCK. Every snippet is an exported function of a plugin:
 * evaluating a KPC source returns the plugin, whose members are its functions.
 *
 * <ul>
 *   <li>values: int, long long, unsigned int, char, _Bool, float and double results are numbers
 *       (among them NaN, an infinity, -0.0 and a subnormal); pointers, including a
 *       {@code const char *} to a string literal and a function pointer, are interop pointers, and
 *       NULL is also an interop null; an exported function is executable; a plugin is an object
 *       whose members are its functions;
 *   <li>expressions: every arithmetic, bitwise, shift, comparison and logical operator on int,
 *       unsigned int and long long, the unary operators, integer casts, and pointer comparison,
 *       arithmetic, difference, dereference and member access; the operators that take float and
 *       double operands (see {@link FloatingExpressions}), conversions between floating and
 *       integer types; and calls, comparisons and a conditional on function pointers;
 *   <li>statements: if, while, do-while, for with continue, switch with break, nested blocks and
 *       a void function;
 *   <li>scripts: small programs with recursion, structs, the heap, printk, floating arithmetic
 *       and a table of function pointers;
 *   <li>sources with syntax, lexical and type errors.
 * </ul>
 *
 * <p>KPC converts host values to C parameters as the language documents (see
 * {@link ArgumentRules}), so a snippet's parameter types list what a parameter can accept, and
 * its verifier expects an error exactly for the values that KPC rejects, and for plugin faults
 * such as a division by zero.
 */
public final class KpcTckLanguageProvider implements LanguageProvider {

    private static final String ID = "kpc";
    private static final String RESOURCES = "/org/kplugins/tck/";

    /** The binary operators and the name of the function that applies each one. */
    private static final String[][] BINARY_OPERATORS = {
        {"+", "add"}, {"-", "subtract"}, {"*", "multiply"}, {"/", "divide"}, {"%", "remainder"},
        {"&", "bit_and"}, {"|", "bit_or"}, {"^", "bit_xor"}, {"<<", "shift_left"}, {">>", "shift_right"},
        {"==", "equal"}, {"!=", "not_equal"}, {"<", "less"}, {"<=", "less_equal"}, {">", "greater"},
        {">=", "greater_equal"}, {"&&", "logical_and"}, {"||", "logical_or"},
    };

    private static final String[][] UNARY_OPERATORS = {{"-", "negate"}, {"~", "bit_not"}, {"!", "logical_not"}};

    /** The operand types of the operator snippets and the prefix of their function names. */
    private static final String[][] OPERAND_TYPES = {{"int", "int"}, {"unsigned int", "uint"}, {"long long", "llong"}};

    /** The targets of the cast snippets and their function names. */
    private static final String[][] CASTS = {
        {"char", "to_char"}, {"unsigned char", "to_uchar"}, {"short", "to_short"},
        {"unsigned short", "to_ushort"}, {"_Bool", "to_bool"}, {"int", "to_int"}, {"unsigned int", "to_uint"},
    };

    private static final String POINTER_EXPRESSIONS = """
            struct point { int x; int y; };

            int pointer_equal(const void *a, const void *b) { return a == b; }

            int pointer_not(const void *p) { return !p; }

            const char *pointer_add(const char *p, int n) { return p + n; }

            int pointer_difference(const int *a, const int *b) { return a - b; }

            int dereference(const int *p) { return *p; }

            int member_of(const struct point *p) { return p->y; }

            int string_length(const char *s) {
                int n = 0;
                while (s[n] != 0)
                    n++;
                return n;
            }
            """;

    private static final Predicate<Value> INTEGER = ArgumentRules::acceptsInteger;
    private static final Predicate<String> NO_FAULT = kind -> false;
    private static final Predicate<String> DIVIDE_FAULT = kind -> kind.equals("DIVIDE_ERROR");
    private static final Predicate<String> MEMORY_FAULT = kind -> kind.startsWith("PAGE_") || kind.equals("GENERAL_PROTECTION");
    private static final Predicate<String> FUNCTION_POINTER_FAULT = kind -> kind.equals("INVALID_FUNCTION_POINTER");

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Value createIdentityFunction(Context context) {
        return eval(context, "identity.kpc", resource("identity.kpc")).getMember("identity");
    }

    /**
     * KPC has no dynamic type, so the identity function takes a long long. It is checked with
     * every number: an integral number that fits in 64 bits comes back unchanged, and KPC rejects
     * a number that is not integral, as it does for every integer parameter. A double identity
     * would instead round the longs above 2^53 that the host values include.
     */
    @Override
    public Snippet createIdentityFunctionSnippet(Context context) {
        return Snippet.newBuilder("identity", createIdentityFunction(context), TypeDescriptor.NUMBER)
                        .parameterTypes(TypeDescriptor.NUMBER).resultVerifier(Verifiers.identity()).build();
    }

    @Override
    public Collection<? extends Snippet> createValueConstructors(Context context) {
        Value plugin = eval(context, "values.kpc", resource("values.kpc"));
        List<Snippet> values = new ArrayList<>();
        values.add(value("int", plugin, "int_value", TypeDescriptor.NUMBER));
        values.add(value("long long", plugin, "long_long_value", TypeDescriptor.NUMBER));
        values.add(value("unsigned int", plugin, "unsigned_value", TypeDescriptor.NUMBER));
        values.add(value("char", plugin, "char_value", TypeDescriptor.NUMBER));
        values.add(value("_Bool", plugin, "bool_value", TypeDescriptor.NUMBER));
        values.add(value("int *", plugin, "pointer_value", TypeDescriptor.NATIVE_POINTER));
        values.add(value("NULL", plugin, "null_value", TypeDescriptor.intersection(TypeDescriptor.NULL,
                        TypeDescriptor.NATIVE_POINTER)));
        values.add(value("const char *", plugin, "string_value", TypeDescriptor.NATIVE_POINTER));
        values.add(value("float", plugin, "float_value", TypeDescriptor.NUMBER));
        values.add(value("double", plugin, "double_value", TypeDescriptor.NUMBER));
        values.add(value("double 0.1", plugin, "double_fraction_value", TypeDescriptor.NUMBER));
        values.add(value("double 2^53", plugin, "double_integral_value", TypeDescriptor.NUMBER));
        values.add(value("double -0.0", plugin, "double_negative_zero_value", TypeDescriptor.NUMBER));
        values.add(value("double subnormal", plugin, "double_subnormal_value", TypeDescriptor.NUMBER));
        values.add(value("double NaN", plugin, "double_nan_value", TypeDescriptor.NUMBER));
        values.add(value("float infinity", plugin, "float_infinity_value", TypeDescriptor.NUMBER));
        values.add(value("function pointer", plugin, "function_pointer_value", TypeDescriptor.NATIVE_POINTER));

        Value add = plugin.getMember("add");
        values.add(Snippet.newBuilder("int (*)(int, int)", context.asValue((ProxyExecutable) arguments -> add),
                        TypeDescriptor.executable(TypeDescriptor.NUMBER, false, ArgumentRules.INTEGER,
                                        ArgumentRules.INTEGER)).build());
        values.add(Snippet.newBuilder("plugin", context.asValue((ProxyExecutable) arguments -> plugin),
                        TypeDescriptor.OBJECT).build());
        return values;
    }

    private static Snippet value(String id, Value plugin, String function, TypeDescriptor type) {
        return Snippet.newBuilder(id, plugin.getMember(function), type).build();
    }

    @Override
    public Collection<? extends Snippet> createExpressions(Context context) {
        List<Snippet> expressions = new ArrayList<>();
        Value operators = eval(context, "operators.kpc", operatorSource());
        for (String[] operand : OPERAND_TYPES) {
            for (String[] operator : BINARY_OPERATORS) {
                boolean divides = operator[0].equals("/") || operator[0].equals("%");
                expressions.add(integerExpression(operand[0] + " " + operator[0],
                                operators.getMember(operand[1] + "_" + operator[1]), 2, divides ? DIVIDE_FAULT : NO_FAULT));
            }
            for (String[] operator : UNARY_OPERATORS) {
                expressions.add(integerExpression(operand[0] + " unary " + operator[0],
                                operators.getMember(operand[1] + "_" + operator[1]), 1, NO_FAULT));
            }
        }
        for (String[] cast : CASTS) {
            expressions.add(integerExpression("(" + cast[0] + ")", operators.getMember(cast[1]), 1, NO_FAULT));
        }

        Value pointers = eval(context, "pointers.kpc", POINTER_EXPRESSIONS);
        expressions.add(pointerExpression("pointer ==", pointers.getMember("pointer_equal"), TypeDescriptor.NUMBER,
                        NO_FAULT, Pointee.OTHER, Pointee.OTHER));
        expressions.add(pointerExpression("pointer !", pointers.getMember("pointer_not"), TypeDescriptor.NUMBER,
                        NO_FAULT, Pointee.OTHER));
        expressions.add(pointerExpression("pointer -", pointers.getMember("pointer_difference"), TypeDescriptor.NUMBER,
                        NO_FAULT, Pointee.INTEGER, Pointee.INTEGER));
        expressions.add(pointerExpression("*", pointers.getMember("dereference"), TypeDescriptor.NUMBER,
                        MEMORY_FAULT, Pointee.INTEGER));
        expressions.add(pointerExpression("->", pointers.getMember("member_of"), TypeDescriptor.NUMBER,
                        MEMORY_FAULT, Pointee.OTHER));
        expressions.add(pointerExpression("strlen", pointers.getMember("string_length"), TypeDescriptor.NUMBER,
                        MEMORY_FAULT, Pointee.CHAR));
        List<TypeDescriptor> pointerAndInteger = List.of(ArgumentRules.pointer(Pointee.CHAR), ArgumentRules.INTEGER);
        expressions.add(Snippet.newBuilder("pointer +", pointers.getMember("pointer_add"), TypeDescriptor.NATIVE_POINTER)
                        .parameterTypes(pointerAndInteger.toArray(new TypeDescriptor[0]))
                        .resultVerifier(Verifiers.arguments(pointerAndInteger, List.of(pointerRule(Pointee.CHAR), INTEGER),
                                        NO_FAULT))
                        .build());

        expressions.addAll(FloatingExpressions.create(context));
        expressions.addAll(functionPointerExpressions(context));
        return expressions;
    }

    private List<Snippet> functionPointerExpressions(Context context) {
        Value plugin = eval(context, "function_pointers.kpc", resource("function_pointers.kpc"));
        List<Snippet> expressions = new ArrayList<>();
        expressions.add(Snippet.newBuilder("function pointer ?:", plugin.getMember("select_operation"),
                        TypeDescriptor.NATIVE_POINTER).parameterTypes(ArgumentRules.INTEGER)
                        .resultVerifier(Verifiers.arguments(List.of(ArgumentRules.INTEGER), List.of(INTEGER), NO_FAULT))
                        .build());
        List<TypeDescriptor> callTypes = List.of(ArgumentRules.pointer(Pointee.OTHER), ArgumentRules.INTEGER,
                        ArgumentRules.INTEGER);
        expressions.add(Snippet.newBuilder("call through function pointer", plugin.getMember("call_operation"),
                        TypeDescriptor.NUMBER).parameterTypes(callTypes.toArray(new TypeDescriptor[0]))
                        .resultVerifier(Verifiers.arguments(callTypes, List.of(pointerRule(Pointee.OTHER), INTEGER, INTEGER),
                                        FUNCTION_POINTER_FAULT))
                        .build());
        expressions.add(pointerExpression("function pointer ==", plugin.getMember("operation_equal"),
                        TypeDescriptor.NUMBER, NO_FAULT, Pointee.OTHER, Pointee.OTHER));
        expressions.add(pointerExpression("function pointer !", plugin.getMember("operation_is_null"),
                        TypeDescriptor.NUMBER, NO_FAULT, Pointee.OTHER));
        return expressions;
    }

    /** Returns the source of one function per operator, operand type and cast. */
    private static String operatorSource() {
        StringBuilder code = new StringBuilder();
        for (String[] operand : OPERAND_TYPES) {
            String type = operand[0];
            for (String[] operator : BINARY_OPERATORS) {
                String result = isComparisonOrLogical(operator[0]) ? "int" : type;
                code.append(result).append(' ').append(operand[1]).append('_').append(operator[1]).append('(')
                                .append(type).append(" a, ").append(type).append(" b) { return a ")
                                .append(operator[0]).append(" b; }\n");
            }
            for (String[] operator : UNARY_OPERATORS) {
                String result = operator[0].equals("!") ? "int" : type;
                code.append(result).append(' ').append(operand[1]).append('_').append(operator[1]).append('(')
                                .append(type).append(" a) { return ").append(operator[0]).append("a; }\n");
            }
        }
        for (String[] cast : CASTS) {
            code.append(cast[0]).append(' ').append(cast[1]).append("(long long a) { return (").append(cast[0])
                            .append(") a; }\n");
        }
        return code.toString();
    }

    private static boolean isComparisonOrLogical(String operator) {
        return switch (operator) {
            case "==", "!=", "<", "<=", ">", ">=", "&&", "||" -> true;
            default -> false;
        };
    }

    private static Snippet integerExpression(String id, Value function, int arity, Predicate<String> allowedFaults) {
        TypeDescriptor[] parameterTypes = new TypeDescriptor[arity];
        List<Predicate<Value>> rules = new ArrayList<>();
        for (int i = 0; i < arity; i++) {
            parameterTypes[i] = ArgumentRules.INTEGER;
            rules.add(INTEGER);
        }
        return Snippet.newBuilder(id, function, TypeDescriptor.NUMBER).parameterTypes(parameterTypes)
                        .resultVerifier(Verifiers.arguments(List.of(parameterTypes), rules, allowedFaults)).build();
    }

    private static Snippet pointerExpression(String id, Value function, TypeDescriptor result,
                    Predicate<String> allowedFaults, Pointee... pointees) {
        TypeDescriptor[] parameterTypes = new TypeDescriptor[pointees.length];
        List<Predicate<Value>> rules = new ArrayList<>();
        for (int i = 0; i < pointees.length; i++) {
            parameterTypes[i] = ArgumentRules.pointer(pointees[i]);
            rules.add(pointerRule(pointees[i]));
        }
        return Snippet.newBuilder(id, function, result).parameterTypes(parameterTypes)
                        .resultVerifier(Verifiers.arguments(List.of(parameterTypes), rules, allowedFaults)).build();
    }

    private static Predicate<Value> pointerRule(Pointee pointee) {
        return value -> ArgumentRules.acceptsPointer(value, pointee);
    }

    @Override
    public Collection<? extends Snippet> createStatements(Context context) {
        Value plugin = eval(context, "statements.kpc", resource("statements.kpc"));
        List<Snippet> statements = new ArrayList<>();
        statements.add(statement("if", plugin.getMember("if_statement"), TypeDescriptor.NUMBER));
        statements.add(statement("while", plugin.getMember("while_statement"), TypeDescriptor.NUMBER));
        statements.add(statement("do while", plugin.getMember("do_while_statement"), TypeDescriptor.NUMBER));
        statements.add(statement("for", plugin.getMember("for_statement"), TypeDescriptor.NUMBER));
        statements.add(statement("switch", plugin.getMember("switch_statement"), TypeDescriptor.NUMBER));
        statements.add(statement("block", plugin.getMember("block_statement"), TypeDescriptor.NUMBER));
        statements.add(statement("void function", plugin.getMember("void_statement"), TypeDescriptor.NULL));
        return statements;
    }

    private static Snippet statement(String id, Value function, TypeDescriptor result) {
        return Snippet.newBuilder(id, function, result).parameterTypes(ArgumentRules.INTEGER)
                        .resultVerifier(Verifiers.arguments(List.of(ArgumentRules.INTEGER), List.of(INTEGER), NO_FAULT))
                        .build();
    }

    @Override
    public Collection<? extends Snippet> createScripts(Context context) {
        List<Snippet> scripts = new ArrayList<>();
        scripts.add(script(context, "factorial.kpc", TypeDescriptor.NUMBER, 2432902008176640000L));
        scripts.add(script(context, "structs.kpc", TypeDescriptor.NUMBER, 91L));
        scripts.add(script(context, "heap_strings.kpc", TypeDescriptor.NUMBER, 14L));
        scripts.add(script(context, "no_result.kpc", TypeDescriptor.NULL, null));
        scripts.add(script(context, "floating.kpc", TypeDescriptor.NUMBER, floatingScriptResult()));
        scripts.add(script(context, "operation_table.kpc", TypeDescriptor.NUMBER, 124L));
        return scripts;
    }

    /**
     * Returns the result of {@code scripts/floating.kpc}, computed with Java's float and double
     * arithmetic, which rounds each step to its type as SSE does.
     */
    private static double floatingScriptResult() {
        double sum = 0.0;
        for (int i = 0; i < 10; i++) {
            sum += 0.1;
        }
        float singleSum = 0.0f;
        for (int i = 0; i < 10; i++) {
            singleSum += 0.1f;
        }
        return sum * 10.0 + singleSum;
    }

    private Snippet script(Context context, String name, TypeDescriptor result, Number expected) {
        Value plugin = eval(context, name, resource("scripts/" + name));
        return Snippet.newBuilder(name, plugin.getMember("script"), result)
                        .resultVerifier(Verifiers.scriptResult(expected)).build();
    }

    @Override
    public Collection<? extends Source> createInvalidSyntaxScripts(Context context) {
        List<Source> sources = new ArrayList<>();
        for (String name : List.of("missing_semicolon.kpc", "unbalanced_brace.kpc", "undeclared_identifier.kpc",
                        "stray_character.kpc", "missing_operand.kpc")) {
            sources.add(Source.newBuilder(ID, resource("invalid/" + name), name).buildLiteral());
        }
        return sources;
    }

    static Value eval(Context context, String name, String code) {
        return context.eval(Source.newBuilder(ID, code, name).buildLiteral());
    }

    /** Returns the text of a KPC file under {@code org/kplugins/tck/}. */
    private String resource(String path) {
        try (InputStream in = getClass().getResourceAsStream(RESOURCES + path)) {
            if (in == null) {
                throw new IllegalStateException("missing TCK resource " + RESOURCES + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TCK resource " + RESOURCES + path, e);
        }
    }
}
