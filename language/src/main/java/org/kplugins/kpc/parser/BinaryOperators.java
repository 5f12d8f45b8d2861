// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;
import org.kplugins.kpc.types.VoidType;

/**
 * Types the binary operators, the conditional operator and assignments: picks the operation
 * (integer or floating arithmetic, pointer arithmetic, pointer difference, comparison) and inserts
 * the conversions C applies to the operands.
 */
final class BinaryOperators {

    private final Parser parser;
    private final TypeRules rules;

    BinaryOperators(Parser parser, TypeRules rules) {
        this.parser = parser;
        this.rules = rules;
    }

    /** C's precedence of a binary operator token, from 1 (||) to 10 (* / %), or -1. */
    static int precedence(Token token) {
        if (token.kind() != TokenKind.PUNCTUATOR) {
            return -1;
        }
        return switch (token.text()) {
            case "||" -> 1;
            case "&&" -> 2;
            case "|" -> 3;
            case "^" -> 4;
            case "&" -> 5;
            case "==", "!=" -> 6;
            case "<", ">", "<=", ">=" -> 7;
            case "<<", ">>" -> 8;
            case "+", "-" -> 9;
            case "*", "/", "%" -> 10;
            default -> -1;
        };
    }

    static boolean isAssignmentOperator(String spelling) {
        return switch (spelling) {
            case "=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|=" -> true;
            default -> false;
        };
    }

    /** Returns the operator of a binary operator spelling, or of a compound assignment without its '='. */
    static BinaryOp binaryOp(String spelling) {
        return switch (spelling) {
            case "+" -> BinaryOp.ADD;
            case "-" -> BinaryOp.SUB;
            case "*" -> BinaryOp.MUL;
            case "/" -> BinaryOp.DIV;
            case "%" -> BinaryOp.REM;
            case "<<" -> BinaryOp.SHL;
            case ">>" -> BinaryOp.SHR;
            case "&" -> BinaryOp.BIT_AND;
            case "|" -> BinaryOp.BIT_OR;
            case "^" -> BinaryOp.BIT_XOR;
            case "==" -> BinaryOp.EQ;
            case "!=" -> BinaryOp.NE;
            case "<" -> BinaryOp.LT;
            case "<=" -> BinaryOp.LE;
            case ">" -> BinaryOp.GT;
            case ">=" -> BinaryOp.GE;
            case "&&" -> BinaryOp.LOGICAL_AND;
            case "||" -> BinaryOp.LOGICAL_OR;
            default -> throw new IllegalArgumentException("not a binary operator: " + spelling);
        };
    }

    /** Types {@code left op right}. */
    Expr buildBinary(Token operator, Expr leftOperand, Expr rightOperand) {
        BinaryOp op = binaryOp(operator.text());
        SourceLocation location = leftOperand.location().to(rightOperand.location());
        Expr left = TypeRules.toValue(leftOperand);
        Expr right = TypeRules.toValue(rightOperand);
        if (rules.isError(left) || rules.isError(right)) {
            return rules.errorValue(location);
        }
        CType leftType = left.type();
        CType rightType = right.type();
        boolean integers = leftType instanceof IntegerType && rightType instanceof IntegerType;
        boolean arithmetic = leftType.isArithmetic() && rightType.isArithmetic();
        switch (op) {
            case LOGICAL_AND, LOGICAL_OR -> {
                if (leftType.isScalar() && rightType.isScalar()) {
                    return new Expr.Binary(IntegerType.INT, op, left, right, location);
                }
            }
            case ADD -> {
                if (arithmetic) {
                    return arithmetic(op, left, right, location);
                }
                if (leftType instanceof PointerType pointer && rightType instanceof IntegerType) {
                    return pointerArithmetic(operator, op, pointer, left, right, location);
                }
                if (leftType instanceof IntegerType && rightType instanceof PointerType pointer) {
                    return pointerArithmetic(operator, op, pointer, right, left, location);
                }
            }
            case SUB -> {
                if (arithmetic) {
                    return arithmetic(op, left, right, location);
                }
                if (leftType instanceof PointerType pointer && rightType instanceof IntegerType) {
                    return pointerArithmetic(operator, op, pointer, left, right, location);
                }
                if (leftType instanceof PointerType leftPointer && rightType instanceof PointerType rightPointer) {
                    return pointerDifference(operator, leftPointer, rightPointer, left, right, location);
                }
            }
            case SHL, SHR -> {
                if (integers) {
                    Expr promotedLeft = TypeRules.promote(left);
                    return new Expr.Binary(promotedLeft.type(), op, promotedLeft, TypeRules.promote(right), location);
                }
            }
            case EQ, NE, LT, LE, GT, GE -> {
                if (arithmetic) {
                    CType common = TypeRules.usualArithmeticType(leftType, rightType);
                    return new Expr.Binary(IntegerType.INT, op, TypeRules.convert(left, common),
                            TypeRules.convert(right, common), location);
                }
                if (leftType.isScalar() && rightType.isScalar() && !leftType.isFloating() && !rightType.isFloating()) {
                    return pointerComparison(operator, op, left, right, location);
                }
            }
            case MUL, DIV -> {
                if (arithmetic) {
                    return arithmetic(op, left, right, location);
                }
            }
            default -> {
                if (integers) {
                    return arithmetic(op, left, right, location);
                }
            }
        }
        return invalidOperands(operator, leftType, rightType, location);
    }

