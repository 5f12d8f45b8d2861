// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import java.util.Locale;

/**
 * Builds the operand text that objdump prints in Intel syntax, from the operands alone. It does not
 * use {@link Register#nameAt} or {@link Memory#toString}, so the checks do not depend on the code
 * under test.
 */
final class IntelSyntax {

    private IntelSyntax() {
    }

    /** Returns the register name objdump prints for {@code register} used at {@code size}. */
    static String reg(Register register, OperandSize size) {
        String name = register.name().toLowerCase(Locale.ROOT);
        if (register.isHighByte()) {
            return name;
        }
        if (name.matches("r[0-9]+")) {
            return switch (size) {
                case QWORD -> name;
                case DWORD -> name + "d";
                case WORD -> name + "w";
                case BYTE -> name + "b";
            };
        }
        String stem = name.substring(1); // "ax", "sp", "si", ...
        return switch (size) {
            case QWORD -> name;
            case DWORD -> "e" + stem;
            case WORD -> stem;
            case BYTE -> stem.endsWith("x") ? stem.charAt(0) + "l" : stem + "l";
        };
    }

    /** Returns the immediate as objdump prints it: hexadecimal, truncated to the operand size. */
    static String imm(long value, OperandSize size) {
        long truncated = size == OperandSize.QWORD ? value : value & ((1L << size.bits()) - 1);
        return "0x" + Long.toHexString(truncated);
    }

    /** Returns {@code "DWORD PTR [rax+0x8]"} and the like. */
    static String mem(Memory memory, OperandSize size) {
        return size.name() + " PTR " + mem(memory);
    }

    /**
     * Returns the address part of a memory operand as objdump prints it, as in {@code lea}, with a
     * segment override as {@code gs:[...]}.
     */
    static String mem(Memory memory) {
        String override = memory.segment() == null ? "" : memory.segment().name().toLowerCase(Locale.ROOT) + ":";
        if (memory.isRipRelative()) {
            return override + "[rip+0x" + Long.toHexString(memory.displacement()) + "]";
        }
        if (memory.base() == null && memory.index() == null) {
            return (override.isEmpty() ? "ds:" : override) + "0x" + Long.toHexString(memory.displacement());
        }
        StringBuilder text = new StringBuilder(override).append('[');
        if (memory.base() != null) {
            text.append(reg(memory.base(), OperandSize.QWORD));
        }
        if (memory.index() != null) {
            if (memory.base() != null) {
                text.append('+');
            }
            text.append(reg(memory.index(), OperandSize.QWORD)).append('*').append(memory.scale());
        }
        // objdump prints every displacement that is in the encoding: always a disp32 without a
        // base, and an 8-bit 0 for an RBP or R13 base.
        boolean hasDisplacement = memory.displacement() != 0 || memory.base() == null
                        || memory.base() == Register.RBP || memory.base() == Register.R13;
        if (hasDisplacement) {
            long displacement = memory.displacement();
            text.append(displacement < 0 ? "-0x" : "+0x").append(Long.toHexString(Math.abs(displacement)));
        }
        return text.append(']').toString();
    }
}
