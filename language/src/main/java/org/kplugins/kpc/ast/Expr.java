// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.ast;

import java.util.List;

import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FloatingArithmetic;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;

/**
 * A typed expression. {@link #type()} is the C type of the value (for lvalues, the type of the
 * object). Lvalues are {@link VariableRef}, {@link Dereference}, {@link MemberAccess},
 * {@link StringLiteral} and {@link CompoundLiteral}; reading an lvalue in a value context loads it, except arrays, which the
 * parser wraps in {@link Decay}.
 */
public sealed interface Expr {

    CType type();

    SourceLocation location();

    /** An integer constant; {@code value} is already normalized to {@code type}'s range. */
    record IntConstant(CType type, long value, SourceLocation location) implements Expr {
    }

    /**
     * A floating constant of type float or double. For a float, {@code value} is the float value,
     * which a double represents exactly.
     */
    record FloatConstant(CType type, double value, SourceLocation location) implements Expr {

        /** Returns the value as stored in memory: binary64 bits for a double, binary32 bits (zero-extended) for a float. */
        public long bits() {
            long doubleBits = Double.doubleToRawLongBits(value);
            if (((FloatingType) type).isDouble()) {
                return doubleBits;
            }
            return Integer.toUnsignedLong(FloatingArithmetic.doubleToFloat(doubleBits));
        }
    }

    /**
     * A string literal: an array of char in read-only memory, {@code bytes} are chars 0-255 without
     * the terminating NUL, and the type's length includes the NUL.
     */
    record StringLiteral(CType type, String bytes, SourceLocation location) implements Expr {
    }

    /** A use of a variable (lvalue). */
    record VariableRef(CType type, Variable variable, SourceLocation location) implements Expr {
    }

    /**
     * -x, ~x or !x. For - and ~ the operand is promoted to {@code type} (a floating operand keeps
     * its type, and ~ takes only integers); ! yields int.
     */
    record Unary(CType type, UnaryOp op, Expr operand, SourceLocation location) implements Expr {
    }

    /**
     * An arithmetic, bitwise, comparison or logical operator. For arithmetic and bitwise operators
     * both operands already have the result {@code type}, which is floating only for + - * and /.
     * For shifts the right operand is promoted on its own and may differ. For comparisons both
     * operands have a common type (an integer or floating type, or pointers compared unsigned) and
     * {@code type} is int. For && and || the operands are any scalars and {@code type} is int.
     */
    record Binary(CType type, BinaryOp op, Expr left, Expr right, SourceLocation location) implements Expr {
    }

    /**
     * Pointer plus or minus an integer: {@code pointer + index * elementSize} in 32-bit wrapping
     * arithmetic. {@code op} is ADD or SUB; {@code index} is converted to int.
     */
    record PointerArithmetic(PointerType type, BinaryOp op, Expr pointer, Expr index, int elementSize,
            SourceLocation location) implements Expr {
    }

    /** The difference of two pointers in elements; type is int (ptrdiff_t). */
    record PointerDifference(CType type, Expr left, Expr right, int elementSize, SourceLocation location)
            implements Expr {
    }

    /**
     * Simple assignment. {@code value} is already converted to the target's unqualified type; a
     * struct assignment copies {@code type().size()} bytes. The value of the expression is the
     * value stored.
     */
    record Assign(CType type, Expr target, Expr value, SourceLocation location) implements Expr {
    }

    /**
     * {@code target op= value}: computes {@code (T)((operationType) target op value)} and stores it,
     * evaluating the target's address once. {@code value} is converted to {@code operationType},
     * except for shifts, where it is promoted on its own. When the target is a pointer, op is ADD
     * or SUB, {@code elementSize} is the pointee size and value is converted to int; otherwise
     * elementSize is 0.
     */
    record CompoundAssign(CType type, BinaryOp op, Expr target, Expr value, CType operationType,
            int elementSize, SourceLocation location) implements Expr {
    }

