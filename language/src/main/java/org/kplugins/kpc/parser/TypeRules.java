// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FloatingConversions;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;

/**
 * C's implicit conversions under ILP32: integer promotions, usual arithmetic conversions (with
 * float and double),
 * array-to-pointer decay and the conversions "as if by assignment" used by assignments,
 * initializers, arguments and return values. Every conversion becomes an explicit
 * {@link Expr.Cast} or {@link Expr.Decay} node.
 */
final class TypeRules {

    /** Where a conversion as if by assignment happens; picks the wording of its diagnostics. */
    enum AssignmentContext {
        ASSIGNING,
        INITIALIZING,
        PASSING,
        RETURNING;

        /** Returns clang's description of the conversion, e.g. "assigning to 'int *' from 'char *'". */
        String describe(CType target, CType value) {
            String t = "'" + target.spelling() + "'";
            String v = "'" + value.spelling() + "'";
            return switch (this) {
                case ASSIGNING -> "assigning to " + t + " from " + v;
                case INITIALIZING -> "initializing " + t + " with an expression of type " + v;
                case PASSING -> "passing " + v + " to parameter of type " + t;
                case RETURNING -> "returning " + v + " from a function with result type " + t;
            };
        }

        String describeIncompatible(CType target, CType value) {
            String t = "'" + target.spelling() + "'";
            String v = "'" + value.spelling() + "'";
            return switch (this) {
                case ASSIGNING -> "assigning to " + t + " from incompatible type " + v;
                case INITIALIZING -> "initializing " + t + " with an expression of incompatible type " + v;
                case PASSING -> "passing " + v + " to parameter of incompatible type " + t;
                case RETURNING -> "returning " + v + " from a function with incompatible result type " + t;
            };
        }
    }

    private final TokenCursor tokens;
    /** Stands for any expression that had an error, so that its uses report nothing more. */
    private final Variable errorVariable;

    TypeRules(TokenCursor tokens, SourceLocation start) {
        this.tokens = tokens;
        this.errorVariable = new Variable("<error>", IntegerType.INT, Variable.Storage.LOCAL, false, start);
    }

    void typeError(SourceLocation location, String message) {
        tokens.report(Diagnostic.Kind.TYPE, location, message);
    }

    /**
     * Returns the placeholder for an expression with an error: an assignable int lvalue that the
     * other rules accept silently, so one mistake reports one diagnostic.
     */
    Expr errorValue(SourceLocation location) {
        return new Expr.VariableRef(IntegerType.INT, errorVariable, location);
    }

    boolean isError(Expr e) {
        return e instanceof Expr.VariableRef ref && ref.variable() == errorVariable;
    }

    /** Returns the unqualified integer type with this rank and signedness. */
    static IntegerType integerType(IntegerType.Rank rank, boolean signed) {
        return switch (rank) {
            case BOOL -> IntegerType.BOOL;
            case CHAR -> signed ? IntegerType.SCHAR : IntegerType.UCHAR;
            case SHORT -> signed ? IntegerType.SHORT : IntegerType.USHORT;
            case INT -> signed ? IntegerType.INT : IntegerType.UINT;
            case LONG -> signed ? IntegerType.LONG : IntegerType.ULONG;
            case LONG_LONG -> signed ? IntegerType.LLONG : IntegerType.ULLONG;
        };
    }

    /** The type an integer promotes to: every type narrower than int becomes int. */
    static IntegerType promotedType(IntegerType type) {
        if (type.rank().compareTo(IntegerType.Rank.INT) < 0) {
            return IntegerType.INT;
        }
        return (IntegerType) type.unqualified();
    }

    /**
     * The common type of the usual arithmetic conversions. With ILP32, long cannot hold every
     * unsigned int value, so long with unsigned int gives unsigned long, while long long with
     * unsigned int gives long long.
     */
    static IntegerType usualArithmeticType(IntegerType a, IntegerType b) {
        IntegerType left = promotedType(a);
        IntegerType right = promotedType(b);
        if (left.sameAs(right)) {
            return left;
        }
        if (left.isSigned() == right.isSigned()) {
            return left.rank().compareTo(right.rank()) >= 0 ? left : right;
        }
        IntegerType unsigned = left.isSigned() ? right : left;
        IntegerType signed = left.isSigned() ? left : right;
        if (unsigned.rank().compareTo(signed.rank()) >= 0) {
            return unsigned;
        }
        if (signed.size() > unsigned.size()) {
            return signed;
        }
        return integerType(signed.rank(), false);
    }

    /**
     * Returns the common type of the usual arithmetic conversions for any two arithmetic types:
     * double if either operand is double, else float if either is float, else the integer common
     * type.
     */
    static CType usualArithmeticType(CType a, CType b) {
        if (a instanceof FloatingType || b instanceof FloatingType) {
            boolean isDouble = a instanceof FloatingType fa && fa.isDouble() || b instanceof FloatingType fb && fb.isDouble();
            return isDouble ? FloatingType.DOUBLE : FloatingType.FLOAT;
        }
        return usualArithmeticType((IntegerType) a, (IntegerType) b);
    }

