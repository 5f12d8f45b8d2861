// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kplugins.x86.asm.OperandSize.BYTE;
import static org.kplugins.x86.asm.OperandSize.DWORD;
import static org.kplugins.x86.asm.OperandSize.QWORD;
import static org.kplugins.x86.asm.OperandSize.WORD;

import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes for the cases where x86 has several encodings with the same disassembly, so objdump
 * alone cannot tell whether the shortest one was picked. The expected bytes follow the opcode
 * tables of the Intel SDM, volume 2.
 */
class ShortestEncodingTest {

    private static String bytes(Consumer<X86Assembler> emit) {
        X86Assembler asm = new X86Assembler();
        emit.accept(asm);
        return HexFormat.of().formatHex(asm.finish());
    }

    @Test
    void aluImmediateForms() {
        assertEquals("4883c07f", bytes(a -> a.add(QWORD, Register.RAX, 127)), "imm8 form");
        assertEquals("480580000000", bytes(a -> a.add(QWORD, Register.RAX, 128)), "accumulator form");
        assertEquals("4881c380000000", bytes(a -> a.add(QWORD, Register.RBX, 128)), "imm32 form");
        assertEquals("83c180", bytes(a -> a.add(DWORD, Register.RCX, -128)), "imm8 at -128");
        assertEquals("81c17fffffff", bytes(a -> a.add(DWORD, Register.RCX, -129)), "imm32 at -129");
        assertEquals("83f9ff", bytes(a -> a.cmp(DWORD, Register.RCX, 0xFFFF_FFFFL)), "unsigned 32-bit -1 as imm8");
        assertEquals("0401", bytes(a -> a.add(BYTE, Register.RAX, 1)), "8-bit accumulator form");
        assertEquals("80c301", bytes(a -> a.add(BYTE, Register.RBX, 1)), "8-bit form");
        assertEquals("66053412", bytes(a -> a.add(WORD, Register.RAX, 0x1234)), "16-bit accumulator form");
        assertEquals("6683c0ff", bytes(a -> a.add(WORD, Register.RAX, 0xFFFF)), "16-bit imm8 form");
        assertEquals("48833801", bytes(a -> a.cmp(QWORD, Memory.at(Register.RAX), 1)), "memory imm8 form");
        assertEquals("48a901000000", bytes(a -> a.test(QWORD, Register.RAX, 1)), "test accumulator form");
        assertEquals("a801", bytes(a -> a.test(BYTE, Register.RAX, 1)), "test 8-bit accumulator form");
        assertEquals("f7c101000000", bytes(a -> a.test(DWORD, Register.RCX, 1)), "test has no imm8 form");
        assertEquals("6bc10a", bytes(a -> a.imul(DWORD, Register.RAX, Register.RCX, 10)), "imul imm8 form");
        assertEquals("69c180000000", bytes(a -> a.imul(DWORD, Register.RAX, Register.RCX, 128)), "imul imm32 form");
    }

    @Test
    void movImmediateForms() {
        assertEquals("b805000000", bytes(a -> a.mov(QWORD, Register.RAX, 5)), "zero-extending mov r32");
        assertEquals("41b8ffffffff", bytes(a -> a.mov(QWORD, Register.R8, 0xFFFF_FFFFL)), "mov r32 up to 0xffffffff");
        assertEquals("48c7c0ffffffff", bytes(a -> a.mov(QWORD, Register.RAX, -1)), "sign-extended imm32");
        assertEquals("49c7c700000080", bytes(a -> a.mov(QWORD, Register.R15, Integer.MIN_VALUE)), "sign-extended INT_MIN");
        assertEquals("48b80000000001000000", bytes(a -> a.mov(QWORD, Register.RAX, 1L << 32)), "imm64");
        assertEquals("48b80500000000000000", bytes(a -> a.movabs(Register.RAX, 5)), "movabs keeps 8 bytes");
        assertEquals("b0ff", bytes(a -> a.mov(BYTE, Register.RAX, -1)), "mov r8, imm8");
        assertEquals("40b601", bytes(a -> a.mov(BYTE, Register.RSI, 1)), "sil needs an empty REX");
        assertEquals("b601", bytes(a -> a.mov(BYTE, Register.DH, 1)), "dh has no REX");
    }

    @Test
    void memoryOperandForms() {
        assertEquals("8b00", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.RAX))), "no displacement");
        assertEquals("8b4500", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.RBP))), "rbp takes disp8 0");
        assertEquals("418b4500", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.R13))), "r13 takes disp8 0");
        assertEquals("8b0424", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.RSP))), "rsp takes a SIB");
        assertEquals("418b0424", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.R12))), "r12 takes a SIB");
        assertEquals("8b407f", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.RAX, 127))), "disp8");
        assertEquals("8b4080", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.RAX, -128))), "disp8 at -128");
        assertEquals("8b8080000000", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.RAX, 128))), "disp32");
        assertEquals("8b440500", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.RBP, Register.RAX, 1, 0))),
                        "rbp base with index takes disp8 0");
        assertEquals("428b0420", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.RAX, Register.R12, 1, 0))),
                        "r12 is a valid index with REX.X");
        assertEquals("8b0425f0ffffff", bytes(a -> a.mov(DWORD, Register.RAX, Memory.absolute(-16))), "absolute takes a SIB");
        assertEquals("8b05f0ffffff", bytes(a -> a.mov(DWORD, Register.RAX, Memory.ripRelative(-16))), "rip-relative");
        assertEquals("8b03", bytes(a -> a.mov(DWORD, Register.RAX, Memory.indexed(Register.RBX, 1, 0))),
                        "index*1 without base becomes the base");
        assertEquals("8b049d00000000", bytes(a -> a.mov(DWORD, Register.RAX, Memory.indexed(Register.RBX, 4, 0))),
                        "index without base takes disp32");
    }

    @Test
    void shortOpcodeForms() {
        assertEquals("d1e0", bytes(a -> a.shl(DWORD, Register.RAX, 1)), "shift by one");
        assertEquals("c1e002", bytes(a -> a.shl(DWORD, Register.RAX, 2)), "shift by imm8");
        assertEquals("6a7f", bytes(a -> a.push(127)), "push imm8");
        assertEquals("6880000000", bytes(a -> a.push(128)), "push imm32");
        assertEquals("4891", bytes(a -> a.xchg(QWORD, Register.RAX, Register.RCX)), "xchg with accumulator");
        assertEquals("87c0", bytes(a -> a.xchg(DWORD, Register.RAX, Register.RAX)), "xchg eax, eax is not nop");
        assertEquals("4150", bytes(a -> a.push(Register.R8)), "push r8");
        assertEquals("0fb6c4", bytes(a -> a.movzx(DWORD, Register.RAX, BYTE, Register.AH)), "movzx from ah");
        assertEquals("400fb6c6", bytes(a -> a.movzx(DWORD, Register.RAX, BYTE, Register.RSI)), "movzx from sil");
        assertEquals("89c8", bytes(a -> a.movzx(QWORD, Register.RAX, DWORD, Register.RCX)), "32-bit zero extension is mov");
        assertEquals("4863c1", bytes(a -> a.movsx(QWORD, Register.RAX, DWORD, Register.RCX)), "32-bit sign extension is movsxd");
        assertEquals("4899", bytes(X86Assembler::cqo), "cqo");
        assertEquals("0f0b", bytes(X86Assembler::ud2), "ud2");
    }
}
