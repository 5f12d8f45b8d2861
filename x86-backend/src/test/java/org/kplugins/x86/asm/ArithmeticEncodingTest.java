// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.kplugins.x86.asm.IntelSyntax.imm;
import static org.kplugins.x86.asm.IntelSyntax.mem;
import static org.kplugins.x86.asm.IntelSyntax.reg;
import static org.kplugins.x86.asm.OperandSize.BYTE;
import static org.kplugins.x86.asm.OperandSize.DWORD;
import static org.kplugins.x86.asm.OperandSize.QWORD;
import static org.kplugins.x86.asm.OperandSize.WORD;
import static org.kplugins.x86.asm.Operands.GP;
import static org.kplugins.x86.asm.Operands.LEGACY_BYTE;
import static org.kplugins.x86.asm.Operands.MEMORY;
import static org.kplugins.x86.asm.Operands.SIZES;
import static org.kplugins.x86.asm.Operands.immediates;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ALU, test, shift, multiply, divide and one-operand instructions, checked against objdump. */
class ArithmeticEncodingTest {

    @Test
    void aluRegisterRegister() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (AluOperation op : AluOperation.values()) {
            for (OperandSize size : SIZES) {
                for (Register dst : GP) {
                    for (Register src : GP) {
                        batch.expect(op.mnemonic() + " " + reg(dst, size) + "," + reg(src, size),
                                        a -> a.alu(op, size, dst, src));
                    }
                }
            }
            for (Register dst : LEGACY_BYTE) {
                for (Register src : LEGACY_BYTE) {
                    batch.expect(op.mnemonic() + " " + reg(dst, BYTE) + "," + reg(src, BYTE), a -> a.alu(op, BYTE, dst, src));
                }
            }
        }
        batch.check();
    }

    @Test
    void aluRegisterImmediate() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (AluOperation op : AluOperation.values()) {
            for (OperandSize size : SIZES) {
                for (Register dst : GP) {
                    for (long value : immediates(size)) {
                        batch.expect(op.mnemonic() + " " + reg(dst, size) + "," + imm(value, size),
                                        a -> a.alu(op, size, dst, value));
                    }
                }
            }
            for (Register high : List.of(Register.AH, Register.BH)) {
                batch.expect(op.mnemonic() + " " + reg(high, BYTE) + ",0x80", a -> a.alu(op, BYTE, high, 0x80));
            }
        }
        batch.check();
    }

    @Test
    void aluMemoryForms() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (AluOperation op : AluOperation.values()) {
            String m = op.mnemonic();
            for (OperandSize size : SIZES) {
                long[] values = immediates(size);
                for (int i = 0; i < MEMORY.size(); i++) {
                    Memory memory = MEMORY.get(i);
                    Register register = GP.get((i + op.code()) % GP.size());
                    long value = values[i % values.length];
                    batch.expect(m + " " + reg(register, size) + "," + mem(memory, size), a -> a.alu(op, size, register, memory));
                    batch.expect(m + " " + mem(memory, size) + "," + reg(register, size), a -> a.alu(op, size, memory, register));
                    batch.expect(m + " " + mem(memory, size) + "," + imm(value, size), a -> a.alu(op, size, memory, value));
                }
            }
        }
        batch.check();
    }

    @Test
    void namedAluMethods() {
        DisassemblyBatch batch = new DisassemblyBatch();
        Memory memory = Memory.at(Register.RDI, Register.R9, 4, 8);
        String m = "[rdi+r9*4+0x8]";
        batch.expect("add rax,rbx", a -> a.add(QWORD, Register.RAX, Register.RBX));
        batch.expect("add ecx,DWORD PTR " + m, a -> a.add(DWORD, Register.RCX, memory));
        batch.expect("add WORD PTR " + m + ",dx", a -> a.add(WORD, memory, Register.RDX));
        batch.expect("add sil,0x1", a -> a.add(BYTE, Register.RSI, 1));
        batch.expect("add QWORD PTR " + m + ",0x1000", a -> a.add(QWORD, memory, 0x1000));

        batch.expect("or r8,r9", a -> a.or(QWORD, Register.R8, Register.R9));
        batch.expect("or ecx,DWORD PTR " + m, a -> a.or(DWORD, Register.RCX, memory));
        batch.expect("or BYTE PTR " + m + ",dl", a -> a.or(BYTE, memory, Register.RDX));
        batch.expect("or r10d,0xff", a -> a.or(DWORD, Register.R10, 0xFF));
        batch.expect("or DWORD PTR " + m + ",0x1", a -> a.or(DWORD, memory, 1));

        batch.expect("adc rax,rbx", a -> a.adc(QWORD, Register.RAX, Register.RBX));
        batch.expect("adc rcx,QWORD PTR " + m, a -> a.adc(QWORD, Register.RCX, memory));
        batch.expect("adc QWORD PTR " + m + ",rdx", a -> a.adc(QWORD, memory, Register.RDX));
        batch.expect("adc rdx,0x0", a -> a.adc(QWORD, Register.RDX, 0));
        batch.expect("adc BYTE PTR " + m + ",0x7", a -> a.adc(BYTE, memory, 7));

        batch.expect("sbb rax,rbx", a -> a.sbb(QWORD, Register.RAX, Register.RBX));
        batch.expect("sbb rcx,QWORD PTR " + m, a -> a.sbb(QWORD, Register.RCX, memory));
        batch.expect("sbb QWORD PTR " + m + ",rdx", a -> a.sbb(QWORD, memory, Register.RDX));
        batch.expect("sbb rdx,0x0", a -> a.sbb(QWORD, Register.RDX, 0));
        batch.expect("sbb BYTE PTR " + m + ",0x7", a -> a.sbb(BYTE, memory, 7));

        batch.expect("and rax,rbx", a -> a.and(QWORD, Register.RAX, Register.RBX));
        batch.expect("and rcx,QWORD PTR " + m, a -> a.and(QWORD, Register.RCX, memory));
        batch.expect("and QWORD PTR " + m + ",rdx", a -> a.and(QWORD, memory, Register.RDX));
        batch.expect("and rdx,0xfffffffffffffff0", a -> a.and(QWORD, Register.RDX, -16));
        batch.expect("and BYTE PTR " + m + ",0x7", a -> a.and(BYTE, memory, 7));

        batch.expect("sub rsp,0x28", a -> a.sub(QWORD, Register.RSP, 0x28));
        batch.expect("sub rcx,QWORD PTR " + m, a -> a.sub(QWORD, Register.RCX, memory));
        batch.expect("sub QWORD PTR " + m + ",rdx", a -> a.sub(QWORD, memory, Register.RDX));
        batch.expect("sub eax,ebx", a -> a.sub(DWORD, Register.RAX, Register.RBX));
        batch.expect("sub BYTE PTR " + m + ",0x7", a -> a.sub(BYTE, memory, 7));

        batch.expect("xor eax,eax", a -> a.xor(DWORD, Register.RAX, Register.RAX));
        batch.expect("xor rcx,QWORD PTR " + m, a -> a.xor(QWORD, Register.RCX, memory));
        batch.expect("xor QWORD PTR " + m + ",rdx", a -> a.xor(QWORD, memory, Register.RDX));
        batch.expect("xor r15w,0x8000", a -> a.xor(WORD, Register.R15, 0x8000));
        batch.expect("xor BYTE PTR " + m + ",0x7", a -> a.xor(BYTE, memory, 7));

        batch.expect("cmp rax,rbx", a -> a.cmp(QWORD, Register.RAX, Register.RBX));
        batch.expect("cmp rcx,QWORD PTR " + m, a -> a.cmp(QWORD, Register.RCX, memory));
        batch.expect("cmp QWORD PTR " + m + ",rdx", a -> a.cmp(QWORD, memory, Register.RDX));
        batch.expect("cmp rdx,0x0", a -> a.cmp(QWORD, Register.RDX, 0));
        batch.expect("cmp BYTE PTR " + m + ",0x7", a -> a.cmp(BYTE, memory, 7));
        batch.check();
    }

    @Test
    void testInstruction() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (OperandSize size : SIZES) {
            for (Register dst : GP) {
                for (Register src : GP) {
                    batch.expect("test " + reg(dst, size) + "," + reg(src, size), a -> a.test(size, dst, src));
                }
                for (long value : immediates(size)) {
                    batch.expect("test " + reg(dst, size) + "," + imm(value, size), a -> a.test(size, dst, value));
                }
            }
            long[] values = immediates(size);
            for (int i = 0; i < MEMORY.size(); i++) {
                Memory memory = MEMORY.get(i);
                Register register = GP.get(i % GP.size());
                long value = values[i % values.length];
                batch.expect("test " + mem(memory, size) + "," + reg(register, size), a -> a.test(size, memory, register));
                batch.expect("test " + mem(memory, size) + "," + imm(value, size), a -> a.test(size, memory, value));
            }
        }
        batch.expect("test ah,bh", a -> a.test(BYTE, Register.AH, Register.BH));
        batch.expect("test ch,0xff", a -> a.test(BYTE, Register.CH, 0xFF));
        batch.check();
    }

    @Test
    void shiftsAndRotates() {
        DisassemblyBatch batch = new DisassemblyBatch();
        int[] counts = {0, 1, 2, 7, 31, 63, 255};
        for (ShiftOperation op : ShiftOperation.values()) {
            String m = op.mnemonic();
            for (OperandSize size : SIZES) {
                for (Register dst : GP) {
                    for (int count : counts) {
                        String countText = count == 1 ? "1" : imm(count, BYTE);
                        batch.expect(m + " " + reg(dst, size) + "," + countText, a -> a.shift(op, size, dst, count));
                    }
                    batch.expect(m + " " + reg(dst, size) + ",cl", a -> a.shiftByCl(op, size, dst));
                }
                for (int i = 0; i < MEMORY.size(); i++) {
                    Memory memory = MEMORY.get(i);
                    int count = counts[i % counts.length];
                    String countText = count == 1 ? "1" : imm(count, BYTE);
                    batch.expect(m + " " + mem(memory, size) + "," + countText, a -> a.shift(op, size, memory, count));
                    batch.expect(m + " " + mem(memory, size) + ",cl", a -> a.shiftByCl(op, size, memory));
                }
            }
            batch.expect(m + " ah,0x3", a -> a.shift(op, BYTE, Register.AH, 3));
        }
        batch.check();
    }

    @Test
    void namedShiftMethods() {
        DisassemblyBatch batch = new DisassemblyBatch();
        Memory memory = Memory.at(Register.R12);
        batch.expect("shl rax,0x3", a -> a.shl(QWORD, Register.RAX, 3));
        batch.expect("shl DWORD PTR [r12],1", a -> a.shl(DWORD, memory, 1));
        batch.expect("shl r9,cl", a -> a.shlByCl(QWORD, Register.R9));
        batch.expect("shl BYTE PTR [r12],cl", a -> a.shlByCl(BYTE, memory));
        batch.expect("shr rax,0x3", a -> a.shr(QWORD, Register.RAX, 3));
        batch.expect("shr DWORD PTR [r12],1", a -> a.shr(DWORD, memory, 1));
        batch.expect("shr r9,cl", a -> a.shrByCl(QWORD, Register.R9));
        batch.expect("shr BYTE PTR [r12],cl", a -> a.shrByCl(BYTE, memory));
        batch.expect("sar rax,0x3", a -> a.sar(QWORD, Register.RAX, 3));
        batch.expect("sar DWORD PTR [r12],1", a -> a.sar(DWORD, memory, 1));
        batch.expect("sar r9,cl", a -> a.sarByCl(QWORD, Register.R9));
        batch.expect("sar BYTE PTR [r12],cl", a -> a.sarByCl(BYTE, memory));
        batch.expect("rol rax,0x3", a -> a.rol(QWORD, Register.RAX, 3));
        batch.expect("rol DWORD PTR [r12],1", a -> a.rol(DWORD, memory, 1));
        batch.expect("rol r9,cl", a -> a.rolByCl(QWORD, Register.R9));
        batch.expect("rol BYTE PTR [r12],cl", a -> a.rolByCl(BYTE, memory));
        batch.expect("ror rax,0x3", a -> a.ror(QWORD, Register.RAX, 3));
        batch.expect("ror DWORD PTR [r12],1", a -> a.ror(DWORD, memory, 1));
        batch.expect("ror r9,cl", a -> a.rorByCl(QWORD, Register.R9));
        batch.expect("ror WORD PTR [r12],cl", a -> a.rorByCl(WORD, memory));
        batch.check();
    }

    @Test
    void oneOperandGroup() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (OperandSize size : SIZES) {
            for (Register register : GP) {
                String r = reg(register, size);
                batch.expect("not " + r, a -> a.not(size, register));
                batch.expect("neg " + r, a -> a.neg(size, register));
                batch.expect("mul " + r, a -> a.mul(size, register));
                batch.expect("imul " + r, a -> a.imul(size, register));
                batch.expect("div " + r, a -> a.div(size, register));
                batch.expect("idiv " + r, a -> a.idiv(size, register));
                batch.expect("inc " + r, a -> a.inc(size, register));
                batch.expect("dec " + r, a -> a.dec(size, register));
            }
            for (Memory memory : MEMORY) {
                String m = mem(memory, size);
                batch.expect("not " + m, a -> a.not(size, memory));
                batch.expect("neg " + m, a -> a.neg(size, memory));
                batch.expect("mul " + m, a -> a.mul(size, memory));
                batch.expect("imul " + m, a -> a.imul(size, memory));
                batch.expect("div " + m, a -> a.div(size, memory));
                batch.expect("idiv " + m, a -> a.idiv(size, memory));
                batch.expect("inc " + m, a -> a.inc(size, memory));
                batch.expect("dec " + m, a -> a.dec(size, memory));
            }
        }
        batch.expect("neg bh", a -> a.neg(BYTE, Register.BH));
        batch.expect("inc ah", a -> a.inc(BYTE, Register.AH));
        batch.check();
    }

    @Test
    void multiplyWithTwoAndThreeOperands() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (OperandSize size : List.of(WORD, DWORD, QWORD)) {
            long[] values = immediates(size);
            for (Register dst : GP) {
                for (Register src : GP) {
                    batch.expect("imul " + reg(dst, size) + "," + reg(src, size), a -> a.imul(size, dst, src));
                }
                for (long value : values) {
                    Register src = GP.get((dst.encoding() + 5) % GP.size());
                    batch.expect("imul " + reg(dst, size) + "," + reg(src, size) + "," + imm(value, size),
                                    a -> a.imul(size, dst, src, value));
                }
            }
            for (int i = 0; i < MEMORY.size(); i++) {
                Memory memory = MEMORY.get(i);
                Register dst = GP.get(i % GP.size());
                long value = values[i % values.length];
                batch.expect("imul " + reg(dst, size) + "," + mem(memory, size), a -> a.imul(size, dst, memory));
                batch.expect("imul " + reg(dst, size) + "," + mem(memory, size) + "," + imm(value, size),
                                a -> a.imul(size, dst, memory, value));
            }
        }
        batch.check();
    }

    @Test
    void signExtendAccumulator() {
        DisassemblyBatch batch = new DisassemblyBatch();
        batch.expect("cdq", X86Assembler::cdq);
        batch.expect("cqo", X86Assembler::cqo);
        batch.check();
    }
}
