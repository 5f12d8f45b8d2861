// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kplugins.x86.asm.OperandSize.BYTE;
import static org.kplugins.x86.asm.OperandSize.DWORD;
import static org.kplugins.x86.asm.OperandSize.QWORD;
import static org.kplugins.x86.asm.OperandSize.WORD;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Operands that x86-64 cannot encode, and the messages that name the instruction and the operand. */
class OperandErrorTest {

    private static String rejected(Executable emit) {
        return assertThrows(IllegalArgumentException.class, emit).getMessage();
    }

    @Test
    void highByteWithRexOperand() {
        X86Assembler asm = new X86Assembler();
        assertEquals("mov: ah cannot be encoded with a REX prefix, and operand r8b needs one; use al, cl, dl or bl in place of ah",
                        rejected(() -> asm.mov(BYTE, Register.AH, Register.R8)));
        assertEquals("add: bh cannot be encoded with a REX prefix, and operand sil needs one; use al, cl, dl or bl in place of bh",
                        rejected(() -> asm.add(BYTE, Register.RSI, Register.BH)));
        assertEquals("movzx: ch cannot be encoded with a REX prefix, and operand r9d needs one; use al, cl, dl or bl in place of ch",
                        rejected(() -> asm.movzx(DWORD, Register.R9, BYTE, Register.CH)));
        assertEquals(0, asm.position(), "rejected instructions emit nothing");
    }

    @Test
    void highByteWithRexW() {
        X86Assembler asm = new X86Assembler();
        assertEquals("movsx: dh cannot be encoded with a REX prefix, and the 64-bit operand size needs one; use al, cl, dl or bl in place of dh",
                        rejected(() -> asm.movsx(QWORD, Register.RAX, BYTE, Register.DH)));
    }

    @Test
    void highByteWithRexMemory() {
        X86Assembler asm = new X86Assembler();
        assertEquals("mov: ah cannot be encoded with a REX prefix, and memory operand [r9+0x8] needs one; use al, cl, dl or bl in place of ah",
                        rejected(() -> asm.mov(BYTE, Memory.at(Register.R9, 8), Register.AH)));
        assertEquals("xor: bh cannot be encoded with a REX prefix, and memory operand [rax+r12*4] needs one; use al, cl, dl or bl in place of bh",
                        rejected(() -> asm.xor(BYTE, Register.BH, Memory.at(Register.RAX, Register.R12, 4, 0))));
    }

    @Test
    void highByteAsWideOperand() {
        X86Assembler asm = new X86Assembler();
        assertEquals("add: ah is an 8-bit register and cannot be a 64-bit operand; use one of rax to r15",
                        rejected(() -> asm.add(QWORD, Register.AH, Register.RAX)));
        assertEquals("push: bh is an 8-bit register and cannot be a 64-bit operand; use one of rax to r15",
                        rejected(() -> asm.push(Register.BH)));
        assertEquals("jmp: ch is an 8-bit register and cannot be a 64-bit operand; use one of rax to r15",
                        rejected(() -> asm.jmp(Register.CH)));
    }

    @Test
    void invalidMemoryOperands() {
        assertEquals("invalid scale 3 in memory operand [rax+rbx*3]: the scale must be 1, 2, 4 or 8",
                        rejected(() -> Memory.at(Register.RAX, Register.RBX, 3, 0)));
        assertEquals("invalid scale 0 in memory operand [rcx*0+0x10]: the scale must be 1, 2, 4 or 8",
                        rejected(() -> Memory.indexed(Register.RCX, 0, 16)));
        assertEquals("invalid index register rsp in memory operand [rax+rsp*2]: rsp cannot be an index register;"
                        + " use it as the base or pick another register", rejected(() -> Memory.at(Register.RAX, Register.RSP, 2, 0)));
        assertEquals("invalid index register rsp in memory operand [rsp*4-0x8]: rsp cannot be an index register;"
                        + " use it as the base or pick another register", rejected(() -> Memory.indexed(Register.RSP, 4, -8)));
        assertEquals("invalid base register ah in memory operand [ah+0x4]: address registers are 64-bit, and ah is an"
                        + " 8-bit register", rejected(() -> Memory.at(Register.AH, 4)));
        assertEquals("invalid index register bh in memory operand [rax+bh*1]: address registers are 64-bit, and bh is an"
                        + " 8-bit register", rejected(() -> Memory.at(Register.RAX, Register.BH, 1, 0)));
        assertEquals("memory operand needs a base register, not null; use Memory.indexed or Memory.absolute for an"
                        + " address without one", rejected(() -> Memory.at(null, 0)));
    }

