// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import java.util.List;

/**
 * Reads one instruction for {@link X86Decoder}: the prefixes, the opcode and its operands. A read
 * past the instruction's limit throws {@link EndOfInstruction}, and a rejected byte throws
 * {@link InvalidInstruction}; both are preallocated and carry no stack trace, so the decoder turns
 * them into {@link Op#TRUNCATED} and {@link Op#INVALID} cheaply.
 */
final class InstructionReader {

    /** The reader needed a byte beyond the code or beyond the 15-byte instruction limit. */
    static final class EndOfInstruction extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private EndOfInstruction() {
            super(null, null, false, false);
        }
    }

    /** The byte just read makes the instruction invalid. */
    static final class InvalidInstruction extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private InvalidInstruction() {
            super(null, null, false, false);
        }
    }

    private static final EndOfInstruction END = new EndOfInstruction();
    private static final InvalidInstruction INVALID = new InvalidInstruction();

    /** ALU operations by the 3-bit number in opcode bits 3-5 or in ModRM.reg of 80, 81 and 83. */
    private static final Op[] ALU = {Op.ADD, Op.OR, Op.ADC, Op.SBB, Op.AND, Op.SUB, Op.XOR, Op.CMP};
    /** Shift and rotate operations by ModRM.reg of group 2; /6 has no documented operation. */
    private static final Op[] SHIFT = {Op.ROL, Op.ROR, Op.RCL, Op.RCR, Op.SHL, Op.SHR, null, Op.SAR};
    /** Group 3 (F6, F7) by ModRM.reg; /0 is test with an immediate, and /1 is undocumented. */
    private static final Op[] GROUP3 = {Op.TEST, null, Op.NOT, Op.NEG, Op.MUL, Op.IMUL1, Op.DIV, Op.IDIV};

    /** General-purpose registers by size index (0 for 1 byte to 3 for 8 bytes) and number. */
    private static final Operand.Gpr[][] GPR = new Operand.Gpr[4][16];
    /** AH, CH, DH and BH. */
    private static final Operand.Gpr[] HIGH_BYTE = new Operand.Gpr[4];
    private static final Operand.Xmm[] XMM = new Operand.Xmm[16];
    private static final Operand.Gpr CL;

    static {
        for (int sizeIndex = 0; sizeIndex < 4; sizeIndex++) {
            for (int number = 0; number < 16; number++) {
                GPR[sizeIndex][number] = new Operand.Gpr(number, 1 << sizeIndex, false);
            }
        }
        for (int number = 0; number < 4; number++) {
            HIGH_BYTE[number] = new Operand.Gpr(number, 1, true);
            XMM[number] = new Operand.Xmm(number);
        }
        for (int number = 4; number < 16; number++) {
            XMM[number] = new Operand.Xmm(number);
        }
        CL = GPR[0][1];
    }

    private final byte[] code;
    private final int start;
    /** Offset one past the last byte the instruction may use. */
    private final int limit;
    private int position;

    // Prefixes.
    private boolean operandSizePrefix;
    /** 0xF2, 0xF3 or 0 when neither is present. */
    private int repeatPrefix;
    private Segment segment = Segment.DEFAULT;
    /** The REX byte, or 0 when there is none. */
    private int rex;

    // ModRM, valid after readModRm.
    private int mod;
    /** ModRM.reg extended by REX.R, for register operands. */
    private int reg;
    /** ModRM.reg alone, for opcode extensions, which ignore REX.R. */
    private int extension;
    private int rm;

    InstructionReader(byte[] code, int start, int limit) {
        this.code = code;
        this.start = start;
        this.limit = limit;
        this.position = start;
    }

    /** Returns the offset of the next byte to read, which after an invalid instruction ends what was consumed. */
    int position() {
        return position;
    }

    Instruction decode() {
        int opcode = readPrefixes();
        if (opcode == 0x0F) {
            return twoByte(next());
        }
        return oneByte(opcode);
    }

    /** Reads the legacy and REX prefixes and returns the first opcode byte. */
    private int readPrefixes() {
        while (true) {
            int b = next();
            if (rex != 0 && isPrefix(b)) {
                // A processor ignores a REX prefix that another prefix follows; the decoder rejects it.
                throw INVALID;
            }
            switch (b) {
                case 0x66 -> operandSizePrefix = true;
                case 0xF2, 0xF3 -> {
                    if (repeatPrefix != 0 && repeatPrefix != b) {
                        throw INVALID;
                    }
                    repeatPrefix = b;
                }
                case 0x26 -> segmentOverride(Segment.ES);
                case 0x2E -> segmentOverride(Segment.CS);
                case 0x36 -> segmentOverride(Segment.SS);
                case 0x3E -> segmentOverride(Segment.DS);
                case 0x64 -> segmentOverride(Segment.FS);
                case 0x65 -> segmentOverride(Segment.GS);
                case 0x67, 0xF0 -> throw INVALID;
                default -> {
                    if ((b & 0xF0) == 0x40) {
                        rex = b;
                    } else {
                        return b;
                    }
                }
            }
        }
    }

    private static boolean isPrefix(int b) {
        return switch (b) {
            case 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3 -> true;
            default -> (b & 0xF0) == 0x40;
        };
    }

    private void segmentOverride(Segment override) {
        if (segment != Segment.DEFAULT) {
            throw INVALID;
        }
        segment = override;
    }

    // One-byte opcodes.

    private Instruction oneByte(int opcode) {
        if (repeatPrefix != 0) {
            throw INVALID;
        }
        if (opcode < 0x40) {
            return alu(opcode);
        }
        if (opcode >= 0x50 && opcode <= 0x5F) {
            noOperandSizePrefix();
            Operand register = GPR[3][(opcode & 7) | rexB()];
            return instruction(opcode < 0x58 ? Op.PUSH : Op.POP, 8, List.of(register));
        }
        if (opcode >= 0x70 && opcode <= 0x7F) {
            noOperandSizePrefix();
            long displacement = s8();
            return branch(Op.JCC, opcode & 0xF, displacement);
        }
        // 90 is nop, but with REX.B it exchanges r8 with rAX, and objdump calls 66 90 xchg ax,ax, which does nothing either.
        if (opcode >= 0x91 && opcode <= 0x97 || opcode == 0x90 && (rexB() != 0 || operandSize() == 2)) {
            int size = operandSize();
            return instruction(Op.XCHG, size, List.of(gpr((opcode & 7) | rexB(), size), gpr(0, size)));
        }
        if (opcode >= 0xB0 && opcode <= 0xB7) {
            noOperandSizePrefix();
            Operand register = gpr((opcode & 7) | rexB(), 1);
            return instruction(Op.MOV, 1, List.of(register, new Operand.Imm(s8())));
        }
        if (opcode >= 0xB8 && opcode <= 0xBF) {
            int size = operandSize();
            Operand register = gpr((opcode & 7) | rexB(), size);
            long value = size == 8 ? s64() : immediate(size);
            return instruction(Op.MOV, size, List.of(register, new Operand.Imm(value)));
        }
        return switch (opcode) {
            case 0x63 -> movsxd();
            case 0x68, 0x6A -> {
                noOperandSizePrefix();
                long value = opcode == 0x68 ? s32() : s8();
                yield instruction(Op.PUSH, 8, List.of(new Operand.Imm(value)));
            }
            case 0x69, 0x6B -> {
                int size = operandSize();
                readModRm();
                Operand dst = gpr(reg, size);
                Operand src = rmOperand(size);
                long value = opcode == 0x69 ? immediate(size) : s8();
                yield instruction(Op.IMUL3, size, List.of(dst, src, new Operand.Imm(value)));
            }
            case 0x80, 0x81, 0x83 -> group1(opcode);
            case 0x84, 0x85 -> registerToRm(Op.TEST, opcode);
            case 0x86, 0x87 -> registerToRm(Op.XCHG, opcode);
            case 0x88, 0x89 -> registerToRm(Op.MOV, opcode);
            case 0x8A, 0x8B -> rmToRegister(Op.MOV, opcode);
            case 0x8D -> {
                int size = operandSize();
                readModRm();
                if (mod == 3) {
                    throw INVALID;
                }
                Operand dst = gpr(reg, size);
                yield instruction(Op.LEA, size, List.of(dst, memory()));
            }
            case 0x90 -> instruction(Op.NOP, 0, List.of());
            case 0x99 -> instruction(Op.SIGN_EXTEND_ACCUMULATOR, operandSize(), List.of());
            case 0xA8 -> {
                noOperandSizePrefix();
                yield instruction(Op.TEST, 1, List.of(gpr(0, 1), new Operand.Imm(s8())));
            }
            case 0xA9 -> {
                int size = operandSize();
                yield instruction(Op.TEST, size, List.of(gpr(0, size), new Operand.Imm(immediate(size))));
            }
            case 0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3 -> group2(opcode);
            case 0xC3 -> {
                noOperandSizePrefix();
                yield instruction(Op.RET, 0, List.of());
            }
            case 0xC6, 0xC7 -> {
                int size = opcode == 0xC6 ? byteSize() : operandSize();
                readModRm();
                if (extension != 0) {
                    throw INVALID;
                }
                Operand dst = rmOperand(size);
                yield instruction(Op.MOV, size, List.of(dst, new Operand.Imm(immediate(size))));
            }
            case 0xCC -> {
                noOperandSizePrefix();
                yield instruction(Op.INT3, 0, List.of());
            }
            case 0xE8, 0xE9, 0xEB -> {
                noOperandSizePrefix();
                long displacement = opcode == 0xEB ? s8() : s32();
                yield branch(opcode == 0xE8 ? Op.CALL : Op.JMP, -1, displacement);
            }
            case 0xF6, 0xF7 -> group3(opcode);
            case 0xFE, 0xFF -> group4And5(opcode);
            default -> throw INVALID;
        };
    }

    /** Decodes opcodes 00 to 3F: the eight ALU operations in their r/m, register and accumulator forms. */
    private Instruction alu(int opcode) {
        Op op = ALU[opcode >> 3];
        return switch (opcode & 7) {
            case 0, 1 -> registerToRm(op, opcode);
            case 2, 3 -> rmToRegister(op, opcode);
            case 4 -> {
                noOperandSizePrefix();
                yield instruction(op, 1, List.of(gpr(0, 1), new Operand.Imm(s8())));
            }
            case 5 -> {
                int size = operandSize();
                yield instruction(op, size, List.of(gpr(0, size), new Operand.Imm(immediate(size))));
            }
            // 06, 07, 0E, 16, 17, 1E, 1F, 27, 2F, 37 and 3F are invalid in 64-bit mode; the rest are prefixes.
            default -> throw INVALID;
        };
    }

    /** Decodes {@code op r/m, reg}, where an even opcode is the byte form. */
    private Instruction registerToRm(Op op, int opcode) {
        int size = (opcode & 1) == 0 ? byteSize() : operandSize();
        readModRm();
        Operand dst = rmOperand(size);
        return instruction(op, size, List.of(dst, gpr(reg, size)));
    }

    /** Decodes {@code op reg, r/m}, where an even opcode is the byte form. */
    private Instruction rmToRegister(Op op, int opcode) {
        int size = (opcode & 1) == 0 ? byteSize() : operandSize();
        readModRm();
        Operand dst = gpr(reg, size);
        return instruction(op, size, List.of(dst, rmOperand(size)));
    }

    private Instruction movsxd() {
        if (rexW() == 0) {
            throw INVALID;
        }
        readModRm();
        Operand dst = gpr(reg, 8);
        return extension(Op.MOVSX, 8, 4, dst, rmOperand(4));
    }

    /** Decodes 80, 81 and 83: an ALU operation on r/m with an immediate, which 83 sign-extends from 8 bits. */
    private Instruction group1(int opcode) {
        int size = opcode == 0x80 ? byteSize() : operandSize();
        readModRm();
        Op op = ALU[extension];
        Operand dst = rmOperand(size);
        long value = opcode == 0x83 ? s8() : immediate(size);
        return instruction(op, size, List.of(dst, new Operand.Imm(value)));
    }

    /** Decodes the shifts and rotates by an immediate (C0, C1), by 1 (D0, D1) and by CL (D2, D3). */
    private Instruction group2(int opcode) {
        int size = (opcode & 1) == 0 ? byteSize() : operandSize();
        readModRm();
        Op op = SHIFT[extension];
        if (op == null) {
            throw INVALID;
        }
        Operand dst = rmOperand(size);
        Operand count;
        if (opcode <= 0xC1) {
            count = new Operand.Imm(u8());
        } else if (opcode <= 0xD1) {
            count = new Operand.Imm(1);
        } else {
            count = CL;
        }
        return instruction(op, size, List.of(dst, count));
    }

    /** Decodes F6 and F7: test with an immediate, not, neg, mul, imul, div and idiv. */
    private Instruction group3(int opcode) {
        int size = opcode == 0xF6 ? byteSize() : operandSize();
        readModRm();
        Op op = GROUP3[extension];
        if (op == null) {
            throw INVALID;
        }
        Operand operand = rmOperand(size);
        if (op == Op.TEST) {
            return instruction(op, size, List.of(operand, new Operand.Imm(immediate(size))));
        }
        return instruction(op, size, List.of(operand));
    }

    /** Decodes FE (inc and dec of a byte) and FF (inc, dec, indirect call and indirect jmp). */
    private Instruction group4And5(int opcode) {
        int size = opcode == 0xFE ? byteSize() : operandSize();
        readModRm();
        Op op = switch (extension) {
            case 0 -> Op.INC;
            case 1 -> Op.DEC;
            case 2 -> opcode == 0xFF ? Op.CALL_INDIRECT : null;
            case 4 -> opcode == 0xFF ? Op.JMP_INDIRECT : null;
            default -> null;
        };
        if (op == null) {
            throw INVALID;
        }
        if (op == Op.CALL_INDIRECT || op == Op.JMP_INDIRECT) {
            // Near branches take a 64-bit operand regardless of REX.W. AMD processors would make it 16-bit with 66.
            noOperandSizePrefix();
            size = 8;
        }
        return instruction(op, size, List.of(rmOperand(size)));
    }

    // Two-byte opcodes (0F xx).

    private Instruction twoByte(int opcode) {
        if (opcode >= 0x80 && opcode <= 0x8F) {
            integerOnly();
            noOperandSizePrefix();
            long displacement = s32();
            return branch(Op.JCC, opcode & 0xF, displacement);
        }
        if (opcode >= 0x90 && opcode <= 0x9F) {
            integerOnly();
            noOperandSizePrefix();
            readModRm();
            return conditional(Op.SETCC, 1, opcode & 0xF, List.of(rmOperand(1)));
        }
        if (opcode >= 0x40 && opcode <= 0x4F) {
            integerOnly();
            int size = operandSize();
            readModRm();
            Operand dst = gpr(reg, size);
            return conditional(Op.CMOVCC, size, opcode & 0xF, List.of(dst, rmOperand(size)));
        }
        return switch (opcode) {
            case 0x0B -> {
                integerOnly();
                noOperandSizePrefix();
                yield instruction(Op.UD2, 0, List.of());
            }
            case 0xAF -> {
                integerOnly();
                int size = operandSize();
                readModRm();
                Operand dst = gpr(reg, size);
                yield instruction(Op.IMUL2, size, List.of(dst, rmOperand(size)));
            }
            case 0xB6, 0xB7, 0xBE, 0xBF -> {
                integerOnly();
                int size = operandSize();
                int sourceSize = (opcode & 1) == 0 ? 1 : 2;
                if (sourceSize >= size) {
                    throw INVALID;
                }
                readModRm();
                Operand dst = gpr(reg, size);
                yield extension(opcode < 0xBE ? Op.MOVZX : Op.MOVSX, size, sourceSize, dst, rmOperand(sourceSize));
            }
            case 0x10, 0x11 -> {
                int size = scalarSize();
                readModRm();
                Operand register = XMM[reg];
                Operand other = xmmOrMemory();
                yield instruction(Op.MOVS, size, opcode == 0x10 ? List.of(register, other) : List.of(other, register));
            }
            case 0x58, 0x59, 0x5C, 0x5E -> {
                Op op = switch (opcode) {
                    case 0x58 -> Op.ADDS;
                    case 0x59 -> Op.MULS;
                    case 0x5C -> Op.SUBS;
                    default -> Op.DIVS;
                };
                int size = scalarSize();
                readModRm();
                Operand dst = XMM[reg];
                yield instruction(op, size, List.of(dst, xmmOrMemory()));
            }
            case 0x5A -> {
                int sourceSize = scalarSize();
                readModRm();
                Operand dst = XMM[reg];
                Op op = sourceSize == 4 ? Op.CVTSS2SD : Op.CVTSD2SS;
                yield extension(op, 12 - sourceSize, sourceSize, dst, xmmOrMemory());
            }
            case 0x2A -> {
                int size = scalarSize();
                int sourceSize = rexW() != 0 ? 8 : 4;
                readModRm();
                Operand dst = XMM[reg];
                yield extension(Op.CVTSI2S, size, sourceSize, dst, rmOperand(sourceSize));
            }
            case 0x2C -> {
                int sourceSize = scalarSize();
                int size = rexW() != 0 ? 8 : 4;
                readModRm();
                Operand dst = gpr(reg, size);
                yield extension(Op.CVTTS2SI, size, sourceSize, dst, xmmOrMemory());
            }
            case 0x2E, 0x57 -> {
                int size = packedSize();
                readModRm();
                if (opcode == 0x57 && mod != 3) {
                    throw INVALID;
                }
                Operand first = XMM[reg];
                yield instruction(opcode == 0x2E ? Op.UCOMIS : Op.XORP, size, List.of(first, xmmOrMemory()));
            }
            case 0x6E, 0x7E -> {
                if (!operandSizePrefix || repeatPrefix != 0) {
                    throw INVALID;
                }
                int size = rexW() != 0 ? 8 : 4;
                readModRm();
                Operand xmm = XMM[reg];
                Operand other = rmOperand(size);
                yield instruction(Op.MOVD, size, opcode == 0x6E ? List.of(xmm, other) : List.of(other, xmm));
            }
            default -> throw INVALID;
        };
    }

    // Prefix checks and operand sizes.

    /** Rejects F2 and F3 on a two-byte integer opcode. */
    private void integerOnly() {
        if (repeatPrefix != 0) {
            throw INVALID;
        }
    }

    private void noOperandSizePrefix() {
        if (operandSizePrefix) {
            throw INVALID;
        }
    }

    /** Returns 1 for a byte operation, where the decoder rejects the 66 prefix. */
    private int byteSize() {
        noOperandSizePrefix();
        return 1;
    }

    /** Returns the operand size of a full-size operation: 8 with REX.W, else 2 with 66, else 4. */
    private int operandSize() {
        if (rexW() != 0) {
            return 8;
        }
        return operandSizePrefix ? 2 : 4;
    }

    /** Returns 4 for the F3 (single precision) and 8 for the F2 (double precision) form of a scalar SSE opcode. */
    private int scalarSize() {
        if (operandSizePrefix) {
            throw INVALID;
        }
        return switch (repeatPrefix) {
            case 0xF3 -> 4;
            case 0xF2 -> 8;
            default -> throw INVALID;
        };
    }

    /** Returns 4 for the unprefixed (ps, ss) and 8 for the 66 (pd, sd) form of ucomis and xorp. */
    private int packedSize() {
        if (repeatPrefix != 0) {
            throw INVALID;
        }
        return operandSizePrefix ? 8 : 4;
    }

    private int rexW() {
        return rex & 8;
    }

    /** Returns REX.B as bit 3 of a register number. */
    private int rexB() {
        return (rex & 1) << 3;
    }

    // ModRM, SIB and displacement.

    private void readModRm() {
        int modRm = next();
        mod = modRm >>> 6;
        extension = (modRm >> 3) & 7;
        reg = extension | (rex & 4) << 1;
        rm = modRm & 7;
    }

    /** Returns the ModRM.rm operand: a general-purpose register of {@code size} or memory. */
    private Operand rmOperand(int size) {
        if (mod == 3) {
            return gpr(rm | rexB(), size);
        }
        return memory();
    }

    private Operand xmmOrMemory() {
        if (mod == 3) {
            return XMM[rm | rexB()];
        }
        return memory();
    }

    /** Reads the SIB byte and displacement of the ModRM memory operand. */
    private Operand.Mem memory() {
        int base;
        int index = Operand.NONE;
        int scale = 1;
        long displacement = 0;
        if (rm == 4) {
            int sib = next();
            int sibIndex = (sib >> 3) & 7 | (rex & 2) << 2;
            // Index 100 without REX.X means no index, and the scale bits then do nothing.
            if (sibIndex != 4) {
                index = sibIndex;
                scale = 1 << (sib >>> 6);
            }
            if ((sib & 7) == 5 && mod == 0) {
                // Base 101 with mod 00 means no base and a disp32, for RBP and R13 alike.
                base = Operand.NONE;
                displacement = s32();
            } else {
                base = (sib & 7) | rexB();
            }
        } else if (rm == 5 && mod == 0) {
            // In 64-bit mode this is [rip + disp32], for RBP and R13 alike.
            base = Operand.RIP;
            displacement = s32();
        } else {
            base = rm | rexB();
        }
        if (mod == 1) {
            displacement = s8();
        } else if (mod == 2) {
            displacement = s32();
        }
        return new Operand.Mem(segment, base, index, scale, displacement);
    }

    /** Returns general-purpose register {@code number} at {@code size}: numbers 4 to 7 of a byte operand without REX are AH to BH. */
    private Operand.Gpr gpr(int number, int size) {
        if (size == 1 && rex == 0 && number >= 4) {
            return HIGH_BYTE[number - 4];
        }
        return GPR[Integer.numberOfTrailingZeros(size)][number];
    }

    // Immediates.

    private int next() {
        if (position >= limit) {
            throw END;
        }
        return code[position++] & 0xFF;
    }

    private long u8() {
        return next();
    }

    private long s8() {
        return (byte) next();
    }

    private long s16() {
        int low = next();
        return (short) (low | next() << 8);
    }

    private long s32() {
        int b0 = next();
        int b1 = next();
        int b2 = next();
        return b0 | b1 << 8 | b2 << 16 | next() << 24;
    }

    private long s64() {
        long low = s32() & 0xFFFF_FFFFL;
        return low | s32() << 32;
    }

    /** Reads the immediate of an operation of {@code size}: 8 or 16 bits, or 32 bits sign-extended for sizes 4 and 8. */
    private long immediate(int size) {
        return switch (size) {
            case 1 -> s8();
            case 2 -> s16();
            default -> s32();
        };
    }

    // Results.

    private Instruction instruction(Op op, int size, List<Operand> operands) {
        return finish(op, size, 0, -1, -1, operands);
    }

    private Instruction extension(Op op, int size, int sourceSize, Operand dst, Operand src) {
        return finish(op, size, sourceSize, -1, -1, List.of(dst, src));
    }

    private Instruction conditional(Op op, int size, int condition, List<Operand> operands) {
        return finish(op, size, 0, condition, -1, operands);
    }

    private Instruction branch(Op op, int condition, long displacement) {
        return finish(op, 0, 0, condition, position + displacement, List.of());
    }

    private Instruction finish(Op op, int size, int sourceSize, int condition, long target, List<Operand> operands) {
        if (segment != Segment.DEFAULT && (op == Op.LEA || !hasMemoryOperand(operands))) {
            throw INVALID;
        }
        return new Instruction(start, position - start, op, size, sourceSize, condition, target, operands);
    }

    private static boolean hasMemoryOperand(List<Operand> operands) {
        for (int i = 0; i < operands.size(); i++) {
            if (operands.get(i) instanceof Operand.Mem) {
                return true;
            }
        }
        return false;
    }
}
