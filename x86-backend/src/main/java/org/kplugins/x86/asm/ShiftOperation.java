// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import java.util.Locale;

/**
 * The shift and rotate instructions of opcode group 2 (0xC0, 0xC1, 0xD0 to 0xD3), whose ModRM reg
 * field contains the operation number. The processor masks the count to 5 bits, or to 6 bits for a
 * 64-bit operand, so a count of 32 shifts a 32-bit operand by 0.
 */
public enum ShiftOperation {
    /** Rotate left. */
    ROL(0),
    /** Rotate right. */
    ROR(1),
    /** Rotate left through the carry flag. */
    RCL(2),
    /** Rotate right through the carry flag. */
    RCR(3),
    /** Shift left; SAL is the same instruction. */
    SHL(4),
    /** Logical shift right, filling with zeros. */
    SHR(5),
    /** Arithmetic shift right, filling with copies of the sign bit. */
    SAR(7);

    private final int code;
    private final String mnemonic;

    ShiftOperation(int code) {
        this.code = code;
        this.mnemonic = name().toLowerCase(Locale.ROOT);
    }

    /** Returns the opcode extension that goes into the ModRM reg field. */
    public int code() {
        return code;
    }

    /** Returns the assembler mnemonic, for example {@code "sar"}. */
    public String mnemonic() {
        return mnemonic;
    }
}