    /**
     * Reports operands that {@code operator} does not take. When a floating operand meets an
     * operator that takes only integers ({@code %}, shifts, bitwise operators), the message names
     * that rule and the fix.
     */
    private Expr invalidOperands(Token operator, CType left, CType right, SourceLocation location) {
        String message = "invalid operands to binary expression ('" + left.spelling() + "' and '" + right.spelling() + "')";
        if ((left.isFloating() || right.isFloating()) && left.isArithmetic() && right.isArithmetic()) {
            message += ": operator '" + operator.text() + "' requires integer operands; convert the floating operand"
                    + " with a cast such as (int)";
        }
        parser.typeError(operator.location(), message);
        return rules.errorValue(location);
    }

    /** Arithmetic and bitwise operators: both operands in the usual arithmetic conversion's type. */
    private static Expr arithmetic(BinaryOp op, Expr left, Expr right, SourceLocation location) {
        CType common = TypeRules.usualArithmeticType(left.type(), right.type());
        return new Expr.Binary(common, op, TypeRules.convert(left, common), TypeRules.convert(right, common), location);
    }

    private Expr pointerArithmetic(Token operator, BinaryOp op, PointerType type, Expr pointer, Expr index,
            SourceLocation location) {
        Integer size = elementSizeForArithmetic(type, operator.location());
        if (size == null) {
            return rules.errorValue(location);
        }
        return new Expr.PointerArithmetic((PointerType) type.unqualified(), op, pointer,
                TypeRules.convert(index, IntegerType.INT), size, location);
    }

    private Expr pointerDifference(Token operator, PointerType leftType, PointerType rightType, Expr left, Expr right,
            SourceLocation location) {
        if (!leftType.pointee().unqualified().sameAs(rightType.pointee().unqualified())) {
            parser.typeError(operator.location(), "'" + leftType.spelling() + "' and '" + rightType.spelling()
                    + "' are not pointers to compatible types");
            return rules.errorValue(location);
        }
        Integer size = elementSizeForArithmetic(leftType, operator.location());
        if (size == null) {
            return rules.errorValue(location);
        }
        return new Expr.PointerDifference(IntegerType.INT, left, right, size, location);
    }

