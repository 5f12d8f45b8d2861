// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import java.util.List;

import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.VoidType;

/**
 * Parses the builtins behind {@code <stdarg.h>}: {@code __builtin_va_start}, {@code __builtin_va_arg},
 * {@code __builtin_va_end} and {@code __builtin_va_copy}. As on i386, {@code va_list} is
 * {@code char *} pointing into the caller's arguments on the plugin stack, so each builtin becomes
 * ordinary typed expressions: {@code va_arg(ap, T)} reads a {@code T} at {@code ap} and advances
 * {@code ap} by the size of {@code T} rounded up to 4 bytes, the size of its argument slot.
 */
final class VariadicBuiltins {

    /** The type of {@code va_list}. */
    private static final PointerType VA_LIST = new PointerType(IntegerType.CHAR);

    private final Parser parser;
    private final TokenCursor tokens;
    private final TypeRules rules;

    VariadicBuiltins(Parser parser) {
        this.parser = parser;
        this.tokens = parser.tokens;
        this.rules = parser.rules;
    }

    /** Whether {@code name} is one of the builtins, which are not declared anywhere. */
    static boolean isBuiltin(String name) {
        return switch (name) {
            case "__builtin_va_start", "__builtin_va_arg", "__builtin_va_end", "__builtin_va_copy" -> true;
            default -> false;
        };
    }

    /** Parses a call of the builtin {@code name}, whose name has been read, up to its ')'. */
    Expr parse(Token name) {
        Token open = tokens.expect("(", "after '" + name.text() + "'");
        Expr list = parser.expressions.parseAssignment();
        switch (name.text()) {
            case "__builtin_va_start" -> {
                return parseStart(name, open, list);
            }
            case "__builtin_va_arg" -> {
                return parseArg(name, open, list);
            }
            case "__builtin_va_end" -> {
                tokens.expectClosing(")", open);
                return checkList("va_end", list, false) ? voidValue(TypeRules.toValue(list), name) : error(name);
            }
            default -> {
                tokens.expect(",", "in 'va_copy'");
                Expr source = parser.expressions.parseAssignment();
                tokens.expectClosing(")", open);
                if (!checkList("va_copy", list, true) || !checkList("va_copy", source, false)) {
                    return error(name);
                }
                return voidValue(new Expr.Assign(VA_LIST, list, TypeRules.toValue(source), location(name)), name);
            }
        }
    }

    /**
     * va_start(ap, last) stores the address of the first variadic argument in {@code ap}. As C23
     * allows, {@code last}, which must name the last named parameter, may be left out.
     */
    private Expr parseStart(Token name, Token open, Expr list) {
        Expr last = tokens.accept(",") ? parser.expressions.parseAssignment() : null;
        tokens.expectClosing(")", open);
        if (parser.currentFunction == null || !parser.currentFunction.type().isVariadic()) {
            parser.typeError(name.location(), "'va_start' used in function with fixed arguments");
            return error(name);
        }
        if (last != null && !rules.isError(last) && !isLastParameter(last)) {
            List<Variable> parameters = parser.currentParameters;
            String expected = parameters.isEmpty() ? "" : " '" + parameters.get(parameters.size() - 1).name() + "'";
            parser.typeError(last.location(), "second argument to 'va_start' is not the last named parameter"
                    + expected);
            return error(name);
        }
        if (!checkList("va_start", list, true)) {
            return error(name);
        }
        Expr start = new Expr.Assign(VA_LIST, list, new Expr.VariadicArguments(VA_LIST, name.location()),
                location(name));
        return voidValue(start, name);
    }

    private boolean isLastParameter(Expr last) {
        List<Variable> parameters = parser.currentParameters;
        return last instanceof Expr.VariableRef ref && !parameters.isEmpty()
                && ref.variable() == parameters.get(parameters.size() - 1);
    }

    /**
     * va_arg(ap, type) is {@code *(type *)((ap += size) - size)} with {@code size} the size of
     * {@code type} rounded up to 4, as an rvalue: the argument slot's bytes read as {@code type}.
     */
    private Expr parseArg(Token name, Token open, Expr list) {
        tokens.expect(",", "in 'va_arg'");
        CType type = parser.declarations.parseTypeName();
        tokens.expectClosing(")", open);
        if (!checkList("va_arg", list, true)) {
            return error(name);
        }
        if (!type.isScalar()) {
            parser.typeError(name.location(), "va_arg of type '" + type.spelling()
                    + "' is not supported: variadic arguments are integers, floating values and pointers in KPC");
            return error(name);
        }
        SourceLocation location = location(name);
        int slotSize = (type.size() + 3) & -4;
        Expr size = new Expr.IntConstant(IntegerType.INT, slotSize, location);
        Expr advanced = new Expr.CompoundAssign(VA_LIST, BinaryOp.ADD, list, size, VA_LIST, 1, location);
        Expr slot = new Expr.PointerArithmetic(VA_LIST, BinaryOp.SUB, advanced, size, 1, location);
        CType valueType = type.unqualified();
        Expr value = new Expr.Dereference(valueType, new Expr.Cast(new PointerType(valueType), slot, location), location);
        return new Expr.Cast(valueType, value, location);
    }

    /**
     * Checks that {@code list} has type {@code va_list}, and when {@code modified}, that it can be
     * assigned. Returns whether it can be used.
     */
    private boolean checkList(String macro, Expr list, boolean modified) {
        if (rules.isError(list)) {
            return false;
        }
        Expr value = TypeRules.toValue(list);
        if (!value.type().unqualified().sameAs(VA_LIST)) {
            parser.typeError(list.location(), "first argument to '" + macro + "' has type '" + value.type().spelling()
                    + "', not 'va_list'");
            return false;
        }
        return !modified || rules.checkModifiable(list, list.location());
    }

    private Expr voidValue(Expr value, Token name) {
        return new Expr.Cast(VoidType.VOID, value, location(name));
    }

    private SourceLocation location(Token name) {
        return name.location().to(tokens.previous().location());
    }

    private Expr error(Token name) {
        return rules.errorValue(location(name));
    }
}
