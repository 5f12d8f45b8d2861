// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;

/**
 * Evaluates the constant expressions C requires: integer constant expressions (array sizes, case
 * labels, enumerator values, bit widths) and the address constants allowed in static
 * initializers. Works on the typed tree, so the result follows C's arithmetic in each operator's
 * type.
 */
final class ConstantEvaluator {

    private ConstantEvaluator() {
    }

    /** Reduces {@code value} to the range of {@code type}, wrapping as a conversion to it does. */
    static long normalize(long value, IntegerType type) {
        if (type.isBool()) {
            return value != 0 ? 1 : 0;
        }
        return switch (type.size()) {
            case 1 -> type.isSigned() ? (byte) value : value & 0xffL;
            case 2 -> type.isSigned() ? (short) value : value & 0xffffL;
            case 4 -> type.isSigned() ? (int) value : value & 0xffff_ffffL;
            default -> value;
        };
    }

    /**
     * Returns the value of {@code e} if it is an integer constant expression, or null. Division by
     * zero and shifts by a negative count or by at least the width make an expression non-constant.
     */
    static Long evaluate(Expr e) {
        if (!(e.type() instanceof IntegerType type)) {
            return null;
        }
        switch (e) {
            case Expr.IntConstant constant -> {
                return constant.value();
            }
            case Expr.Cast cast -> {
                Long operand = evaluate(cast.operand());
                return operand == null ? null : normalize(operand, type);
            }
            case Expr.Unary unary -> {
                Long operand = evaluate(unary.operand());
                if (operand == null) {
                    return null;
                }
                return switch (unary.op()) {
                    case NEGATE -> normalize(-operand, type);
                    case BIT_NOT -> normalize(~operand, type);
                    case LOGICAL_NOT -> operand == 0 ? 1L : 0L;
                };
            }
            case Expr.Binary binary -> {
                return evaluateBinary(binary, type);
            }
            case Expr.Conditional conditional -> {
                Long condition = evaluate(conditional.condition());
                if (condition == null) {
                    return null;
                }
                return evaluate(condition != 0 ? conditional.whenTrue() : conditional.whenFalse());
            }
            default -> {
                return null;
            }
        }
    }

    private static Long evaluateBinary(Expr.Binary binary, IntegerType type) {
        Long left = evaluate(binary.left());
        if (left == null) {
            return null;
        }
        if (binary.op() == BinaryOp.LOGICAL_AND && left == 0) {
            return 0L;
        }
        if (binary.op() == BinaryOp.LOGICAL_OR && left != 0) {
            return 1L;
        }
        Long right = evaluate(binary.right());
        if (right == null) {
            return null;
        }

        long l = left;
        long r = right;
        if (binary.op().isComparison()) {
            IntegerType common = (IntegerType) binary.left().type();
            int order = common.is64Bit() && !common.isSigned() ? Long.compareUnsigned(l, r) : Long.compare(l, r);
            boolean result = switch (binary.op()) {
                case EQ -> order == 0;
                case NE -> order != 0;
                case LT -> order < 0;
                case LE -> order <= 0;
                case GT -> order > 0;
                default -> order >= 0;
            };
            return result ? 1L : 0L;
        }

        boolean unsigned64 = type.is64Bit() && !type.isSigned();
        long value;
        switch (binary.op()) {
            case ADD -> value = l + r;
            case SUB -> value = l - r;
            case MUL -> value = l * r;
            case DIV, REM -> {
                if (r == 0) {
                    return null;
                }
                if (binary.op() == BinaryOp.DIV) {
                    value = unsigned64 ? Long.divideUnsigned(l, r) : l / r;
                } else {
                    value = unsigned64 ? Long.remainderUnsigned(l, r) : l % r;
                }
            }
            case SHL, SHR -> {
                IntegerType rightType = (IntegerType) binary.right().type();
                boolean negativeCount = rightType.isSigned() ? r < 0 : (rightType.is64Bit() && r < 0);
                if (negativeCount || r >= type.size() * 8L) {
                    return null;
                }
                int count = (int) r;
                if (binary.op() == BinaryOp.SHL) {
                    value = l << count;
                } else {
                    // Unsigned values below 64 bits are stored non-negative, so >> is a logical shift for them.
                    value = unsigned64 ? l >>> count : l >> count;
                }
            }
            case BIT_AND -> value = l & r;
            case BIT_OR -> value = l | r;
            case BIT_XOR -> value = l ^ r;
            case LOGICAL_AND -> value = (l != 0 && r != 0) ? 1 : 0;
            case LOGICAL_OR -> value = (l != 0 || r != 0) ? 1 : 0;
            default -> {
                return null;
            }
        }
        return normalize(value, type);
    }

