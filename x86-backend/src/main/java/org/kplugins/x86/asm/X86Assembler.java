// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.kplugins.x86.asm.OperandSize.BYTE;
import static org.kplugins.x86.asm.OperandSize.DWORD;
import static org.kplugins.x86.asm.OperandSize.QWORD;
import static org.kplugins.x86.asm.OperandSize.WORD;

import java.util.Locale;

/**
 * An x86-64 assembler with one method per instruction form. Operands follow Intel order
 * (destination first), and the {@link OperandSize} argument gives the size of the operation.
 * Each method emits the shortest standard encoding: the sign-extended imm8 form when the immediate
 * fits, the accumulator form when it is shorter, and no displacement byte when the displacement
 * is 0 (except for an RBP or R13 base).
 *
 * <p>Immediates are {@code long}. An 8, 16 or 32-bit operation accepts its immediate as a signed
 * or an unsigned value. A 64-bit operation accepts a signed 32-bit value, which the processor
 * sign-extends. Only {@link #mov(OperandSize, Register, long)} and {@link #movabs} take a full
 * 64-bit immediate.
 *
 * <pre>
 * X86Assembler asm = new X86Assembler();
 * Label loop = asm.newLabel("loop");
 * asm.bind(loop);
 * asm.add(OperandSize.QWORD, Register.RAX, Memory.at(Register.RSI, Register.RCX, 8, 0));
 * asm.sub(OperandSize.QWORD, Register.RCX, 1);
 * asm.jcc(Condition.NE, loop);
 * byte[] code = asm.finish();
 * </pre>
 */
public class X86Assembler extends X86Encoder {

    private static final String[] JCC = conditionMnemonics("j");
    private static final String[] SETCC = conditionMnemonics("set");
    private static final String[] CMOVCC = conditionMnemonics("cmov");

    // ALU operations: add, or, adc, sbb, and, sub, xor, cmp.