    /**
     * Compares two pointers, or a pointer with a null pointer constant. Both operands are converted
     * to one pointer type; the comparison itself is unsigned.
     */
    private Expr pointerComparison(Token operator, BinaryOp op, Expr left, Expr right, SourceLocation location) {
        CType leftType = left.type();
        CType rightType = right.type();
        if (leftType instanceof PointerType leftPointer && rightType instanceof PointerType rightPointer) {
            CType common = commonPointerType(leftPointer, rightPointer);
            if (common == null && TypeRules.isNullPointerConstant(right)) {
                common = leftPointer;
            } else if (common == null && TypeRules.isNullPointerConstant(left)) {
                common = rightPointer;
            }
            if (common == null) {
                parser.typeError(operator.location(), "comparison of distinct pointer types ('" + leftType.spelling()
                        + "' and '" + rightType.spelling() + "')");
                return rules.errorValue(location);
            }
            return new Expr.Binary(IntegerType.INT, op, TypeRules.convert(left, common), TypeRules.convert(right, common),
                    location);
        }
        Expr pointer = leftType instanceof PointerType ? left : right;
        Expr integer = pointer == left ? right : left;
        if (!TypeRules.isNullPointerConstant(integer)) {
            parser.typeError(operator.location(), "comparison between pointer and integer ('" + leftType.spelling()
                    + "' and '" + rightType.spelling() + "')");
            return rules.errorValue(location);
        }
        Expr nullPointer = TypeRules.convert(integer, pointer.type());
        return pointer == left
                ? new Expr.Binary(IntegerType.INT, op, left, nullPointer, location)
                : new Expr.Binary(IntegerType.INT, op, nullPointer, right, location);
    }

    /**
     * Returns the common type of two pointers in comparisons and ?:, or null when the pointees
     * are incompatible, which a function and an object or void always are. It is a void pointer if either side points to void, and otherwise a
     * pointer to the shared pointee type. Its pointee is const if either pointee is const.
     */
    static PointerType commonPointerType(PointerType left, PointerType right) {
        boolean isConst = left.pointee().isConst() || right.pointee().isConst();
        if (left.pointee() instanceof FunctionType != right.pointee() instanceof FunctionType) {
            // A function pointer meets a void pointer only as a null pointer constant, which callers check.
            return null;
        }
        if (left.pointee().isVoid() || right.pointee().isVoid()) {
            return new PointerType(VoidType.VOID.withConst(isConst));
        }
        if (!left.pointee().unqualified().sameAs(right.pointee().unqualified())) {
            return null;
        }
        return new PointerType(left.pointee().withConst(isConst));
    }

    /**
     * Returns the pointee size for pointer arithmetic, or reports that the pointee is void or
     * incomplete and returns null.
     */
    Integer elementSizeForArithmetic(PointerType pointer, SourceLocation location) {
        CType pointee = pointer.pointee();
        if (pointee.isVoid()) {
            parser.typeError(location, "arithmetic on a pointer to void");
            return null;
        }
        if (pointee instanceof FunctionType) {
            parser.typeError(location, "arithmetic on a pointer to the function type '" + pointee.spelling()
                    + "' is not supported in KPC");
            return null;
        }
        if (!pointee.isComplete()) {
            parser.typeError(location, "arithmetic on a pointer to an incomplete type '" + pointee.spelling() + "'");
            return null;
        }
        return pointee.size();
    }

