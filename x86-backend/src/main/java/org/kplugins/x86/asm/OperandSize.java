// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

/**
 * The size of an instruction's operands. WORD adds the 0x66 operand-size prefix and QWORD sets
 * REX.W; BYTE usually selects an opcode one below the 16/32/64-bit one.
 */
public enum OperandSize {
    BYTE(8),
    WORD(16),
    DWORD(32),
    QWORD(64);

    private final int bits;

    OperandSize(int bits) {
        this.bits = bits;
    }

    /** Returns the size in bits: 8, 16, 32 or 64. */
    public int bits() {
        return bits;
    }

    /** Returns the size in bytes: 1, 2, 4 or 8. */
    public int bytes() {
        return bits / 8;
    }
}
