// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

/**
 * A constant operand. An {@code I32} constant keeps its value sign-extended from 32 bits, so
 * {@code (unsigned)-1} is stored as -1, the value of the Truffle tier's Java int.
 */
public record Imm(long value, Width width) implements Operand {

    public Imm {
        if (width == Width.I32 && value != (int) value) {
            throw new IllegalArgumentException("32-bit constant " + value + " is not sign-extended from 32 bits");
        }
    }

    /** Returns the constant {@code value} of {@code width}, truncating a 32-bit one to its low 32 bits. */
    public static Imm of(long value, Width width) {
        return new Imm(width == Width.I32 ? (int) value : value, width);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
