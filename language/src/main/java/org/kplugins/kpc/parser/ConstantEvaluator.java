// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import java.util.function.IntBinaryOperator;
import java.util.function.LongBinaryOperator;

import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.UnaryOp;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.types.FloatingArithmetic;
import org.kplugins.kpc.types.FloatingConversions;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;

/**
 * Evaluates the constant expressions C requires: integer constant expressions (array sizes, case
 * labels, enumerator values, bit widths), and the arithmetic and address constants allowed in
 * static initializers. Works on the typed tree, so the result follows C's arithmetic in each operator's
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
     * An integer constant expression whose value C leaves undefined: a division or remainder by
     * zero, or a signed division or remainder of the type's minimum by -1, whose quotient
     * overflows. Such an operation faults at run time, and in a constant expression it is a compile
     * error, as in gcc and clang.
     */
    static final class InvalidConstant extends Exception {
        private static final long serialVersionUID = 1L;
        final transient SourceLocation location;

        InvalidConstant(SourceLocation location, String message) {
            super(message, null, false, false);
            this.location = location;
        }
    }

    /**
     * Returns the value of {@code e} if it is an integer constant expression, or null. An invalid
     * division (see {@link InvalidConstant}) also gives null, for callers that only ask whether
     * {@code e} is a particular constant.
     */
    static Long evaluate(Expr e) {
        try {
            return evaluateChecked(e);
        } catch (InvalidConstant invalid) {
            return null;
        }
    }

    /**
     * Returns the value of {@code e} if it is an integer constant expression, or null. A shift by
     * a negative count or by at least the width makes an expression non-constant. The operand that
     * {@code &&}, {@code ||} or {@code ?:} does not evaluate is not checked.
     *
     * @throws InvalidConstant if an evaluated division or remainder is by zero or overflows
     */
    static Long evaluateChecked(Expr e) throws InvalidConstant {
        if (!(e.type() instanceof IntegerType type)) {
            return null;
        }
        switch (e) {
            case Expr.IntConstant constant -> {
                return constant.value();
            }
            case Expr.Cast cast -> {
                if (cast.operand().type() instanceof FloatingType) {
                    Double operand = evaluateFloating(cast.operand());
                    return operand == null ? null : FloatingConversions.toInteger(operand, type);
                }
                Long operand = evaluateChecked(cast.operand());
                return operand == null ? null : normalize(operand, type);
            }
            case Expr.Unary unary -> {
                if (unary.op() == UnaryOp.LOGICAL_NOT) {
                    Boolean operand = evaluateTruth(unary.operand());
                    if (operand == null) {
                        return null;
                    }
                    return operand ? 0L : 1L;
                }
                Long operand = evaluateChecked(unary.operand());
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
                Boolean condition = evaluateTruth(conditional.condition());
                if (condition == null) {
                    return null;
                }
                return evaluateChecked(condition ? conditional.whenTrue() : conditional.whenFalse());
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * Returns whether the constant scalar {@code e}, integer or floating, is nonzero, or null when
     * it is not constant. NaN is nonzero.
     */
    private static Boolean evaluateTruth(Expr e) throws InvalidConstant {
        if (e.type() instanceof FloatingType) {
            Double value = evaluateFloating(e);
            return value == null ? null : value != 0;
        }
        Long value = evaluateChecked(e);
        return value == null ? null : value != 0;
    }

    /**
     * Returns the value of a constant expression of floating type, or null. Each operation rounds
     * to its type as it does at run time. For a float the result is the float value, which a
     * double represents exactly. C allows such constants in static initializers and, as cast
     * operands, in integer constant expressions.
     */
    static Double evaluateFloating(Expr e) throws InvalidConstant {
        if (!(e.type() instanceof FloatingType type)) {
            return null;
        }
        switch (e) {
            case Expr.FloatConstant constant -> {
                return constant.value();
            }
            case Expr.Cast cast -> {
                if (cast.operand().type() instanceof IntegerType from) {
                    Long operand = evaluateChecked(cast.operand());
                    return operand == null ? null : FloatingConversions.fromInteger(operand, from, type);
                }
                Double operand = evaluateFloating(cast.operand());
                return operand == null ? null : roundTo(type, operand);
            }
            case Expr.Unary unary -> {
                Double operand = unary.op() == UnaryOp.NEGATE ? evaluateFloating(unary.operand()) : null;
                return operand == null ? null
                        : Double.longBitsToDouble(FloatingArithmetic.negateDouble(Double.doubleToRawLongBits(operand)));
            }
            case Expr.Binary binary -> {
                Double left = evaluateFloating(binary.left());
                Double right = left == null ? null : evaluateFloating(binary.right());
                if (right == null) {
                    return null;
                }
                return switch (binary.op()) {
                    case ADD -> operate(type, left, right, FloatingArithmetic::addFloat, FloatingArithmetic::addDouble);
                    case SUB -> operate(type, left, right, FloatingArithmetic::subtractFloat,
                            FloatingArithmetic::subtractDouble);
                    case MUL -> operate(type, left, right, FloatingArithmetic::multiplyFloat,
                            FloatingArithmetic::multiplyDouble);
                    case DIV -> operate(type, left, right, FloatingArithmetic::divideFloat,
                            FloatingArithmetic::divideDouble);
                    default -> null;
                };
            }
            case Expr.Conditional conditional -> {
                Boolean condition = evaluateTruth(conditional.condition());
                if (condition == null) {
                    return null;
                }
                return evaluateFloating(condition ? conditional.whenTrue() : conditional.whenFalse());
            }
            default -> {
                return null;
            }
        }
    }

    /** Rounds {@code value} to {@code type}: to float, as a double holding the float value, or not at all. */
    static double roundTo(FloatingType type, double value) {
        if (type.isDouble()) {
            return value;
        }
        int floatBits = FloatingArithmetic.doubleToFloat(Double.doubleToRawLongBits(value));
        return Double.longBitsToDouble(FloatingArithmetic.floatToDouble(floatBits));
    }

    /** Applies a floating operation in {@code type} to two values of that type, as the program would at run time. */
    private static double operate(FloatingType type, double left, double right, IntBinaryOperator onFloat,
            LongBinaryOperator onDouble) {
        long leftBits = Double.doubleToRawLongBits(left);
        long rightBits = Double.doubleToRawLongBits(right);
        if (type.isDouble()) {
            return Double.longBitsToDouble(onDouble.applyAsLong(leftBits, rightBits));
        }
        int result = onFloat.applyAsInt(FloatingArithmetic.doubleToFloat(leftBits), FloatingArithmetic.doubleToFloat(rightBits));
        return Double.longBitsToDouble(FloatingArithmetic.floatToDouble(result));
    }

    /** Compares two constant floating operands as IEEE 754 does: every comparison with NaN is false, except !=. */
    private static Long compareFloating(Expr.Binary binary) throws InvalidConstant {
        Double left = evaluateFloating(binary.left());
        Double right = left == null ? null : evaluateFloating(binary.right());
        if (right == null) {
            return null;
        }
        double l = left;
        double r = right;
        boolean result = switch (binary.op()) {
            case EQ -> l == r;
            case NE -> l != r;
            case LT -> l < r;
            case LE -> l <= r;
            case GT -> l > r;
            default -> l >= r;
        };
        return result ? 1L : 0L;
    }

    private static Long evaluateBinary(Expr.Binary binary, IntegerType type) throws InvalidConstant {
        if (binary.op().isComparison() && binary.left().type() instanceof FloatingType) {
            return compareFloating(binary);
        }
        if (binary.op() == BinaryOp.LOGICAL_AND || binary.op() == BinaryOp.LOGICAL_OR) {
            Boolean left = evaluateTruth(binary.left());
            if (left == null) {
                return null;
            }
            if (left == (binary.op() == BinaryOp.LOGICAL_OR)) {
                return left ? 1L : 0L;
            }
            Boolean right = evaluateTruth(binary.right());
            if (right == null) {
                return null;
            }
            return right ? 1L : 0L;
        }
        Long left = evaluateChecked(binary.left());
        if (left == null) {
            return null;
        }
        Long right = evaluateChecked(binary.right());
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
                checkDivision(binary, type, l, r);
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
            default -> {
                return null;
            }
        }
        return normalize(value, type);
    }

    /**
     * Throws {@link InvalidConstant} for a division or remainder by zero, and for the minimum of a
     * signed type divided by -1, whose quotient does not fit the type. Under ILP32, int and long
     * are 32 bits wide and long long is 64.
     */
    private static void checkDivision(Expr.Binary binary, IntegerType type, long left, long right)
            throws InvalidConstant {
        if (right == 0) {
            throw new InvalidConstant(binary.location(), "division by zero in constant expression");
        }
        long minimum = type.is64Bit() ? Long.MIN_VALUE : Integer.MIN_VALUE;
        if (type.isSigned() && right == -1 && left == minimum) {
            String minimumName = switch (type.rank()) {
                case LONG -> "LONG_MIN";
                case LONG_LONG -> "LLONG_MIN";
                default -> "INT_MIN";
            };
            String operator = binary.op() == BinaryOp.DIV ? "/" : "%";
            throw new InvalidConstant(binary.location(),
                    "overflow in constant expression: " + minimumName + " " + operator + " -1");
        }
    }

    /**
     * Folds the value of a static initializer item. Returns an {@link Expr.IntConstant} for an
     * integer constant expression, an {@link Expr.FloatConstant} for a floating one, an address
     * constant built only from {@link Expr.AddressOf}, {@link Expr.Decay}, {@link Expr.StringLiteral},
     * {@link Expr.FunctionAddress}, {@link Expr.Cast} and {@link Expr.PointerArithmetic} with
     * constant indexes, or null when {@code e} is not constant.
     *
     * @throws InvalidConstant if an evaluated division or remainder is by zero or overflows
     */
    static Expr foldStaticInitializer(Expr e) throws InvalidConstant {
        if (e.type() instanceof IntegerType type) {
            Long value = evaluateChecked(e);
            return value == null ? null : new Expr.IntConstant(type, value, e.location());
        }
        if (e.type() instanceof FloatingType type) {
            Double value = evaluateFloating(e);
            return value == null ? null : new Expr.FloatConstant(type, value, e.location());
        }
        if (e.type() instanceof PointerType) {
            return foldAddressConstant(e);
        }
        return null;
    }

    private static Expr foldAddressConstant(Expr e) throws InvalidConstant {
        switch (e) {
            case Expr.FunctionAddress address -> {
                return address;
            }
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
                Long index = evaluateChecked(arithmetic.index());
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
    private static Expr addressOfStaticLvalue(Expr lvalue) throws InvalidConstant {
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
