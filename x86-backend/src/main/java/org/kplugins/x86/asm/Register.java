// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import java.util.List;

/**
 * The x86-64 general-purpose registers. One constant names the whole register, and the
 * {@link OperandSize} of an instruction selects the part it uses ({@code RAX} is {@code al},
 * {@code ax}, {@code eax} or {@code rax}).
 *
 * <p>{@link #AH}, {@link #CH}, {@link #DH} and {@link #BH} are the legacy high-byte registers. They
 * are valid only as 8-bit operands of an instruction without a REX prefix, because with a REX
 * prefix the same register codes 4 to 7 select {@code spl}, {@code bpl}, {@code sil} and
 * {@code dil}. {@link #GENERAL_PURPOSE} lists the 16 registers a register allocator works with.
 */
public enum Register {
    RAX(0, "rax", "eax", "ax", "al"),
    RCX(1, "rcx", "ecx", "cx", "cl"),
    RDX(2, "rdx", "edx", "dx", "dl"),
    RBX(3, "rbx", "ebx", "bx", "bl"),
    RSP(4, "rsp", "esp", "sp", "spl"),
    RBP(5, "rbp", "ebp", "bp", "bpl"),
    RSI(6, "rsi", "esi", "si", "sil"),
    RDI(7, "rdi", "edi", "di", "dil"),
    R8(8, "r8", "r8d", "r8w", "r8b"),
    R9(9, "r9", "r9d", "r9w", "r9b"),
    R10(10, "r10", "r10d", "r10w", "r10b"),
    R11(11, "r11", "r11d", "r11w", "r11b"),
    R12(12, "r12", "r12d", "r12w", "r12b"),
    R13(13, "r13", "r13d", "r13w", "r13b"),
    R14(14, "r14", "r14d", "r14w", "r14b"),
    R15(15, "r15", "r15d", "r15w", "r15b"),
    AH(4, null, null, null, "ah"),
    CH(5, null, null, null, "ch"),
    DH(6, null, null, null, "dh"),
    BH(7, null, null, null, "bh");

    /** RAX to R15 in encoding order, without the high-byte registers. */
    public static final List<Register> GENERAL_PURPOSE = List.of(RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
                    R8, R9, R10, R11, R12, R13, R14, R15);

    private final int encoding;
    private final String name64;
    private final String name32;
    private final String name16;
    private final String name8;

    Register(int encoding, String name64, String name32, String name16, String name8) {
        this.encoding = encoding;
        this.name64 = name64;
        this.name32 = name32;
        this.name16 = name16;
        this.name8 = name8;
    }

    /** Returns the 4-bit register number, 0 to 15. A ModRM or SIB field contains the low 3 bits and a REX bit the fourth. */
    public int encoding() {
        return encoding;
    }

    /** Returns the 3-bit code that goes into the ModRM reg or r/m field, the SIB fields or the opcode byte. */
    public int lowBits() {
        return encoding & 7;
    }

    /** Returns whether the register needs a REX extension bit (REX.R, REX.X or REX.B): true for R8 to R15. */
    public boolean needsRexBit() {
        return encoding >= 8;
    }

    /** Returns whether this is one of AH, CH, DH and BH. */
    public boolean isHighByte() {
        return name64 == null;
    }

    /**
     * Returns whether the 8-bit form of this register needs a REX prefix even without an extension bit:
     * true for {@code spl}, {@code bpl}, {@code sil} and {@code dil}, whose codes mean AH to BH
     * without REX.
     */
    public boolean byteFormNeedsRex() {
        return !isHighByte() && encoding >= 4 && encoding < 8;
    }

    /** Returns whether the register has a part of the given size. The high-byte registers have only 8 bits. */
    public boolean hasSize(OperandSize size) {
        return nameAt(size) != null;
    }

    /**
     * Returns the assembler name of the part of the register that an operand of the given size
     * uses, for example {@code r9d} for {@code R9} at {@link OperandSize#DWORD}, or null when the
     * register has no such part.
     */
    public String nameAt(OperandSize size) {
        return switch (size) {
            case QWORD -> name64;
            case DWORD -> name32;
            case WORD -> name16;
            case BYTE -> name8;
        };
    }

    @Override
    public String toString() {
        return isHighByte() ? name8 : name64;
    }
}
