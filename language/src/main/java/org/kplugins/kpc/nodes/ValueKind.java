// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.IntegerType;

/** How a C value is carried in Java: which execute method of {@link KpcExpressionNode} returns it. */
public enum ValueKind {
    /** Integers up to 32 bits, pointers, and structs (by address): Java int. */
    INT,
    /** long long and unsigned long long: Java long. */
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
        return INT;
    }
}