    /** Returns the promoted type of an arithmetic type: floating types do not promote, integers do. */
    static CType promotedArithmeticType(CType type) {
        return type instanceof IntegerType integer ? promotedType(integer) : type.unqualified();
    }

    static boolean isCharType(CType type) {
        return type instanceof IntegerType i && i.rank() == IntegerType.Rank.CHAR;
    }

    static boolean isVoidPointer(CType type) {
        return type instanceof PointerType p && p.pointee().isVoid();
    }

    /**
     * Converts an lvalue of array type to a pointer to its first element and a function designator
     * to a pointer to the function; other values are kept. A named function used this way has its
     * address taken.
     */
    static Expr toValue(Expr e) {
        if (e.type() instanceof ArrayType array) {
            return new Expr.Decay(new PointerType(array.element()), e, e.location());
        }
        if (e instanceof Expr.FunctionRef ref) {
            return functionAddress(ref, ref.location());
        }
        if (e instanceof Expr.Dereference dereference && dereference.type() instanceof FunctionType) {
            // *pointer designates the function the pointer points to, which converts back to the pointer.
            Expr pointer = dereference.pointer();
            return Expr.isLvalue(pointer) ? new Expr.Cast(pointer.type().unqualified(), pointer, e.location()) : pointer;
        }
        return e;
    }

    /** Returns the address of the function {@code ref} names, and marks its address taken. */
    static Expr functionAddress(Expr.FunctionRef ref, SourceLocation location) {
        ref.function().markAddressTaken();
        return new Expr.FunctionAddress(new PointerType(ref.type()), ref.function(), location);
    }

    /** Applies the integer promotions to an integer value. */
    static Expr promote(Expr e) {
        return convert(e, promotedType((IntegerType) e.type()));
    }

    /**
     * Converts a scalar value to {@code target} (its unqualified form). An integer or floating
     * constant converted to an arithmetic type is folded into a new constant, with the conversion
     * the program would make at run time. An identical type adds no node.
     */
    static Expr convert(Expr e, CType target) {
        CType type = target.unqualified();
        if (e.type().unqualified().sameAs(type)) {
            return e;
        }
        if (e instanceof Expr.IntConstant constant && type instanceof IntegerType integer) {
            return new Expr.IntConstant(integer, ConstantEvaluator.normalize(constant.value(), integer),
                    constant.location());
        }
        if (e instanceof Expr.IntConstant constant && type instanceof FloatingType floating) {
            double value = FloatingConversions.fromInteger(constant.value(), (IntegerType) constant.type(), floating);
            return new Expr.FloatConstant(floating, value, constant.location());
        }
        if (e instanceof Expr.FloatConstant constant && type instanceof FloatingType floating) {
            return new Expr.FloatConstant(floating, ConstantEvaluator.roundTo(floating, constant.value()),
                    constant.location());
        }
        if (e instanceof Expr.FloatConstant constant && type instanceof IntegerType integer) {
            return new Expr.IntConstant(integer, FloatingConversions.toInteger(constant.value(), integer),
                    constant.location());
        }
        return new Expr.Cast(type, e, e.location());
    }

    /** Whether {@code e} is a null pointer constant: an integer constant expression 0, or one cast to void *. */
    static boolean isNullPointerConstant(Expr e) {
        if (e.type() instanceof IntegerType) {
            Long value = ConstantEvaluator.evaluate(e);
            return value != null && value == 0;
        }
        if (e instanceof Expr.Cast cast && isVoidPointer(cast.type()) && cast.operand().type() instanceof IntegerType) {
            Long value = ConstantEvaluator.evaluate(cast.operand());
            return value != null && value == 0;
        }
        return false;
    }

