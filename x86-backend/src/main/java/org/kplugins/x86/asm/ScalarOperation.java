// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

/**
 * The scalar SSE instructions that share one encoding pattern: prefix {@code F3} for the single
 * precision form ({@code addss}), {@code F2} for the double precision form ({@code addsd}), then
 * {@code 0F} and the operation's byte, with the destination XMM register in ModRM.reg.
 */
public enum ScalarOperation {
    /** movss or movsd from a register or memory into a register. */
    MOV(0x10, "mov"),
    ADD(0x58, "add"),
    MUL(0x59, "mul"),
    SUB(0x5C, "sub"),
    DIV(0x5E, "div");

    private final int opcode;
    private final String stem;

    ScalarOperation(int opcode, String stem) {
        this.opcode = opcode;
        this.stem = stem;
    }

    /** Returns the second opcode byte, after 0F. */
    public int opcode() {
        return opcode;
    }

    /** Returns the mnemonic for {@code size}: DWORD is single precision ({@code addss}), QWORD double ({@code addsd}). */
    public String mnemonic(OperandSize size) {
        return stem + (size == OperandSize.QWORD ? "sd" : "ss");
    }
}