    /** Emits {@code op dst, src} with two registers (opcode {@code code*8 + 0/1}, {@code op r/m, r}). */
    public final void alu(AluOperation op, OperandSize size, Register dst, Register src) {
        checkSize(op.mnemonic(), size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction(op.mnemonic(), size, sized(op.code() * 8, size), src, size, dst, size);
    }

    /** Emits {@code op dst, [mem]} ({@code op r, r/m}). */
    public final void alu(AluOperation op, OperandSize size, Register dst, Memory src) {
        checkSize(op.mnemonic(), size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction(op.mnemonic(), size, sized(op.code() * 8 + 2, size), dst, size, src, 0);
    }

    /** Emits {@code op [mem], src} ({@code op r/m, r}). */
    public final void alu(AluOperation op, OperandSize size, Memory dst, Register src) {
        checkSize(op.mnemonic(), size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction(op.mnemonic(), size, sized(op.code() * 8, size), src, size, dst, 0);
    }

    /** Emits {@code op dst, imm}: 0x83 with imm8 when it fits, else the accumulator form for AL/AX/EAX/RAX, else 0x80/0x81. */
    public final void alu(AluOperation op, OperandSize size, Register dst, long imm) {
        String mnemonic = op.mnemonic();
        checkSize(mnemonic, size, BYTE, WORD, DWORD, QWORD);
        long value = checkImmediate(mnemonic, size, imm);
        if (size != BYTE && fitsInt8(value)) {
            emitRmInstruction(mnemonic, size, 0x83, op.code(), dst, size);
            emitImm8(value);
        } else if (dst == Register.RAX) {
            // The accumulator form (code*8 + 4/5) has no ModRM byte, so it is one byte shorter.
            checkRegister(mnemonic, dst, size);
            emitOperandSizePrefix(size);
            emitRex(size == QWORD, 0, 0, 0, false);
            emitOpcode(sized(op.code() * 8 + 4, size));
            emitImmediate(size, value);
        } else {
            emitRmInstruction(mnemonic, size, sized(0x80, size), op.code(), dst, size);
            emitImmediate(size, value);
        }
    }

    /** Emits {@code op [mem], imm}: 0x83 with imm8 when it fits, else 0x80/0x81. */
    public final void alu(AluOperation op, OperandSize size, Memory dst, long imm) {
        String mnemonic = op.mnemonic();
        checkSize(mnemonic, size, BYTE, WORD, DWORD, QWORD);
        long value = checkImmediate(mnemonic, size, imm);
        if (size != BYTE && fitsInt8(value)) {
            emitRmInstruction(mnemonic, size, 0x83, op.code(), dst, 1);
            emitImm8(value);
        } else {
            emitRmInstruction(mnemonic, size, sized(0x80, size), op.code(), dst, immediateBytes(size));
            emitImmediate(size, value);
        }
    }

    public final void add(OperandSize size, Register dst, Register src) {
        alu(AluOperation.ADD, size, dst, src);
    }

    public final void add(OperandSize size, Register dst, Memory src) {
        alu(AluOperation.ADD, size, dst, src);
    }

    public final void add(OperandSize size, Memory dst, Register src) {
        alu(AluOperation.ADD, size, dst, src);
    }

    public final void add(OperandSize size, Register dst, long imm) {
        alu(AluOperation.ADD, size, dst, imm);
    }

    public final void add(OperandSize size, Memory dst, long imm) {
        alu(AluOperation.ADD, size, dst, imm);
    }

    public final void or(OperandSize size, Register dst, Register src) {
        alu(AluOperation.OR, size, dst, src);
    }

    public final void or(OperandSize size, Register dst, Memory src) {
        alu(AluOperation.OR, size, dst, src);
    }

    public final void or(OperandSize size, Memory dst, Register src) {
        alu(AluOperation.OR, size, dst, src);
    }

    public final void or(OperandSize size, Register dst, long imm) {
        alu(AluOperation.OR, size, dst, imm);
    }

    public final void or(OperandSize size, Memory dst, long imm) {
        alu(AluOperation.OR, size, dst, imm);
    }

    public final void adc(OperandSize size, Register dst, Register src) {
        alu(AluOperation.ADC, size, dst, src);
    }

    public final void adc(OperandSize size, Register dst, Memory src) {
        alu(AluOperation.ADC, size, dst, src);
    }

    public final void adc(OperandSize size, Memory dst, Register src) {
        alu(AluOperation.ADC, size, dst, src);
    }

    public final void adc(OperandSize size, Register dst, long imm) {
        alu(AluOperation.ADC, size, dst, imm);
    }

    public final void adc(OperandSize size, Memory dst, long imm) {
        alu(AluOperation.ADC, size, dst, imm);
    }

    public final void sbb(OperandSize size, Register dst, Register src) {
        alu(AluOperation.SBB, size, dst, src);
    }

    public final void sbb(OperandSize size, Register dst, Memory src) {
        alu(AluOperation.SBB, size, dst, src);
    }

    public final void sbb(OperandSize size, Memory dst, Register src) {
        alu(AluOperation.SBB, size, dst, src);
    }

    public final void sbb(OperandSize size, Register dst, long imm) {
        alu(AluOperation.SBB, size, dst, imm);
    }

    public final void sbb(OperandSize size, Memory dst, long imm) {
        alu(AluOperation.SBB, size, dst, imm);
    }

    public final void and(OperandSize size, Register dst, Register src) {
        alu(AluOperation.AND, size, dst, src);
    }

    public final void and(OperandSize size, Register dst, Memory src) {
        alu(AluOperation.AND, size, dst, src);
    }

    public final void and(OperandSize size, Memory dst, Register src) {
        alu(AluOperation.AND, size, dst, src);
    }

    public final void and(OperandSize size, Register dst, long imm) {
        alu(AluOperation.AND, size, dst, imm);
    }

    public final void and(OperandSize size, Memory dst, long imm) {
        alu(AluOperation.AND, size, dst, imm);
    }

    public final void sub(OperandSize size, Register dst, Register src) {
        alu(AluOperation.SUB, size, dst, src);
    }

    public final void sub(OperandSize size, Register dst, Memory src) {
        alu(AluOperation.SUB, size, dst, src);
    }

    public final void sub(OperandSize size, Memory dst, Register src) {
        alu(AluOperation.SUB, size, dst, src);
    }

    public final void sub(OperandSize size, Register dst, long imm) {
        alu(AluOperation.SUB, size, dst, imm);
    }

    public final void sub(OperandSize size, Memory dst, long imm) {
        alu(AluOperation.SUB, size, dst, imm);
    }

    public final void xor(OperandSize size, Register dst, Register src) {
        alu(AluOperation.XOR, size, dst, src);
    }

    public final void xor(OperandSize size, Register dst, Memory src) {
        alu(AluOperation.XOR, size, dst, src);
    }

    public final void xor(OperandSize size, Memory dst, Register src) {
        alu(AluOperation.XOR, size, dst, src);
    }

    public final void xor(OperandSize size, Register dst, long imm) {
        alu(AluOperation.XOR, size, dst, imm);
    }

    public final void xor(OperandSize size, Memory dst, long imm) {
        alu(AluOperation.XOR, size, dst, imm);
    }

    public final void cmp(OperandSize size, Register dst, Register src) {
        alu(AluOperation.CMP, size, dst, src);
    }

    public final void cmp(OperandSize size, Register dst, Memory src) {
        alu(AluOperation.CMP, size, dst, src);
    }

    public final void cmp(OperandSize size, Memory dst, Register src) {
        alu(AluOperation.CMP, size, dst, src);
    }

    public final void cmp(OperandSize size, Register dst, long imm) {
        alu(AluOperation.CMP, size, dst, imm);
    }

    public final void cmp(OperandSize size, Memory dst, long imm) {
        alu(AluOperation.CMP, size, dst, imm);
    }

    // test. It has no sign-extended imm8 form, and its r/m, r form also serves for r, r/m.

    public final void test(OperandSize size, Register dst, Register src) {
        checkSize("test", size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction("test", size, sized(0x84, size), src, size, dst, size);
    }

    public final void test(OperandSize size, Memory dst, Register src) {
        checkSize("test", size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction("test", size, sized(0x84, size), src, size, dst, 0);
    }

    /** Emits {@code test dst, imm}, with the one byte shorter accumulator form (0xA8/0xA9) for AL/AX/EAX/RAX. */
    public final void test(OperandSize size, Register dst, long imm) {
        checkSize("test", size, BYTE, WORD, DWORD, QWORD);
        long value = checkImmediate("test", size, imm);
        if (dst == Register.RAX) {
            checkRegister("test", dst, size);
            emitOperandSizePrefix(size);
            emitRex(size == QWORD, 0, 0, 0, false);
            emitOpcode(sized(0xA8, size));
        } else {
            emitRmInstruction("test", size, sized(0xF6, size), 0, dst, size);
        }
        emitImmediate(size, value);
    }

    public final void test(OperandSize size, Memory dst, long imm) {
        checkSize("test", size, BYTE, WORD, DWORD, QWORD);
        long value = checkImmediate("test", size, imm);
        emitRmInstruction("test", size, sized(0xF6, size), 0, dst, immediateBytes(size));
        emitImmediate(size, value);
    }

    // mov and its extending forms.

    public final void mov(OperandSize size, Register dst, Register src) {
        checkSize("mov", size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction("mov", size, sized(0x88, size), src, size, dst, size);
    }

    public final void mov(OperandSize size, Register dst, Memory src) {
        checkSize("mov", size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction("mov", size, sized(0x8A, size), dst, size, src, 0);
    }

    public final void mov(OperandSize size, Memory dst, Register src) {
        checkSize("mov", size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction("mov", size, sized(0x88, size), src, size, dst, 0);
    }

    /** Emits {@code mov [mem], imm} (0xC6/0xC7); a 64-bit store takes a sign-extended 32-bit immediate. */
    public final void mov(OperandSize size, Memory dst, long imm) {
        checkSize("mov", size, BYTE, WORD, DWORD, QWORD);
        long value = checkImmediate("mov", size, imm);
        emitRmInstruction("mov", size, sized(0xC6, size), 0, dst, immediateBytes(size));
        emitImmediate(size, value);
    }

    /**
     * Emits {@code mov dst, imm}. For a 64-bit destination it picks the shortest of three forms: a
     * value from 0 to 0xFFFFFFFF uses the 32-bit {@code mov r32, imm32} (B8+r), because writing a
     * 32-bit register clears the upper half; a negative signed 32-bit value uses the sign-extending
     * {@code mov r/m64, imm32} (REX.W C7 /0); any other value uses {@code mov r64, imm64}
     * (REX.W B8+r), which disassemblers call movabs. A 32-bit destination accepts 0 to 0xFFFFFFFF
     * and negative 32-bit values.
     */
    public final void mov(OperandSize size, Register dst, long imm) {
        checkSize("mov", size, BYTE, WORD, DWORD, QWORD);
        if (size != QWORD) {
            long value = checkImmediate("mov", size, imm);
            emitOpcodeRegInstruction("mov", size, size == BYTE ? 0xB0 : 0xB8, dst, size);
            emitImmediate(size, value);
        } else if (imm >= 0 && imm <= 0xFFFF_FFFFL) {
            emitOpcodeRegInstruction("mov", DWORD, 0xB8, dst, QWORD);
            emitImm32(imm);
        } else if (imm >= Integer.MIN_VALUE && imm <= Integer.MAX_VALUE) {
            emitRmInstruction("mov", QWORD, 0xC7, 0, dst, QWORD);
            emitImm32(imm);
        } else {
            movabs(dst, imm);
        }
    }

    /** Emits {@code mov r64, imm64} (REX.W B8+r, 10 bytes) for any value, for code that patches the immediate later. */
    public final void movabs(Register dst, long imm) {
        emitOpcodeRegInstruction("movabs", QWORD, 0xB8, dst, QWORD);
        emitImm64(imm);
    }

    /**
     * Emits a zero extension of the {@code srcSize} register into the {@code dstSize} register:
     * {@code movzx} (0F B6 for 8-bit and 0F B7 for 16-bit sources). A 32-bit source gives
     * {@code mov r32, r32}, because a 32-bit register write already clears the upper half.
     */
    public final void movzx(OperandSize dstSize, Register dst, OperandSize srcSize, Register src) {
        checkExtension("movzx", dstSize, srcSize);
        if (srcSize == DWORD) {
            mov(DWORD, dst, src);
        } else {
            emitRmInstruction("movzx", dstSize, srcSize == BYTE ? 0x0FB6 : 0x0FB7, dst, dstSize, src, srcSize);
        }
    }

    /** Emits {@code movzx dst, [mem]}; a 32-bit source gives {@code mov r32, [mem]}. */
    public final void movzx(OperandSize dstSize, Register dst, OperandSize srcSize, Memory src) {
        checkExtension("movzx", dstSize, srcSize);
        if (srcSize == DWORD) {
            mov(DWORD, dst, src);
        } else {
            emitRmInstruction("movzx", dstSize, srcSize == BYTE ? 0x0FB6 : 0x0FB7, dst, dstSize, src, 0);
        }
    }

    /** Emits a sign extension: {@code movsx} (0F BE, 0F BF) for 8 and 16-bit sources and {@code movsxd} for 32-bit ones. */
    public final void movsx(OperandSize dstSize, Register dst, OperandSize srcSize, Register src) {
        checkExtension("movsx", dstSize, srcSize);
        if (srcSize == DWORD) {
            movsxd(dst, src);
        } else {
            emitRmInstruction("movsx", dstSize, srcSize == BYTE ? 0x0FBE : 0x0FBF, dst, dstSize, src, srcSize);
        }
    }

    public final void movsx(OperandSize dstSize, Register dst, OperandSize srcSize, Memory src) {
        checkExtension("movsx", dstSize, srcSize);
        if (srcSize == DWORD) {
            movsxd(dst, src);
        } else {
            emitRmInstruction("movsx", dstSize, srcSize == BYTE ? 0x0FBE : 0x0FBF, dst, dstSize, src, 0);
        }
    }

    /** Emits {@code movsxd r64, r32} (REX.W 63 /r). */
    public final void movsxd(Register dst, Register src) {
        emitRmInstruction("movsxd", QWORD, 0x63, dst, QWORD, src, DWORD);
    }

    /** Emits {@code movsxd r64, dword [mem]}. */
    public final void movsxd(Register dst, Memory src) {
        emitRmInstruction("movsxd", QWORD, 0x63, dst, QWORD, src, 0);
    }

    /** Emits {@code lea dst, [mem]}, which stores the address and reads no memory. */
    public final void lea(OperandSize size, Register dst, Memory src) {
        checkSize("lea", size, WORD, DWORD, QWORD);
        if (src != null && src.segment() != null) {
            throw new IllegalArgumentException("lea: memory operand " + src + " has a segment override, but lea reads no"
                            + " memory and ignores it; pass the operand without withSegment");
        }
        emitRmInstruction("lea", size, 0x8D, dst, size, src, 0);
    }

    /** Emits {@code xchg a, b}, with the one-byte 90+r form when one operand is the accumulator and the other is not. */
    public final void xchg(OperandSize size, Register a, Register b) {
        checkSize("xchg", size, BYTE, WORD, DWORD, QWORD);
        if (size != BYTE && (a == Register.RAX) != (b == Register.RAX)) {
            // 90+r exchanges with the accumulator. xchg eax, eax stays 87 C0, because 0x90 is nop
            // and so does not clear the upper half of rax as a 32-bit write does.
            emitOpcodeRegInstruction("xchg", size, 0x90, a == Register.RAX ? b : a, size);
        } else {
            emitRmInstruction("xchg", size, sized(0x86, size), b, size, a, size);
        }
    }

    /** Emits {@code xchg [mem], src}, which is atomic without a lock prefix. */
    public final void xchg(OperandSize size, Memory dst, Register src) {
        checkSize("xchg", size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction("xchg", size, sized(0x86, size), src, size, dst, 0);
    }

    // Shifts and rotates.

    /** Emits {@code op dst, count}, with the shorter by-one form (0xD0/0xD1) for a count of 1. */
    public final void shift(ShiftOperation op, OperandSize size, Register dst, int count) {
        checkShiftCount(op.mnemonic(), size, count);
        if (count == 1) {
            emitRmInstruction(op.mnemonic(), size, sized(0xD0, size), op.code(), dst, size);
        } else {
            emitRmInstruction(op.mnemonic(), size, sized(0xC0, size), op.code(), dst, size);
            emitImm8(count);
        }
    }

    public final void shift(ShiftOperation op, OperandSize size, Memory dst, int count) {
        checkShiftCount(op.mnemonic(), size, count);
        if (count == 1) {
            emitRmInstruction(op.mnemonic(), size, sized(0xD0, size), op.code(), dst, 0);
        } else {
            emitRmInstruction(op.mnemonic(), size, sized(0xC0, size), op.code(), dst, 1);
            emitImm8(count);
        }
    }

    /** Emits {@code op dst, cl} (0xD2/0xD3): the count is in CL, the low byte of RCX. */
    public final void shiftByCl(ShiftOperation op, OperandSize size, Register dst) {
        checkSize(op.mnemonic(), size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction(op.mnemonic(), size, sized(0xD2, size), op.code(), dst, size);
    }

    public final void shiftByCl(ShiftOperation op, OperandSize size, Memory dst) {
        checkSize(op.mnemonic(), size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction(op.mnemonic(), size, sized(0xD2, size), op.code(), dst, 0);
    }

    public final void shl(OperandSize size, Register dst, int count) {
        shift(ShiftOperation.SHL, size, dst, count);
    }

    public final void shl(OperandSize size, Memory dst, int count) {
        shift(ShiftOperation.SHL, size, dst, count);
    }

    public final void shlByCl(OperandSize size, Register dst) {
        shiftByCl(ShiftOperation.SHL, size, dst);
    }

    public final void shlByCl(OperandSize size, Memory dst) {
        shiftByCl(ShiftOperation.SHL, size, dst);
    }

    public final void shr(OperandSize size, Register dst, int count) {
        shift(ShiftOperation.SHR, size, dst, count);
    }

    public final void shr(OperandSize size, Memory dst, int count) {
        shift(ShiftOperation.SHR, size, dst, count);
    }

    public final void shrByCl(OperandSize size, Register dst) {
        shiftByCl(ShiftOperation.SHR, size, dst);
    }

    public final void shrByCl(OperandSize size, Memory dst) {
        shiftByCl(ShiftOperation.SHR, size, dst);
    }

    public final void sar(OperandSize size, Register dst, int count) {
        shift(ShiftOperation.SAR, size, dst, count);
    }

    public final void sar(OperandSize size, Memory dst, int count) {
        shift(ShiftOperation.SAR, size, dst, count);
    }

    public final void sarByCl(OperandSize size, Register dst) {
        shiftByCl(ShiftOperation.SAR, size, dst);
    }

    public final void sarByCl(OperandSize size, Memory dst) {
        shiftByCl(ShiftOperation.SAR, size, dst);
    }

    public final void rol(OperandSize size, Register dst, int count) {
        shift(ShiftOperation.ROL, size, dst, count);
    }

    public final void rol(OperandSize size, Memory dst, int count) {
        shift(ShiftOperation.ROL, size, dst, count);
    }

    public final void rolByCl(OperandSize size, Register dst) {
        shiftByCl(ShiftOperation.ROL, size, dst);
    }

    public final void rolByCl(OperandSize size, Memory dst) {
        shiftByCl(ShiftOperation.ROL, size, dst);
    }

    public final void ror(OperandSize size, Register dst, int count) {
        shift(ShiftOperation.ROR, size, dst, count);
    }

    public final void ror(OperandSize size, Memory dst, int count) {
        shift(ShiftOperation.ROR, size, dst, count);
    }

    public final void rorByCl(OperandSize size, Register dst) {
        shiftByCl(ShiftOperation.ROR, size, dst);
    }

    public final void rorByCl(OperandSize size, Memory dst) {
        shiftByCl(ShiftOperation.ROR, size, dst);
    }

    // One-operand arithmetic: not, neg, mul, imul, div, idiv (group 3), inc and dec.

    public final void not(OperandSize size, Register dst) {
        group3("not", 2, size, dst);
    }

    public final void not(OperandSize size, Memory dst) {
        group3("not", 2, size, dst);
    }

    public final void neg(OperandSize size, Register dst) {
        group3("neg", 3, size, dst);
    }

    public final void neg(OperandSize size, Memory dst) {
        group3("neg", 3, size, dst);
    }

    /**
     * Emits {@code mul src}, an unsigned multiply: rdx:rax = rax * src for 64 bits, edx:eax and dx:ax
     * likewise for 32 and 16 bits, and ax = al * src for 8 bits.
     */
    public final void mul(OperandSize size, Register src) {
        group3("mul", 4, size, src);
    }

    public final void mul(OperandSize size, Memory src) {
        group3("mul", 4, size, src);
    }

    /** Emits the one-operand {@code imul src}, the signed counterpart of {@link #mul(OperandSize, Register)}. */
    public final void imul(OperandSize size, Register src) {
        group3("imul", 5, size, src);
    }

    public final void imul(OperandSize size, Memory src) {
        group3("imul", 5, size, src);
    }

    /**
     * Emits {@code div src}, an unsigned divide: rax = rdx:rax / src and rdx = remainder for 64 bits,
     * likewise with edx:eax and dx:ax, and al = ax / src with ah = remainder for 8 bits.
     */
    public final void div(OperandSize size, Register src) {
        group3("div", 6, size, src);
    }

    public final void div(OperandSize size, Memory src) {
        group3("div", 6, size, src);
    }

    /** Emits {@code idiv src}, the signed counterpart of {@code div}. Sign-extend the dividend into rdx or edx first with cqo or cdq. */
    public final void idiv(OperandSize size, Register src) {
        group3("idiv", 7, size, src);
    }

    public final void idiv(OperandSize size, Memory src) {
        group3("idiv", 7, size, src);
    }

    /** Emits {@code inc dst} (FE/FF /0). The one-byte 40+r form of 32-bit mode is a REX prefix in 64-bit mode. */
    public final void inc(OperandSize size, Register dst) {
        checkSize("inc", size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction("inc", size, sized(0xFE, size), 0, dst, size);
    }

    public final void inc(OperandSize size, Memory dst) {
        checkSize("inc", size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction("inc", size, sized(0xFE, size), 0, dst, 0);
    }

    public final void dec(OperandSize size, Register dst) {
        checkSize("dec", size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction("dec", size, sized(0xFE, size), 1, dst, size);
    }

    public final void dec(OperandSize size, Memory dst) {
        checkSize("dec", size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction("dec", size, sized(0xFE, size), 1, dst, 0);
    }

    // Two and three-operand imul.

    /** Emits {@code imul dst, src} (0F AF), a signed multiply that keeps the low half. */
    public final void imul(OperandSize size, Register dst, Register src) {
        checkSize("imul", size, WORD, DWORD, QWORD);
        emitRmInstruction("imul", size, 0x0FAF, dst, size, src, size);
    }

    public final void imul(OperandSize size, Register dst, Memory src) {
        checkSize("imul", size, WORD, DWORD, QWORD);
        emitRmInstruction("imul", size, 0x0FAF, dst, size, src, 0);
    }

    /** Emits {@code imul dst, src, imm}: 0x6B with imm8 when it fits, else 0x69. */
    public final void imul(OperandSize size, Register dst, Register src, long imm) {
        checkSize("imul", size, WORD, DWORD, QWORD);
        long value = checkImmediate("imul", size, imm);
        boolean imm8 = fitsInt8(value);
        emitRmInstruction("imul", size, imm8 ? 0x6B : 0x69, dst, size, src, size);
        emitImulImmediate(size, value, imm8);
    }

    public final void imul(OperandSize size, Register dst, Memory src, long imm) {
        checkSize("imul", size, WORD, DWORD, QWORD);
        long value = checkImmediate("imul", size, imm);
        boolean imm8 = fitsInt8(value);
        emitRmInstruction("imul", size, imm8 ? 0x6B : 0x69, dst, size, src, imm8 ? 1 : immediateBytes(size));
        emitImulImmediate(size, value, imm8);
    }

    /** Emits {@code cdq} (0x99): sign-extends eax into edx, before a 32-bit idiv. */
    public final void cdq() {
        code().emitByte(0x99);
    }

    /** Emits {@code cqo} (REX.W 0x99): sign-extends rax into rdx, before a 64-bit idiv. */
    public final void cqo() {
        emitRex(true, 0, 0, 0, false);
        code().emitByte(0x99);
    }

    // Conditions.

    /** Emits {@code setcc dst} (0F 90+cc), which writes 1 or 0 to the 8-bit register. */
    public final void setcc(Condition condition, Register dst) {
        checkCondition("setcc", condition);
        emitRmInstruction(SETCC[condition.code()], BYTE, 0x0F90 + condition.code(), 0, dst, BYTE);
    }

    public final void setcc(Condition condition, Memory dst) {
        checkCondition("setcc", condition);
        emitRmInstruction(SETCC[condition.code()], BYTE, 0x0F90 + condition.code(), 0, dst, 0);
    }

    /** Emits {@code cmovcc dst, src} (0F 40+cc). A 32-bit cmov clears the upper half of dst even when it does not move. */
    public final void cmovcc(Condition condition, OperandSize size, Register dst, Register src) {
        checkCondition("cmovcc", condition);
        String mnemonic = CMOVCC[condition.code()];
        checkSize(mnemonic, size, WORD, DWORD, QWORD);
        emitRmInstruction(mnemonic, size, 0x0F40 + condition.code(), dst, size, src, size);
    }

    public final void cmovcc(Condition condition, OperandSize size, Register dst, Memory src) {
        checkCondition("cmovcc", condition);
        String mnemonic = CMOVCC[condition.code()];
        checkSize(mnemonic, size, WORD, DWORD, QWORD);
        emitRmInstruction(mnemonic, size, 0x0F40 + condition.code(), dst, size, src, 0);
    }

    // Control transfer.

    /** Emits {@code jcc target}: rel8 (70+cc) when the label is bound and in range, else rel32 (0F 80+cc). */
    public final void jcc(Condition condition, Label target) {
        jcc(condition, target, null);
    }

    /** Emits {@code jcc target} with the given displacement size; null picks it as {@link #jcc(Condition, Label)} does. */
    public final void jcc(Condition condition, Label target, JumpDistance distance) {
        checkCondition("jcc", condition);
        emitRelativeBranch(JCC[condition.code()], 0x70 + condition.code(), 0x0F80 + condition.code(), target, distance);
    }

    /** Emits {@code jmp target}: rel8 (EB) when the label is bound and in range, else rel32 (E9). */
    public final void jmp(Label target) {
        jmp(target, null);
    }

    public final void jmp(Label target, JumpDistance distance) {
        emitRelativeBranch("jmp", 0xEB, 0xE9, target, distance);
    }

    /** Emits {@code jmp reg} (FF /4). Near jumps take 64-bit operands without REX.W, hence DWORD as the prefix size. */
    public final void jmp(Register target) {
        emitRmInstruction("jmp", DWORD, 0xFF, 4, target, QWORD);
    }

    /** Emits {@code jmp qword [mem]} (FF /4). */
    public final void jmp(Memory target) {
        emitRmInstruction("jmp", DWORD, 0xFF, 4, target, 0);
    }

    /** Emits {@code call target} (E8 rel32), because call has no rel8 form. */
    public final void call(Label target) {
        emitRelativeBranch("call", -1, 0xE8, target, JumpDistance.NEAR);
    }

    /** Emits {@code call reg} (FF /2). */
    public final void call(Register target) {
        emitRmInstruction("call", DWORD, 0xFF, 2, target, QWORD);
    }

    /** Emits {@code call qword [mem]} (FF /2). */
    public final void call(Memory target) {
        emitRmInstruction("call", DWORD, 0xFF, 2, target, 0);
    }

    public final void ret() {
        code().emitByte(0xC3);
    }

    // Stack.

    /** Emits {@code push reg} (50+r), which pushes the 64-bit register. */
    public final void push(Register src) {
        emitOpcodeRegInstruction("push", DWORD, 0x50, src, QWORD);
    }

    /** Emits {@code push imm}: 6A with imm8 when it fits, else 68 with imm32. The processor pushes the value sign-extended to 64 bits. */
    public final void push(long imm) {
        long value = checkImmediate("push", QWORD, imm);
        if (fitsInt8(value)) {
            code().emitByte(0x6A);
            emitImm8(value);
        } else {
            code().emitByte(0x68);
            emitImm32(value);
        }
    }

    /** Emits {@code pop reg} (58+r). */
    public final void pop(Register dst) {
        emitOpcodeRegInstruction("pop", DWORD, 0x58, dst, QWORD);
    }

    // Miscellaneous.

    public final void nop() {
        code().emitByte(0x90);
    }

    /** Emits {@code int3} (0xCC), the breakpoint trap. */
    public final void int3() {
        code().emitByte(0xCC);
    }

    /** Emits {@code ud2} (0F 0B), which always raises the invalid-opcode exception. */
    public final void ud2() {
        emitOpcode(0x0F0B);
    }

    // Helpers.

    /** Returns the opcode for the operand size: the 8-bit opcode, or the next one for 16, 32 and 64 bits. */
    private static int sized(int byteOpcode, OperandSize size) {
        return size == BYTE ? byteOpcode : byteOpcode + 1;
    }

    private void group3(String mnemonic, int digit, OperandSize size, Register operand) {
        checkSize(mnemonic, size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction(mnemonic, size, sized(0xF6, size), digit, operand, size);
    }

    private void group3(String mnemonic, int digit, OperandSize size, Memory operand) {
        checkSize(mnemonic, size, BYTE, WORD, DWORD, QWORD);
        emitRmInstruction(mnemonic, size, sized(0xF6, size), digit, operand, 0);
    }

    private void emitImulImmediate(OperandSize size, long value, boolean imm8) {
        if (imm8) {
            emitImm8(value);
        } else {
            emitImmediate(size, value);
        }
    }

    private static void checkShiftCount(String mnemonic, OperandSize size, int count) {
        checkSize(mnemonic, size, BYTE, WORD, DWORD, QWORD);
        if (count < 0 || count > 255) {
            throw new IllegalArgumentException(mnemonic + ": shift count " + count
                            + " does not fit in the unsigned 8-bit immediate (0 to 255)");
        }
    }

    // ---- SSE scalar floating point. DWORD selects single precision (ss), QWORD double (sd). ----

    /** Emits {@code addss}, {@code subsd}, {@code movss} and the rest of {@link ScalarOperation} on two registers. */
    public final void scalar(ScalarOperation op, OperandSize size, XmmRegister dst, XmmRegister src) {
        checkSize(op.mnemonic(size), size, DWORD, QWORD);
        emitSseInstruction(scalarPrefix(size), false, 0x0F00 | op.opcode(), dst.encoding(), src.encoding());
    }

    /** Emits a {@link ScalarOperation} with a memory source of {@code size} bytes. */
    public final void scalar(ScalarOperation op, OperandSize size, XmmRegister dst, Memory src) {
        checkSize(op.mnemonic(size), size, DWORD, QWORD);
        emitSseInstruction(op.mnemonic(size), scalarPrefix(size), false, 0x0F00 | op.opcode(), dst.encoding(), src);
    }

    /** Emits the store form {@code movss [mem], xmm} or {@code movsd [mem], xmm} (0F 11). */
    public final void movScalar(OperandSize size, Memory dst, XmmRegister src) {
        String mnemonic = ScalarOperation.MOV.mnemonic(size);
        checkSize(mnemonic, size, DWORD, QWORD);
        emitSseInstruction(mnemonic, scalarPrefix(size), false, 0x0F11, src.encoding(), dst);
    }

    /** Emits {@code movd xmm, r32} or, at QWORD size, {@code movq xmm, r64} (66 0F 6E): the bits, unchanged, into the low lane. */
    public final void movd(OperandSize size, XmmRegister dst, Register src) {
        checkSize("movd", size, DWORD, QWORD);
        checkRegister("movd", src, size);
        emitSseInstruction(0x66, size == QWORD, 0x0F6E, dst.encoding(), src.encoding());
    }

    public final void movd(OperandSize size, XmmRegister dst, Memory src) {
        checkSize("movd", size, DWORD, QWORD);
        emitSseInstruction("movd", 0x66, size == QWORD, 0x0F6E, dst.encoding(), src);
    }

    /** Emits {@code movd r32, xmm} or {@code movq r64, xmm} (66 0F 7E): the low 32 or 64 bits of the register. */
    public final void movd(OperandSize size, Register dst, XmmRegister src) {
        checkSize("movd", size, DWORD, QWORD);
        checkRegister("movd", dst, size);
        emitSseInstruction(0x66, size == QWORD, 0x0F7E, src.encoding(), dst.encoding());
    }

    public final void movd(OperandSize size, Memory dst, XmmRegister src) {
        checkSize("movd", size, DWORD, QWORD);
        emitSseInstruction("movd", 0x66, size == QWORD, 0x0F7E, src.encoding(), dst);
    }

    /**
     * Emits {@code ucomiss} or {@code ucomisd}: compares without a fault on quiet NaNs and sets ZF,
     * PF and CF as an unsigned compare does; an unordered result (a NaN operand) sets all three.
     */
    public final void ucomis(OperandSize size, XmmRegister a, XmmRegister b) {
        checkSize("ucomis", size, DWORD, QWORD);
        emitSseInstruction(size == QWORD ? 0x66 : 0, false, 0x0F2E, a.encoding(), b.encoding());
    }

    /** Emits {@code cvtsi2ss} or {@code cvtsi2sd} from a signed integer of {@code sourceSize} (DWORD or QWORD), rounding as MXCSR says. */
    public final void cvtsi2s(OperandSize size, XmmRegister dst, OperandSize sourceSize, Register src) {
        checkSize("cvtsi2s", size, DWORD, QWORD);
        checkSize("cvtsi2s", sourceSize, DWORD, QWORD);
        checkRegister("cvtsi2s", src, sourceSize);
        emitSseInstruction(scalarPrefix(size), sourceSize == QWORD, 0x0F2A, dst.encoding(), src.encoding());
    }

    public final void cvtsi2s(OperandSize size, XmmRegister dst, OperandSize sourceSize, Memory src) {
        checkSize("cvtsi2s", size, DWORD, QWORD);
        checkSize("cvtsi2s", sourceSize, DWORD, QWORD);
        emitSseInstruction("cvtsi2s", scalarPrefix(size), sourceSize == QWORD, 0x0F2A, dst.encoding(), src);
    }

    /**
     * Emits {@code cvttss2si} or {@code cvttsd2si} to a signed integer of {@code size}: truncation
     * toward zero, and the "integer indefinite" value (the lowest of the size) for NaN and for
     * values out of range.
     */
    public final void cvtts2si(OperandSize size, Register dst, OperandSize sourceSize, XmmRegister src) {
        checkSize("cvtts2si", size, DWORD, QWORD);
        checkSize("cvtts2si", sourceSize, DWORD, QWORD);
        checkRegister("cvtts2si", dst, size);
        emitSseInstruction(scalarPrefix(sourceSize), size == QWORD, 0x0F2C, dst.encoding(), src.encoding());
    }

    /** Emits {@code cvtss2sd}, which is exact and makes a NaN quiet. */
    public final void cvtss2sd(XmmRegister dst, XmmRegister src) {
        emitSseInstruction(0xF3, false, 0x0F5A, dst.encoding(), src.encoding());
    }

    /** Emits {@code cvtsd2ss}, which rounds as MXCSR says and keeps the high payload bits of a NaN. */
    public final void cvtsd2ss(XmmRegister dst, XmmRegister src) {
        emitSseInstruction(0xF2, false, 0x0F5A, dst.encoding(), src.encoding());
    }

    /** Emits {@code xorps} (DWORD) or {@code xorpd} (QWORD), the bitwise xor of the whole registers. */
    public final void xorp(OperandSize size, XmmRegister dst, XmmRegister src) {
        checkSize("xorp", size, DWORD, QWORD);
        emitSseInstruction(size == QWORD ? 0x66 : 0, false, 0x0F57, dst.encoding(), src.encoding());
    }

    private static int scalarPrefix(OperandSize size) {
        return size == QWORD ? 0xF2 : 0xF3;
    }

    private static void checkExtension(String mnemonic, OperandSize dstSize, OperandSize srcSize) {
        if (dstSize == null || srcSize == null) {
            throw new IllegalArgumentException(mnemonic + ": operand size is null");
        }
        if (dstSize == BYTE) {
            throw new IllegalArgumentException(mnemonic + ": the destination must be 16, 32 or 64 bits, not 8");
        }
        if (srcSize == QWORD) {
            throw new IllegalArgumentException(mnemonic + ": the source must be 8, 16 or 32 bits, not 64");
        }
        if (srcSize.bits() >= dstSize.bits()) {
            throw new IllegalArgumentException(mnemonic + ": the destination (" + dstSize.bits()
                            + " bits) must be wider than the source (" + srcSize.bits() + " bits)");
        }
    }

    private static void checkCondition(String mnemonic, Condition condition) {
        if (condition == null) {
            throw new IllegalArgumentException(mnemonic + ": condition is null");
        }
    }

    private static String[] conditionMnemonics(String prefix) {
        String[] mnemonics = new String[16];
        for (Condition condition : Condition.values()) {
            mnemonics[condition.code()] = prefix + condition.name().toLowerCase(Locale.ROOT);
        }
        return mnemonics;
    }
}