    /**
     * Converts {@code value} to {@code target} as if by assignment, reporting an error when C does
     * not allow the conversion implicitly: integer to pointer other than a null pointer constant,
     * pointer to integer, incompatible pointer types, a pointer conversion that drops const, or
     * mismatched structs. Returns the converted value, or the value unchanged after an error.
     */
    Expr convertForAssignment(Expr value, CType target, AssignmentContext context, SourceLocation location) {
        Expr v = toValue(value);
        if (isError(v)) {
            return v;
        }
        CType valueType = v.type();
        CType targetType = target.unqualified();
        if (targetType.isArithmetic() && valueType.isArithmetic()) {
            return convert(v, targetType);
        }
        if (targetType instanceof IntegerType) {
            if (valueType instanceof PointerType && ((IntegerType) targetType).isBool()) {
                return convert(v, targetType);
            }
            if (valueType instanceof PointerType) {
                typeError(location, "incompatible pointer to integer conversion " + context.describe(targetType, valueType));
                return errorValue(location);
            }
        } else if (targetType instanceof PointerType targetPointer) {
            if (isNullPointerConstant(v)) {
                return convert(v, targetType);
            }
            if (valueType instanceof PointerType valuePointer) {
                if (!pointeesAssignable(targetPointer.pointee(), valuePointer.pointee())) {
                    boolean functions = targetPointer.pointee() instanceof FunctionType
                            && valuePointer.pointee() instanceof FunctionType;
                    typeError(location, "incompatible " + (functions ? "function " : "") + "pointer types "
                            + context.describe(targetType, valueType));
                    return v;
                }
                if (valuePointer.pointee().isConst() && !targetPointer.pointee().isConst()) {
                    typeError(location, context.describe(targetType, valueType) + " discards qualifiers");
                    return v;
                }
                return convert(v, targetType);
            }
            if (valueType instanceof IntegerType) {
                typeError(location, "incompatible integer to pointer conversion " + context.describe(targetType, valueType));
                return v;
            }
        } else if (targetType instanceof StructType) {
            if (valueType.sameAs(targetType)) {
                return v;
            }
        }
        typeError(location, context.describeIncompatible(targetType, valueType));
        return v;
    }

    /**
     * Whether a pointer to {@code valuePointee} converts implicitly to a pointer to
     * {@code targetPointee}, qualifiers aside. void * converts both ways, except to and from function
     * pointers. Pointers to integer types that differ only in signedness are accepted too, as clang
     * accepts them with a warning.
     */
    static boolean pointeesAssignable(CType targetPointee, CType valuePointee) {
        boolean targetIsFunction = targetPointee instanceof FunctionType;
        boolean valueIsFunction = valuePointee instanceof FunctionType;
        if (targetIsFunction || valueIsFunction) {
            // Function pointers convert only to the same function type, not to or from void *.
            return targetIsFunction && valueIsFunction && targetPointee.sameAs(valuePointee);
        }
        if (targetPointee.isVoid() || valuePointee.isVoid()) {
            return true;
        }
        if (targetPointee.unqualified().sameAs(valuePointee.unqualified())) {
            return true;
        }
        return targetPointee instanceof IntegerType t && valuePointee instanceof IntegerType v
                && t.rank() == v.rank() && !t.isBool();
    }

    /**
     * Checks that {@code target} names a modifiable object and reports the error otherwise.
     * Returns whether the target can be assigned.
     */
    boolean checkModifiable(Expr target, SourceLocation location) {
        if (isError(target)) {
            return false;
        }
        if (!Expr.isLvalue(target)) {
            typeError(location, "expression is not assignable");
            return false;
        }
        CType type = target.type();
        if (type instanceof ArrayType) {
            typeError(location, "array type '" + type.spelling() + "' is not assignable");
            return false;
        }
        if (type.isConst() || type instanceof StructType s && hasConstMember(s)) {
            Variable variable = namedVariable(target);
            if (variable != null && isConstObject(variable.type())) {
                typeError(location, "cannot assign to variable '" + variable.name()
                        + "' with const-qualified type '" + variable.type().spelling() + "'");
            } else if (target instanceof Expr.MemberAccess access && access.member().type().isConst()) {
                typeError(location, "cannot assign to member '" + access.member().name()
                        + "' with const-qualified type '" + access.member().type().spelling() + "'");
            } else if (!type.isConst()) {
                typeError(location, "cannot assign to a struct with a const-qualified member ('"
                        + type.spelling() + "')");
            } else {
                typeError(location, "cannot assign to an object of const-qualified type '" + type.spelling() + "'");
            }
            return false;
        }
        if (!type.isComplete()) {
            typeError(location, "cannot assign to an object of incomplete type '" + type.spelling() + "'");
            return false;
        }
        return true;
    }

    /** Whether an object of this type is const: the type itself, or an array's element type. */
    private static boolean isConstObject(CType type) {
        CType current = type;
        while (current instanceof ArrayType array) {
            current = array.element();
        }
        return current.isConst();
    }

    private static boolean hasConstMember(StructType struct) {
        for (StructType.Member member : struct.members()) {
            CType type = member.type();
            while (type instanceof ArrayType array) {
                type = array.element();
            }
            if (type.isConst() || type instanceof StructType inner && hasConstMember(inner)) {
                return true;
            }
        }
        return false;
    }

    /** The variable an lvalue names directly or through member access and array elements, or null. */
    private static Variable namedVariable(Expr e) {
        Expr current = e;
        while (true) {
            if (current instanceof Expr.VariableRef ref) {
                return ref.variable();
            } else if (current instanceof Expr.MemberAccess access) {
                current = access.struct();
            } else if (current instanceof Expr.Dereference deref
                    && deref.pointer() instanceof Expr.PointerArithmetic arithmetic
                    && arithmetic.pointer() instanceof Expr.Decay decay) {
                current = decay.array();
            } else {
                return null;
            }
        }
    }
}
