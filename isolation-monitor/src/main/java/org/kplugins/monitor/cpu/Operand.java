// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

/** An operand of a decoded {@link Instruction}. */
public sealed interface Operand {

    /** Register number of RIP as the base of a memory operand. */
    int RIP = 16;
    /** Register number meaning "no register" in a memory operand. */
    int NONE = -1;

    /**
     * A general-purpose register: number 0 to 15 (RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8 to
     * R15) and size in bytes, 1, 2, 4 or 8. {@code highByte} marks AH, CH, DH or BH, the second
     * byte of register {@code number} 0 to 3, which a byte operand without a REX prefix names with
     * numbers 4 to 7.
     */
    record Gpr(int number, int size, boolean highByte) implements Operand {
    }

    /** An XMM register, 0 to 15. */
    record Xmm(int number) implements Operand {
    }

    /**
     * A memory operand {@code segment:[base + index * scale + displacement]}. Base and index are
     * register numbers or {@link #NONE}; base {@link #RIP} means the address of the next
     * instruction. Scale is 1, 2, 4 or 8, and 1 when there is no index. The displacement is
     * sign-extended from its 8 or 32 bits. The instruction gives the access size.
     */
    record Mem(Segment segment, int base, int index, int scale, long displacement) implements Operand {
    }

    /** An immediate, sign-extended to 64 bits as the instruction defines (zero-extended for the imm8 of a shift). */
    record Imm(long value) implements Operand {
    }
}