    /**
     * Folds the value of a static initializer item. Returns an {@link Expr.IntConstant} for an
     * integer constant expression, an address constant built only from {@link Expr.AddressOf},
     * {@link Expr.Decay}, {@link Expr.StringLiteral}, {@link Expr.Cast} and
     * {@link Expr.PointerArithmetic} with constant indexes, or null when {@code e} is not constant.
     */
    static Expr foldStaticInitializer(Expr e) {
        if (e.type() instanceof IntegerType type) {
            Long value = evaluate(e);
            return value == null ? null : new Expr.IntConstant(type, value, e.location());
        }
        if (e.type() instanceof PointerType) {
            return foldAddressConstant(e);
        }
        return null;
    }

    private static Expr foldAddressConstant(Expr e) {
        switch (e) {
            case Expr.Cast cast -> {
                Expr operand = cast.operand().type() instanceof IntegerType
                        ? foldStaticInitializer(cast.operand()) : foldAddressConstant(cast.operand());
                return operand == null ? null : new Expr.Cast(cast.type(), operand, cast.location());
            }
            case Expr.Decay decay -> {
                if (decay.array() instanceof Expr.VariableRef || decay.array() instanceof Expr.StringLiteral) {
                    return isStaticLvalue(decay.array()) ? decay : null;
                }
                Expr address = addressOfStaticLvalue(decay.array());
                return address == null ? null : new Expr.Cast(decay.type(), address, decay.location());
            }
            case Expr.AddressOf addressOf -> {
                if (addressOf.operand() instanceof Expr.VariableRef || addressOf.operand() instanceof Expr.StringLiteral) {
                    return isStaticLvalue(addressOf.operand()) ? addressOf : null;
                }
                // The address already has the type of the AddressOf: a pointer to the operand's type.
                return addressOfStaticLvalue(addressOf.operand());
            }
            case Expr.PointerArithmetic arithmetic -> {
                Expr pointer = foldAddressConstant(arithmetic.pointer());
                Long index = evaluate(arithmetic.index());
                if (pointer == null || index == null) {
                    return null;
                }
                Expr indexConstant = new Expr.IntConstant(IntegerType.INT, ConstantEvaluator.normalize(index,
                        IntegerType.INT), arithmetic.index().location());
                return new Expr.PointerArithmetic(arithmetic.type(), arithmetic.op(), pointer, indexConstant,
                        arithmetic.elementSize(), arithmetic.location());
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean isStaticLvalue(Expr e) {
        return e instanceof Expr.StringLiteral
                || e instanceof Expr.VariableRef ref && ref.variable().storage() == Variable.Storage.GLOBAL;
    }

    /**
     * Returns the address of a static lvalue as an address constant, or null. A member's address is
     * the struct's address plus the member offset, computed on a char pointer.
     */
    private static Expr addressOfStaticLvalue(Expr lvalue) {
        switch (lvalue) {
            case Expr.VariableRef ref -> {
                return isStaticLvalue(ref) ? new Expr.AddressOf(new PointerType(ref.type()), ref, ref.location()) : null;
            }
            case Expr.StringLiteral literal -> {
                return new Expr.AddressOf(new PointerType(literal.type()), literal, literal.location());
            }
            case Expr.Dereference deref -> {
                return foldAddressConstant(deref.pointer());
            }
            case Expr.MemberAccess access -> {
                Expr base = addressOfStaticLvalue(access.struct());
                if (base == null) {
                    return null;
                }
                PointerType charPointer = new PointerType(IntegerType.CHAR);
                Expr offset = new Expr.IntConstant(IntegerType.INT, access.member().offset(), access.location());
                Expr bytes = new Expr.PointerArithmetic(charPointer, BinaryOp.ADD,
                        new Expr.Cast(charPointer, base, access.location()), offset, 1, access.location());
                return new Expr.Cast(new PointerType(access.type()), bytes, access.location());
            }
            default -> {
                return null;
            }
        }
    }
}