    @Test
    void memoryOperandsAreNormalized() {
        Memory indexOnly = Memory.indexed(Register.RBX, 1, 8);
        assertEquals(Register.RBX, indexOnly.base());
        assertEquals(null, indexOnly.index());
        Memory rspIndex = Memory.at(Register.RAX, Register.RSP, 1, 0);
        assertEquals(Register.RSP, rspIndex.base());
        assertEquals(Register.RAX, rspIndex.index());
        assertEquals("[rsp+rax*1]", rspIndex.toString());
        assertEquals("[rbp+r13*8-0x80000000]", Memory.at(Register.RBP, Register.R13, 8, Integer.MIN_VALUE).toString());
        assertEquals("[0x10]", Memory.absolute(16).toString());
        assertEquals("[rip-0x4]", Memory.ripRelative(-4).toString());
    }

    @Test
    void immediateOutOfRange() {
        X86Assembler asm = new X86Assembler();
        assertEquals("add: immediate 256 (0x100) does not fit in an 8-bit immediate (-128 to 255)",
                        rejected(() -> asm.add(BYTE, Register.RAX, 256)));
        assertEquals("cmp: immediate -129 (-0x81) does not fit in an 8-bit immediate (-128 to 255)",
                        rejected(() -> asm.cmp(BYTE, Memory.at(Register.RAX), -129)));
        assertEquals("mov: immediate 65536 (0x10000) does not fit in a 16-bit immediate (-32768 to 65535)",
                        rejected(() -> asm.mov(WORD, Register.RCX, 0x10000)));
        assertEquals("test: immediate 4294967296 (0x100000000) does not fit in a 32-bit immediate (-2147483648 to 4294967295)",
                        rejected(() -> asm.test(DWORD, Register.RCX, 0x1_0000_0000L)));
        assertEquals("sub: immediate 2147483648 (0x80000000) does not fit in a sign-extended 32-bit immediate"
                        + " (-2147483648 to 2147483647); load it into a register with mov first",
                        rejected(() -> asm.sub(QWORD, Register.RSP, 0x8000_0000L)));
        assertEquals("mov: immediate -2147483649 (-0x80000001) does not fit in a sign-extended 32-bit immediate"
                        + " (-2147483648 to 2147483647); load it into a register with mov first",
                        rejected(() -> asm.mov(QWORD, Memory.at(Register.RAX), -0x8000_0001L)));
        assertEquals("push: immediate 2147483648 (0x80000000) does not fit in a sign-extended 32-bit immediate"
                        + " (-2147483648 to 2147483647); load it into a register with mov first",
                        rejected(() -> asm.push(0x8000_0000L)));
        assertEquals("imul: immediate 65536 (0x10000) does not fit in a 16-bit immediate (-32768 to 65535)",
                        rejected(() -> asm.imul(WORD, Register.RAX, Register.RCX, 0x10000)));
    }

    @Test
    void shiftCountOutOfRange() {
        X86Assembler asm = new X86Assembler();
        assertEquals("shl: shift count 256 does not fit in the unsigned 8-bit immediate (0 to 255)",
                        rejected(() -> asm.shl(QWORD, Register.RAX, 256)));
        assertEquals("sar: shift count -1 does not fit in the unsigned 8-bit immediate (0 to 255)",
                        rejected(() -> asm.sar(DWORD, Memory.at(Register.RAX), -1)));
    }

    @Test
    void sizeWithoutEncoding() {
        X86Assembler asm = new X86Assembler();
        Memory memory = Memory.at(Register.RAX);
        assertEquals("lea: no encoding for 8-bit operands; use 16, 32 or 64 bits",
                        rejected(() -> asm.lea(BYTE, Register.RAX, memory)));
        assertEquals("imul: no encoding for 8-bit operands; use 16, 32 or 64 bits",
                        rejected(() -> asm.imul(BYTE, Register.RAX, Register.RCX)));
        assertEquals("cmovne: no encoding for 8-bit operands; use 16, 32 or 64 bits",
                        rejected(() -> asm.cmovcc(Condition.NE, BYTE, Register.RAX, Register.RCX)));
        assertEquals("movzx: the destination must be 16, 32 or 64 bits, not 8",
                        rejected(() -> asm.movzx(BYTE, Register.RAX, BYTE, Register.RCX)));
        assertEquals("movsx: the source must be 8, 16 or 32 bits, not 64",
                        rejected(() -> asm.movsx(QWORD, Register.RAX, QWORD, memory)));
        assertEquals("movzx: the destination (16 bits) must be wider than the source (16 bits)",
                        rejected(() -> asm.movzx(WORD, Register.RAX, WORD, Register.RCX)));
        assertEquals("movsx: the destination (32 bits) must be wider than the source (32 bits)",
                        rejected(() -> asm.movsx(DWORD, Register.RAX, DWORD, Register.RCX)));
        assertEquals("add: operand size is null", rejected(() -> asm.add(null, Register.RAX, Register.RCX)));
    }

    @Test
    void nullOperands() {
        X86Assembler asm = new X86Assembler();
        assertEquals("add: register operand is null", rejected(() -> asm.add(QWORD, (Register) null, Register.RAX)));
        assertEquals("mov: memory operand is null", rejected(() -> asm.mov(QWORD, Register.RAX, (Memory) null)));
        assertEquals("setcc: condition is null", rejected(() -> asm.setcc(null, Register.RAX)));
    }
}
