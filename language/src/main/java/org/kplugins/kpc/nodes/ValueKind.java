// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.IntegerType;

/**
 * How a C value is carried in Java: which execute method of {@link KpcExpressionNode} returns it.
 *
 * <p>A float is carried as the Java int of its IEEE 754 binary32 bits and a double as the Java
 * long of its binary64 bits, so frame slots, arguments, results, loads and stores move floating
 * values like integers of the same size, with every bit (NaN payloads included) kept. Only the
 * floating operator and conversion nodes reinterpret the bits.
 */
public enum ValueKind {
    /** Integers up to 32 bits, pointers, structs (by address) and float (by its bits): Java int. */
    INT,
    /** long long, unsigned long long and double (by its bits): Java long. */
    LONG,
    /** void: no value. */
    VOID;

    public static ValueKind of(CType type) {
        if (type.isVoid()) {
            return VOID;
        }
        if (type instanceof IntegerType integer && integer.is64Bit()) {
            return LONG;
        }
        if (type instanceof FloatingType floating && floating.isDouble()) {
            return LONG;
        }
        return INT;
    }
}
