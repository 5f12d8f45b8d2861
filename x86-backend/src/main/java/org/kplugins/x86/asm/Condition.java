// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

/**
 * The 16 condition codes of jcc, setcc and cmovcc, named by their Intel mnemonic suffix. The code
 * is added to the base opcode (0x70 for jcc rel8, 0x0F 0x80 for jcc rel32, 0x0F 0x90 for setcc,
 * 0x0F 0x40 for cmovcc). B, AE, BE and A compare unsigned values, and L, GE, LE and G compare
 * signed ones.
 */
public enum Condition {
    /** Overflow (OF = 1). */
    O(0x0),
    /** No overflow (OF = 0). */
    NO(0x1),
    /** Below, unsigned less than (CF = 1); also called C and NAE. */
    B(0x2),
    /** Above or equal, unsigned greater or equal (CF = 0); also called NC and NB. */
    AE(0x3),
    /** Equal (ZF = 1); also called Z. */
    E(0x4),
    /** Not equal (ZF = 0); also called NZ. */
    NE(0x5),
    /** Below or equal, unsigned (CF = 1 or ZF = 1); also called NA. */
    BE(0x6),
    /** Above, unsigned greater than (CF = 0 and ZF = 0); also called NBE. */
    A(0x7),
    /** Sign (SF = 1). */
    S(0x8),
    /** No sign (SF = 0). */
    NS(0x9),
    /** Parity even (PF = 1); also called PE. */
    P(0xA),
    /** Parity odd (PF = 0); also called PO. */
    NP(0xB),
    /** Less, signed (SF != OF); also called NGE. */
    L(0xC),
    /** Greater or equal, signed (SF = OF); also called NL. */
    GE(0xD),
    /** Less or equal, signed (ZF = 1 or SF != OF); also called NG. */
    LE(0xE),
    /** Greater, signed (ZF = 0 and SF = OF); also called NLE. */
    G(0xF);

    private final int code;

    Condition(int code) {
        this.code = code;
    }

    /** Returns the 4-bit condition code, 0 to 15. */
    public int code() {
        return code;
    }

    /** Returns the opposite condition. Flipping the low bit of the code negates every x86 condition. */
    public Condition negate() {
        return values()[code ^ 1];
    }
}
