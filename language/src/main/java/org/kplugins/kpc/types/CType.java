// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

/**
 * A C type under KPC's ILP32 data model: int, long and pointers are 32 bits, long long is 64, char
 * is signed, float and double are IEEE 754 binary32 and binary64. Types are immutable; {@link #withConst} returns a const-qualified copy. Sizes and
 * alignments are in bytes.
 */
public abstract sealed class CType
        permits VoidType, IntegerType, FloatingType, PointerType, ArrayType, StructType, FunctionType {

    private final boolean isConst;

    protected CType(boolean isConst) {
        this.isConst = isConst;
    }

    /** Size in bytes; 0 for void, functions and incomplete types. */
    public abstract int size();

    /** Alignment in bytes. */
    public abstract int align();

    public final boolean isConst() {
        return isConst;
    }

    /** Returns this type with the const qualifier set or cleared. */
    public abstract CType withConst(boolean constQualified);

    /** Returns this type without qualifiers. */
    public final CType unqualified() {
        return isConst ? withConst(false) : this;
    }

    public boolean isInteger() {
        return this instanceof IntegerType;
    }

    public boolean isFloating() {
        return this instanceof FloatingType;
    }

    /** Integers and floating types: the operands of {@code + - * /}. */
    public boolean isArithmetic() {
        return this instanceof IntegerType || this instanceof FloatingType;
    }

    public boolean isPointer() {
        return this instanceof PointerType;
    }

    /** Arithmetic types and pointers: the types that can be tested for zero and compared. */
    public boolean isScalar() {
        return isArithmetic() || this instanceof PointerType;
    }

    public boolean isVoid() {
        return this instanceof VoidType;
    }

    /** Whether an object of this type can be declared: not void, not a function, not incomplete. */
    public boolean isComplete() {
        return size() > 0 || this instanceof ArrayType a && a.length() == 0 && a.element().isComplete();
    }

    /** Structural type identity, ignoring top-level const (C's "compatible types", simplified). */
    public abstract boolean sameAs(CType other);

    /** Returns the type as C spells it, for diagnostics, e.g. {@code const uint8_t *}. */
    public abstract String spelling();

    /** Whether a function type appears in this type behind pointers and arrays, as in {@code int (*[4])(int)}. */
    static boolean involvesFunction(CType type) {
        CType current = type;
        while (true) {
            if (current instanceof FunctionType) {
                return true;
            } else if (current instanceof PointerType pointer) {
                current = pointer.pointee();
            } else if (current instanceof ArrayType array) {
                current = array.element();
            } else {
                return false;
            }
        }
    }

    /**
     * Spells {@code type} around {@code declarator} as a C declaration does, for example
     * {@code int (*handlers[4])(int)} for an array of four function pointers around
     * {@code handlers}, or the type name {@code int (*[4])(int)} around an empty declarator.
     */
    static String spellAround(CType type, String declarator) {
        if (type instanceof PointerType pointer) {
            String star = "*" + (pointer.isConst() ? (declarator.isEmpty() ? "const" : "const ") : "") + declarator;
            CType pointee = pointer.pointee();
            boolean bindsTighter = pointee instanceof FunctionType || pointee instanceof ArrayType;
            return spellAround(pointee, bindsTighter ? "(" + star + ")" : star);
        }
        if (type instanceof FunctionType function) {
            return spellAround(function.returnType(), declarator + function.parameterList());
        }
        if (type instanceof ArrayType array) {
            return spellAround(array.element(), declarator + "[" + (array.length() < 0 ? "" : array.length()) + "]");
        }
        String base = type.spelling();
        return declarator.isEmpty() ? base : base + " " + declarator;
    }

    @Override
    public final String toString() {
        return spelling();
    }
}
