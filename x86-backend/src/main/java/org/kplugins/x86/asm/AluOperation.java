// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import java.util.Locale;

/**
 * The eight integer ALU instructions that share one encoding pattern: {@code code*8 + 0..5} for
 * the register and accumulator forms, and 0x80, 0x81 or 0x83 with {@code /code} in the ModRM reg
 * field for the immediate forms. CMP computes SUB and TEST computes AND only for the flags, but
 * TEST has its own opcodes and is not part of this group.
 */
public enum AluOperation {
    ADD(0),
    OR(1),
    ADC(2),
    SBB(3),
    AND(4),
    SUB(5),
    XOR(6),
    CMP(7);

    private final int code;
    private final String mnemonic;

    AluOperation(int code) {
        this.code = code;
        this.mnemonic = name().toLowerCase(Locale.ROOT);
    }

    /** Returns the 3-bit operation number: the opcode extension of the immediate forms and bits 3-5 of the other opcodes. */
    public int code() {
        return code;
    }

    /** Returns the assembler mnemonic, for example {@code "add"}. */
    public String mnemonic() {
        return mnemonic;
    }
}