    /** cond ? whenTrue : whenFalse, with both branches converted to the result type. */
    Expr buildConditional(Token question, Expr conditionOperand, Expr trueOperand, Expr falseOperand) {
        SourceLocation location = conditionOperand.location().to(falseOperand.location());
        Expr condition = TypeRules.toValue(conditionOperand);
        Expr whenTrue = TypeRules.toValue(trueOperand);
        Expr whenFalse = TypeRules.toValue(falseOperand);
        if (rules.isError(condition) || rules.isError(whenTrue) || rules.isError(whenFalse)) {
            return rules.errorValue(location);
        }
        if (!condition.type().isScalar()) {
            parser.typeError(conditionOperand.location(), "used type '" + condition.type().spelling()
                    + "' where arithmetic or pointer type is required");
            return rules.errorValue(location);
        }

        CType trueType = whenTrue.type();
        CType falseType = whenFalse.type();
        CType result = null;
        if (trueType.isArithmetic() && falseType.isArithmetic()) {
            result = TypeRules.usualArithmeticType(trueType, falseType);
        } else if (trueType.isVoid() && falseType.isVoid()) {
            return new Expr.Conditional(VoidType.VOID, condition, whenTrue, whenFalse, location);
        } else if (trueType instanceof StructType && trueType.sameAs(falseType)) {
            return new Expr.Conditional(trueType.unqualified(), condition, whenTrue, whenFalse, location);
        } else if (trueType instanceof PointerType t && falseType instanceof PointerType f) {
            result = commonPointerType(t, f);
            if (result == null && TypeRules.isNullPointerConstant(whenFalse)) {
                result = trueType;
            } else if (result == null && TypeRules.isNullPointerConstant(whenTrue)) {
                result = falseType;
            }
            if (result == null) {
                parser.typeError(question.location(), "pointer type mismatch ('" + trueType.spelling() + "' and '"
                        + falseType.spelling() + "')");
                return rules.errorValue(location);
            }
        } else if (trueType instanceof PointerType && TypeRules.isNullPointerConstant(whenFalse)) {
            result = trueType;
        } else if (falseType instanceof PointerType && TypeRules.isNullPointerConstant(whenTrue)) {
            result = falseType;
        } else if (trueType.isScalar() && falseType.isScalar() && !trueType.isFloating() && !falseType.isFloating()) {
            parser.typeError(question.location(), "pointer/integer type mismatch in conditional expression ('"
                    + trueType.spelling() + "' and '" + falseType.spelling() + "')");
            return rules.errorValue(location);
        }

        if (result == null) {
            parser.typeError(question.location(), "incompatible operand types ('" + trueType.spelling() + "' and '"
                    + falseType.spelling() + "')");
            return rules.errorValue(location);
        }
        return new Expr.Conditional(result.unqualified(), condition, TypeRules.convert(whenTrue, result),
                TypeRules.convert(whenFalse, result), location);
    }

    /** target = value, or a compound assignment such as target += value. */
    Expr buildAssignment(Token operator, Expr target, Expr valueOperand) {
        SourceLocation location = target.location().to(valueOperand.location());
        if (rules.isError(target)) {
            return target;
        }
        CType targetType = target.type().unqualified();
        if (operator.is("=")) {
            if (!rules.checkModifiable(target, operator.location())) {
                return rules.errorValue(location);
            }
            Expr value = rules.convertForAssignment(valueOperand, targetType, TypeRules.AssignmentContext.ASSIGNING,
                    operator.location());
            return new Expr.Assign(targetType, target, value, location);
        }

        BinaryOp op = binaryOp(operator.text().substring(0, operator.text().length() - 1));
        Expr value = TypeRules.toValue(valueOperand);
        if (rules.isError(value)) {
            return rules.errorValue(location);
        }
        CType valueType = value.type();
        if (targetType instanceof PointerType pointer && valueType instanceof IntegerType
                && (op == BinaryOp.ADD || op == BinaryOp.SUB)) {
            if (!rules.checkModifiable(target, operator.location())) {
                return rules.errorValue(location);
            }
            Integer size = elementSizeForArithmetic(pointer, operator.location());
            if (size == null) {
                return rules.errorValue(location);
            }
            return new Expr.CompoundAssign(targetType, op, target, TypeRules.convert(value, IntegerType.INT), targetType,
                    size, location);
        }

        boolean integers = targetType instanceof IntegerType && valueType instanceof IntegerType;
        boolean floatingAllowed = op == BinaryOp.ADD || op == BinaryOp.SUB || op == BinaryOp.MUL || op == BinaryOp.DIV;
        if (!integers && !(floatingAllowed && targetType.isArithmetic() && valueType.isArithmetic())) {
            return invalidOperands(operator, target.type(), valueType, location);
        }
        if (!rules.checkModifiable(target, operator.location())) {
            return rules.errorValue(location);
        }
        if (op.isShift()) {
            return new Expr.CompoundAssign(targetType, op, target, TypeRules.promote(value),
                    TypeRules.promotedType((IntegerType) targetType), 0, location);
        }
        CType operationType = TypeRules.usualArithmeticType(targetType, valueType);
        return new Expr.CompoundAssign(targetType, op, target, TypeRules.convert(value, operationType), operationType, 0,
                location);
    }
}
