// SPDX-License-Identifier: Apache-2.0
package org.kplugins.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.tck.Snippet;
import org.graalvm.polyglot.tck.TypeDescriptor;

/**
 * The TCK expressions on float and double: arithmetic, comparison and logical operators, operators
 * with one integer and one floating operand, and conversions between floating and integer types.
 * None of them can fault: floating division by zero gives an infinity or a NaN, and an out-of-range
 * conversion to an integer gives the x86 result.
 */
final class FloatingExpressions {

    /** The operand types and the prefix of their function names. */
    private static final String[][] OPERAND_TYPES = {{"float", "float"}, {"double", "double"}};

    /** The binary operators that take floating operands. {@code %}, shifts and bitwise operators reject them. */
    private static final String[][] BINARY_OPERATORS = {
        {"+", "add"}, {"-", "subtract"}, {"*", "multiply"}, {"/", "divide"},
        {"==", "equal"}, {"!=", "not_equal"}, {"<", "less"}, {"<=", "less_equal"}, {">", "greater"},
        {">=", "greater_equal"}, {"&&", "logical_and"}, {"||", "logical_or"},
    };

    private static final String[][] UNARY_OPERATORS = {{"-", "negate"}, {"!", "logical_not"}};

    /**
     * Operators on an integer and a floating operand, which the usual arithmetic conversions convert
     * to the floating type: left type, right type, operator, function name.
     */
    private static final String[][] MIXED_OPERATORS = {
        {"int", "double", "+", "int_add_double"},
        {"long long", "double", "/", "long_long_divide_double"},
        {"unsigned long long", "float", "<", "unsigned_long_long_less_float"},
        {"float", "unsigned int", "*", "float_multiply_unsigned"},
    };

    /** Conversions: target type, source type, function name. */
    private static final String[][] CONVERSIONS = {
        {"char", "float", "float_to_char"},
        {"_Bool", "double", "double_to_bool"},
        {"int", "double", "double_to_int"},
        {"unsigned int", "double", "double_to_unsigned"},
        {"long long", "double", "double_to_long_long"},
        {"unsigned long long", "double", "double_to_unsigned_long_long"},
        {"long long", "float", "float_to_long_long"},
        {"float", "double", "double_to_float"},
        {"double", "float", "float_to_double"},
        {"double", "long long", "long_long_to_double"},
        {"double", "unsigned long long", "unsigned_long_long_to_double"},
        {"float", "int", "int_to_float"},
        {"float", "unsigned int", "unsigned_to_float"},
    };

    private FloatingExpressions() {
    }

    static List<Snippet> create(Context context) {
        Value plugin = KpcTckLanguageProvider.eval(context, "floating.kpc", source());
        List<Snippet> expressions = new ArrayList<>();
        for (String[] operand : OPERAND_TYPES) {
            String type = operand[0];
            for (String[] operator : BINARY_OPERATORS) {
                expressions.add(expression(type + " " + operator[0], plugin.getMember(operand[1] + "_" + operator[1]),
                                type, type));
            }
            for (String[] operator : UNARY_OPERATORS) {
                expressions.add(expression(type + " unary " + operator[0],
                                plugin.getMember(operand[1] + "_" + operator[1]), type));
            }
        }
        for (String[] mixed : MIXED_OPERATORS) {
            expressions.add(expression(mixed[0] + " " + mixed[2] + " " + mixed[1], plugin.getMember(mixed[3]),
                            mixed[0], mixed[1]));
        }
        for (String[] conversion : CONVERSIONS) {
            expressions.add(expression("(" + conversion[0] + ") " + conversion[1], plugin.getMember(conversion[2]),
                            conversion[1]));
        }
        return expressions;
    }

    /** Returns the source of one function per operator, operand type and conversion. */
    static String source() {
        StringBuilder code = new StringBuilder();
        for (String[] operand : OPERAND_TYPES) {
            String type = operand[0];
            for (String[] operator : BINARY_OPERATORS) {
                String result = operator[0].length() == 1 && "+-*/".contains(operator[0]) ? type : "int";
                binaryFunction(code, result, operand[1] + "_" + operator[1], type, operator[0], type);
            }
            for (String[] operator : UNARY_OPERATORS) {
                String result = operator[0].equals("!") ? "int" : type;
                code.append(result).append(' ').append(operand[1]).append('_').append(operator[1]).append('(')
                                .append(type).append(" a) { return ").append(operator[0]).append("a; }\n");
            }
        }
        for (String[] mixed : MIXED_OPERATORS) {
            String floating = isFloating(mixed[0]) ? mixed[0] : mixed[1];
            String result = mixed[2].equals("<") ? "int" : floating;
            binaryFunction(code, result, mixed[3], mixed[0], mixed[2], mixed[1]);
        }
        for (String[] conversion : CONVERSIONS) {
            code.append(conversion[0]).append(' ').append(conversion[2]).append('(').append(conversion[1])
                            .append(" a) { return (").append(conversion[0]).append(") a; }\n");
        }
        return code.toString();
    }

    private static void binaryFunction(StringBuilder code, String result, String name, String left, String operator,
                    String right) {
        code.append(result).append(' ').append(name).append('(').append(left).append(" a, ").append(right)
                        .append(" b) { return a ").append(operator).append(" b; }\n");
    }

    private static boolean isFloating(String type) {
        return type.equals("float") || type.equals("double");
    }

    /** Returns a snippet whose parameters have the given C types, each accepting what KPC converts to it. */
    private static Snippet expression(String id, Value function, String... parameterTypes) {
        List<TypeDescriptor> types = new ArrayList<>();
        List<Predicate<Value>> rules = new ArrayList<>();
        for (String type : parameterTypes) {
            boolean floating = isFloating(type);
            types.add(floating ? ArgumentRules.FLOATING : ArgumentRules.INTEGER);
            rules.add(floating ? ArgumentRules::acceptsFloating : ArgumentRules::acceptsInteger);
        }
        return Snippet.newBuilder(id, function, TypeDescriptor.NUMBER)
                        .parameterTypes(types.toArray(new TypeDescriptor[0]))
                        .resultVerifier(Verifiers.arguments(types, rules, kind -> false)).build();
    }
}
