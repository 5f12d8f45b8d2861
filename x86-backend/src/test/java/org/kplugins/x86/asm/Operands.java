// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import java.util.ArrayList;
import java.util.List;

/** Operand values the encoding tests combine. */
final class Operands {

    static final List<Register> GP = Register.GENERAL_PURPOSE;
    static final List<OperandSize> SIZES = List.of(OperandSize.values());

    /** The registers whose 8-bit forms work without REX (al, cl, dl, bl) and the high-byte registers. */
    static final List<Register> LEGACY_BYTE = List.of(Register.RAX, Register.RCX, Register.RDX, Register.RBX,
                    Register.AH, Register.CH, Register.DH, Register.BH);

    /** Displacements at the disp8 and disp32 boundaries. */
    static final int[] DISPLACEMENTS = {0, 1, 127, 128, -128, -129, Integer.MIN_VALUE, Integer.MAX_VALUE};

    /** Memory operands: every base with every edge displacement, every index and scale, no base, absolute and RIP-relative. */
    static final List<Memory> MEMORY = memoryOperands();

    private Operands() {
    }

    /** Immediates at the imm8 boundary and the ends of the operand size's range, signed and unsigned. */
    static long[] immediates(OperandSize size) {
        return switch (size) {
            case BYTE -> new long[] {0, 1, 127, 128, -128, 255, -1};
            case WORD -> new long[] {0, 1, 127, 128, -128, -129, 0x7FFF, -0x8000, 0xFFFF};
            case DWORD -> new long[] {0, 1, 127, 128, -128, -129, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF_FFFFL};
            case QWORD -> new long[] {0, 1, 127, 128, -128, -129, Integer.MAX_VALUE, Integer.MIN_VALUE};
        };
    }

    private static List<Memory> memoryOperands() {
        List<Memory> operands = new ArrayList<>();
        for (Register base : GP) {
            for (int displacement : DISPLACEMENTS) {
                operands.add(Memory.at(base, displacement));
            }
        }
        int[] scales = {1, 2, 4, 8};
        int n = 0;
        for (Register index : GP) {
            if (index == Register.RSP) {
                continue;
            }
            for (int scale : scales) {
                Register base = GP.get(n % GP.size());
                operands.add(Memory.at(base, index, scale, DISPLACEMENTS[n % DISPLACEMENTS.length]));
                n++;
            }
            operands.add(Memory.at(Register.RBP, index, 1, 0));
            operands.add(Memory.at(Register.R13, index, 2, 0));
            operands.add(Memory.at(Register.RSP, index, 4, 0));
            operands.add(Memory.at(Register.R12, index, 8, -1));
        }
        for (int scale : new int[] {2, 4, 8}) {
            operands.add(Memory.indexed(Register.RBX, scale, 0));
            operands.add(Memory.indexed(Register.R12, scale, -128));
            operands.add(Memory.indexed(Register.R15, scale, Integer.MAX_VALUE));
        }
        for (int displacement : new int[] {0, 0x10, -128, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            operands.add(Memory.absolute(displacement));
            operands.add(Memory.ripRelative(displacement));
        }
        return List.copyOf(operands);
    }
}