    /**
     * ++ or -- on an arithmetic or pointer lvalue. {@code step} is 1 for arithmetic types and the
     * pointee size for pointers. For integers the arithmetic happens in the promoted type and the
     * result is converted back, as C does for x += 1; a float or double adds 1 in its own type.
     */
    record IncDec(CType type, Expr target, boolean increment, boolean prefix, int step, SourceLocation location)
            implements Expr {
    }

    /** cond ? a : b; both branches already converted to {@code type} (or both void). */
    record Conditional(CType type, Expr condition, Expr whenTrue, Expr whenFalse, SourceLocation location)
            implements Expr {
    }

    /** left, right: evaluates left for its effects, yields right. */
    record Comma(CType type, Expr left, Expr right, SourceLocation location) implements Expr {
    }

    /**
     * An explicit or implicit conversion between scalar types, or to void. Integer to integer
     * truncates or extends by the source's signedness; to _Bool yields {@code operand != 0}.
     * Pointers convert to and from integers by their 32-bit value. Conversions to and from
     * floating types follow {@link org.kplugins.kpc.types.FloatingConversions}; a pointer never
     * converts to or from a floating type.
     */
    record Cast(CType type, Expr operand, SourceLocation location) implements Expr {
    }

    /** An array lvalue used as a value: the address of its first element. */
    record Decay(PointerType type, Expr array, SourceLocation location) implements Expr {
    }

    /** &lvalue. The parser marks a variable operand as address-taken. */
    record AddressOf(PointerType type, Expr operand, SourceLocation location) implements Expr {
    }

    /** *pointer (lvalue). Array indexing a[i] is parsed as *(a + i). */
    record Dereference(CType type, Expr pointer, SourceLocation location) implements Expr {
    }

    /**
     * A compound literal {@code (type){ initializer }} at block scope: an unnamed object with
     * automatic storage in the enclosing function's frame (lvalue). Each evaluation stores the
     * initializer items of {@code variable}, after zero-filling it, and designates the object. At
     * file scope a compound literal has static storage and the parser yields a {@link VariableRef}
     * to an unnamed global instead.
     */
    record CompoundLiteral(CType type, Variable variable, SourceLocation location) implements Expr {
    }

    /** s.m on a struct lvalue; p->m is parsed as (*p).m. */
    record MemberAccess(CType type, Expr struct, StructType.Member member, SourceLocation location)
            implements Expr {
    }

    /**
     * A direct call. Arguments are converted to the parameter types; arguments matching the
     * {@code ...} of a variadic callee have had the default argument promotions applied.
     */
    record Call(CType type, Function callee, List<Expr> arguments, SourceLocation location) implements Expr {
    }

    /**
     * A function designator: the name of a function, or {@code *pointer} for a function pointer,
     * which is a {@link Dereference} of function type. Calling a named function is a
     * {@link Call}; in any other use the parser turns the designator into a
     * {@link FunctionAddress} or the pointer, as C converts a function to a pointer to it.
     */
    record FunctionRef(FunctionType type, Function function, SourceLocation location) implements Expr {
    }

    /** The address of a function, {@code f} or {@code &f}: a function pointer constant. */
    record FunctionAddress(PointerType type, Function function, SourceLocation location) implements Expr {
    }

    /**
     * A call through a function pointer, {@code pointer(arguments)} or {@code (*pointer)(arguments)}.
     * {@code calleeType} is the pointee type of {@code pointer}'s type; arguments are converted as
     * for a {@link Call} of that type.
     */
    record IndirectCall(CType type, FunctionType calleeType, Expr pointer, List<Expr> arguments, SourceLocation location)
            implements Expr {
    }

    /**
     * The address of the first variadic argument of the enclosing variadic function, which
     * {@code va_start} stores in its {@code va_list}. The arguments lie in the plugin stack as an
     * i386 cdecl caller pushes them, in 4-byte slots, 8 bytes for a long long.
     */
    record VariadicArguments(PointerType type, SourceLocation location) implements Expr {
    }

    /** Whether {@code e} designates an object. */
    static boolean isLvalue(Expr e) {
        return e instanceof VariableRef || e instanceof Dereference || e instanceof MemberAccess
                || e instanceof StringLiteral || e instanceof CompoundLiteral;
    }
}
