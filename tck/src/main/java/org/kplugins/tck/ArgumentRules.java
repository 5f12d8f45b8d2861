// SPDX-License-Identifier: Apache-2.0
package org.kplugins.tck;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.tck.TypeDescriptor;

/**
 * The rules for the host values that a KPC function accepts for a parameter, as the language documents it (see
 * {@code HostArguments} in the language module), and the TCK types that describe them. The
 * snippets declare these types, and their result verifiers accept an argument error only for a
 * value that these rules reject.
 */
final class ArgumentRules {

    /** What a pointer parameter points to, which decides whether strings and arrays are mapped. */
    enum Pointee {
        /** {@code char} and its signed and unsigned forms: strings map as NUL-terminated bytes. */
        CHAR,
        /** Other integer types: arrays of numbers map as arrays of that type. */
        INTEGER,
        /** {@code void}, a struct or a function: only addresses, pointers and buffers. */
        OTHER
    }

    /** An integer parameter: a number or a boolean. */
    static final TypeDescriptor INTEGER = TypeDescriptor.union(TypeDescriptor.NUMBER, TypeDescriptor.BOOLEAN);

    /** A float or double parameter: any number, but not a boolean. */
    static final TypeDescriptor FLOATING = TypeDescriptor.NUMBER;

    private ArgumentRules() {
    }

    /**
     * Returns the type of a pointer parameter: NULL, an address, an interop pointer or an object
     * (for buffers), plus strings for a char pointee and arrays of numbers for any integer
     * pointee. Objects other than buffers are rejected at run time, which the verifiers expect.
     */
    static TypeDescriptor pointer(Pointee pointee) {
        TypeDescriptor common = TypeDescriptor.union(TypeDescriptor.NULL, TypeDescriptor.NUMBER,
                        TypeDescriptor.NATIVE_POINTER, TypeDescriptor.OBJECT);
        return switch (pointee) {
            case CHAR -> TypeDescriptor.union(common, TypeDescriptor.STRING, TypeDescriptor.array(TypeDescriptor.NUMBER));
            case INTEGER -> TypeDescriptor.union(common, TypeDescriptor.array(TypeDescriptor.NUMBER));
            case OTHER -> common;
        };
    }

    /** Returns whether KPC converts {@code value} to an integer parameter: a boolean or an integral number. */
    static boolean acceptsInteger(Value value) {
        return value.isBoolean() || value.fitsInLong() || value.fitsInBigInteger();
    }

    /**
     * Returns whether KPC converts {@code value} to a float or double parameter: a number that
     * fits in a double, a long or a BigInteger, which it rounds to the parameter type.
     */
    static boolean acceptsFloating(Value value) {
        return value.fitsInDouble() || value.fitsInLong() || value.fitsInBigInteger();
    }

    /** Returns whether KPC converts {@code value} to a pointer parameter with the given pointee. */
    static boolean acceptsPointer(Value value, Pointee pointee) {
        if (value.isNull() || value.fitsInLong() || value.isNativePointer()) {
            return true;
        }
        if (value.isString()) {
            return pointee == Pointee.CHAR;
        }
        if (value.hasBufferElements() || (value.isHostObject() && value.asHostObject() instanceof byte[])) {
            return true;
        }
        if (value.hasArrayElements() && pointee != Pointee.OTHER) {
            for (long i = 0; i < value.getArraySize(); i++) {
                if (!value.getArrayElement(i).fitsInLong()) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
