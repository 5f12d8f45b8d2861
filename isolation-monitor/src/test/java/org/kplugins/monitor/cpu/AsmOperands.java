// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import java.util.ArrayList;
import java.util.List;

/** Operands in GNU as Intel syntax for the decoder tests: registers of each size and many addressing forms. */
final class AsmOperands {

    static final List<String> GPR64 = List.of("rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10",
                    "r11", "r12", "r13", "r14", "r15");
    static final List<String> GPR32 = List.of("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d",
                    "r10d", "r11d", "r12d", "r13d", "r14d", "r15d");
    static final List<String> GPR16 = List.of("ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w",
                    "r11w", "r12w", "r13w", "r14w", "r15w");
    /** Byte registers that every encoding can use; spl, bpl, sil, dil and r8b to r15b need REX. */
    static final List<String> GPR8 = List.of("al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b",
                    "r11b", "r12b", "r13b", "r14b", "r15b");
    /** The byte registers that exist only without REX, usable with al, cl, dl and bl. */
    static final List<String> HIGH_BYTES = List.of("ah", "ch", "dh", "bh");
    static final List<String> SIZES = List.of("BYTE", "WORD", "DWORD", "QWORD");

    /**
     * Addressing forms. They include every base (RSP and R12 need SIB, RBP and R13 a displacement)
     * and disp8 and disp32 at both ends of their range. Then come SIB with each scale and extended
     * registers, an index without a base, an absolute address, RIP-relative and segment overrides.
     */
    static final List<String> MEMORY = List.of("[rax]", "[rcx+0x7f]", "[rdx-0x80]", "[rbx+0x80]", "[rsi-0x81]",
                    "[rdi+0x7fffffff]", "[r8-0x80000000]", "[rsp]", "[rsp+0x8]", "[r12]", "[r12-0x10]", "[rbp]",
                    "[rbp-0x8]", "[r13]", "[r13+0x100]", "[r9+0x12345]", "[r15-0x1]", "[r11]", "[r14+0x40]",
                    "[r10-0x7fffffff]", "[rax+rcx*1]", "[rax+rbx*2+0x10]", "[r9+r10*4-0x20]", "[r15+r14*8+0x12345]",
                    "[rsp+rbp*1]", "[rbp+rax*1]", "[r13+r12*2]", "[rdi+r12*8]", "[r12+r13*1]",
                    "[rax*8+0x40]", "[r11*2-0x8]", "[rsi*4]", "[0x1000]", "[0x7ffffff0]", "[rip+0x100]", "[rip-0x10]",
                    "[rip+0x0]", "gs:[rax+0x8]", "fs:[rbx]", "gs:0x28", "fs:0x0", "gs:[r12+r13*4+0x4]",
                    "gs:[rip+0x20]", "fs:[rsp+0x10]", "gs:[rbp-0x80]", "gs:[r10*8+0x1000]", "es:[rax]",
                    "cs:[rbx+0x4]", "es:[r12+r9*2]");

    private AsmOperands() {
    }

    /** Returns the general-purpose register names of {@code size} bytes. */
    static List<String> gprs(int size) {
        return switch (size) {
            case 1 -> GPR8;
            case 2 -> GPR16;
            case 4 -> GPR32;
            default -> GPR64;
        };
    }

    /** Returns {@code "DWORD PTR "} and the like. */
    static String ptr(int size) {
        return SIZES.get(Integer.numberOfTrailingZeros(size)) + " PTR ";
    }

    /**
     * Returns register pairs of {@code size} that put every register in both positions, plus the
     * high-byte registers with al to bl for size 1.
     */
    static List<String[]> registerPairs(int size) {
        List<String> names = gprs(size);
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            pairs.add(new String[] {names.get(i), names.get((i * 5 + 3) % 16)});
        }
        if (size == 1) {
            for (int i = 0; i < 4; i++) {
                pairs.add(new String[] {HIGH_BYTES.get(i), GPR8.get(3 - i)});
                pairs.add(new String[] {GPR8.get(i), HIGH_BYTES.get((i + 1) % 4)});
            }
        }
        return pairs;
    }

    /** Returns registers of {@code size} for one-operand forms: all of them, plus AH to BH for size 1. */
    static List<String> registers(int size) {
        List<String> registers = new ArrayList<>(gprs(size));
        if (size == 1) {
            registers.addAll(HIGH_BYTES);
        }
        return registers;
    }

    /**
     * Returns {@code register}, or al to bl in place of ah to bh when {@code memory} names
     * r8 to r15, because a high-byte register cannot be encoded with the REX prefix they need.
     */
    static String besideMemory(String register, String memory) {
        int high = HIGH_BYTES.indexOf(register);
        return high >= 0 && memory.matches(".*\\br\\d.*") ? GPR8.get(high) : register;
    }

    /** Returns immediates for an operation of {@code size}: small, at the imm8 edges and at the edges of the size. */
    static List<String> immediates(int size) {
        return switch (size) {
            case 1 -> List.of("0x0", "0x1", "0x7f", "0x80", "0xff");
            case 2 -> List.of("0x1", "0x7f", "-0x80", "0x80", "0x1234", "0x7fff", "0xffff", "-0x1");
            case 4 -> List.of("0x1", "0x7f", "-0x80", "0x80", "0x12345678", "0x7fffffff", "0x80000000", "0xffffffff");
            default -> List.of("0x1", "0x7f", "-0x80", "0x80", "0x12345678", "0x7fffffff", "-0x80000000", "-0x1");
        };
    }
}
