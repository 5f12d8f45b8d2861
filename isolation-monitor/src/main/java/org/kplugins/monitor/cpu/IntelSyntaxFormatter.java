// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import java.util.Locale;

/**
 * Formats decoded instructions in the Intel syntax of GNU objdump for {@link X86Decoder#format},
 * which lists where the text differs from objdump's.
 */
final class IntelSyntaxFormatter {

    private static final String[] CONDITIONS = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l",
                    "ge", "le", "g"};
    private static final String[] GPR64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10",
                    "r11", "r12", "r13", "r14", "r15"};
    private static final String[] GPR32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d",
                    "r11d", "r12d", "r13d", "r14d", "r15d"};
    private static final String[] GPR16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w",
                    "r12w", "r13w", "r14w", "r15w"};
    private static final String[] GPR8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b",
                    "r11b", "r12b", "r13b", "r14b", "r15b"};
    private static final String[] HIGH_BYTE = {"ah", "ch", "dh", "bh"};

    private IntelSyntaxFormatter() {
    }

    static String format(Instruction instruction) {
        StringBuilder text = new StringBuilder(32);
        Segment segment = memorySegment(instruction);
        if (segment == Segment.ES || segment == Segment.CS || segment == Segment.SS || segment == Segment.DS) {
            text.append(segment.name().toLowerCase(Locale.ROOT)).append(' ');
        }
        text.append(mnemonic(instruction));
        if (instruction.op() == Op.JCC || instruction.op() == Op.JMP || instruction.op() == Op.CALL) {
            return text.append(" 0x").append(Long.toHexString(instruction.target())).toString();
        }
        for (int i = 0; i < instruction.operands().size(); i++) {
            text.append(i == 0 ? ' ' : ',');
            appendOperand(text, instruction, instruction.operand(i));
        }
        return text.toString();
    }

    private static String mnemonic(Instruction instruction) {
        boolean single = instruction.size() == 4;
        return switch (instruction.op()) {
            case MOV -> isMovabs(instruction) ? "movabs" : "mov";
            case MOVSX -> instruction.sourceSize() == 4 ? "movsxd" : "movsx";
            case IMUL1, IMUL2, IMUL3 -> "imul";
            case SIGN_EXTEND_ACCUMULATOR -> switch (instruction.size()) {
                case 2 -> "cwd";
                case 4 -> "cdq";
                default -> "cqo";
            };
            case SETCC -> "set" + CONDITIONS[instruction.condition()];
            case CMOVCC -> "cmov" + CONDITIONS[instruction.condition()];
            case JCC -> "j" + CONDITIONS[instruction.condition()];
            case JMP, JMP_INDIRECT -> "jmp";
            case CALL, CALL_INDIRECT -> "call";
            case MOVD -> single ? "movd" : "movq";
            case MOVS -> single ? "movss" : "movsd";
            case ADDS -> single ? "addss" : "addsd";
            case SUBS -> single ? "subss" : "subsd";
            case MULS -> single ? "mulss" : "mulsd";
            case DIVS -> single ? "divss" : "divsd";
            case UCOMIS -> single ? "ucomiss" : "ucomisd";
            case CVTSI2S -> single ? "cvtsi2ss" : "cvtsi2sd";
            case CVTTS2SI -> instruction.sourceSize() == 4 ? "cvttss2si" : "cvttsd2si";
            case XORP -> single ? "xorps" : "xorpd";
            case INVALID -> "(bad)";
            case TRUNCATED -> "(truncated)";
            default -> instruction.op().name().toLowerCase(Locale.ROOT);
        };
    }

    /** Tells whether a mov has the 64-bit immediate only {@code REX.W B8+r} can encode. */
    private static boolean isMovabs(Instruction instruction) {
        return instruction.size() == 8 && instruction.operand(1) instanceof Operand.Imm(long value)
                        && value != (int) value;
    }

    private static Segment memorySegment(Instruction instruction) {
        for (Operand operand : instruction.operands()) {
            if (operand instanceof Operand.Mem memory) {
                return memory.segment();
            }
        }
        return Segment.DEFAULT;
    }

    private static void appendOperand(StringBuilder text, Instruction instruction, Operand operand) {
        switch (operand) {
            case Operand.Gpr gpr -> text.append(registerName(gpr));
            case Operand.Xmm xmm -> text.append("xmm").append(xmm.number());
            case Operand.Imm imm -> appendHex(text, truncate(imm.value(), instruction.size()));
            case Operand.Mem memory -> {
                int accessSize = accessSize(instruction);
                if (accessSize != 0) {
                    text.append(sizeName(accessSize)).append(" PTR ");
                }
                appendAddress(text, memory);
            }
        }
    }

    static String registerName(Operand.Gpr gpr) {
        if (gpr.highByte()) {
            return HIGH_BYTE[gpr.number()];
        }
        return switch (gpr.size()) {
            case 1 -> GPR8[gpr.number()];
            case 2 -> GPR16[gpr.number()];
            case 4 -> GPR32[gpr.number()];
            default -> GPR64[gpr.number()];
        };
    }

    /** Returns the size in bytes of the memory access, or 0 for lea, which reads no memory. */
    private static int accessSize(Instruction instruction) {
        return switch (instruction.op()) {
            case LEA -> 0;
            case MOVZX, MOVSX, CVTSI2S, CVTTS2SI, CVTSS2SD, CVTSD2SS -> instruction.sourceSize();
            case JMP_INDIRECT, CALL_INDIRECT -> 8;
            default -> instruction.size();
        };
    }

    private static String sizeName(int size) {
        return switch (size) {
            case 1 -> "BYTE";
            case 2 -> "WORD";
            case 4 -> "DWORD";
            case 8 -> "QWORD";
            default -> "XMMWORD";
        };
    }

    private static void appendAddress(StringBuilder text, Operand.Mem memory) {
        if (memory.segment() == Segment.FS || memory.segment() == Segment.GS) {
            text.append(memory.segment() == Segment.FS ? "fs:" : "gs:");
        } else if (memory.base() == Operand.NONE && memory.index() == Operand.NONE) {
            text.append("ds:");
        }
        long displacement = memory.displacement();
        if (memory.base() == Operand.NONE && memory.index() == Operand.NONE) {
            appendHex(text, displacement);
            return;
        }
        text.append('[');
        if (memory.base() == Operand.RIP) {
            // objdump prints a RIP displacement as an unsigned 64-bit number.
            text.append("rip+");
            appendHex(text, displacement);
            text.append(']');
            return;
        }
        if (memory.base() != Operand.NONE) {
            text.append(GPR64[memory.base()]);
        }
        if (memory.index() != Operand.NONE) {
            if (memory.base() != Operand.NONE) {
                text.append('+');
            }
            text.append(GPR64[memory.index()]).append('*').append(memory.scale());
        }
        // A base of RBP or R13 (low bits 101) and a missing base always come with an encoded displacement.
        boolean encodedDisplacement = memory.base() == Operand.NONE || (memory.base() & 7) == 5;
        if (displacement < 0) {
            text.append('-');
            appendHex(text, -displacement);
        } else if (displacement > 0 || encodedDisplacement) {
            text.append('+');
            appendHex(text, displacement);
        }
        text.append(']');
    }

    private static long truncate(long value, int size) {
        return size >= 8 || size <= 0 ? value : value & ((1L << (size * 8)) - 1);
    }

    private static void appendHex(StringBuilder text, long value) {
        text.append("0x").append(Long.toHexString(value));
    }
}
