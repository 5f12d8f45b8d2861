// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kplugins.x86.asm.IntelSyntax.imm;
import static org.kplugins.x86.asm.IntelSyntax.mem;
import static org.kplugins.x86.asm.IntelSyntax.reg;
import static org.kplugins.x86.asm.OperandSize.BYTE;
import static org.kplugins.x86.asm.OperandSize.DWORD;
import static org.kplugins.x86.asm.OperandSize.QWORD;
import static org.kplugins.x86.asm.OperandSize.WORD;
import static org.kplugins.x86.asm.Operands.GP;
import static org.kplugins.x86.asm.Operands.MEMORY;
import static org.kplugins.x86.asm.Operands.SIZES;
import static org.kplugins.x86.asm.Operands.immediates;

import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Memory operands with an FS or GS override: the prefix byte, its place before the operand-size,
 * mandatory SSE and REX prefixes, and objdump's decoding of every memory operand form with it.
 */
class SegmentOverrideEncodingTest {

    private static final List<Segment> SEGMENTS = List.of(Segment.FS, Segment.GS);

    private static String bytes(Consumer<X86Assembler> emit) {
        X86Assembler asm = new X86Assembler();
        emit.accept(asm);
        return HexFormat.of().formatHex(asm.finish());
    }

    @Test
    void movesWithEveryMemoryForm() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (Segment segment : SEGMENTS) {
            for (OperandSize size : SIZES) {
                long[] values = immediates(size);
                for (int i = 0; i < MEMORY.size(); i++) {
                    Memory memory = MEMORY.get(i).withSegment(segment);
                    Register register = GP.get(i % GP.size());
                    long value = values[i % values.length];
                    batch.expect("mov " + reg(register, size) + "," + mem(memory, size), a -> a.mov(size, register, memory));
                    batch.expect("mov " + mem(memory, size) + "," + reg(register, size), a -> a.mov(size, memory, register));
                    batch.expect("mov " + mem(memory, size) + "," + imm(value, size), a -> a.mov(size, memory, value));
                }
            }
        }
        batch.check();
    }

    @Test
    void extensionsDivisionsAndSse() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (int i = 0; i < MEMORY.size(); i++) {
            Memory memory = MEMORY.get(i).withSegment(SEGMENTS.get(i % 2));
            Register register = GP.get(i % GP.size());
            XmmRegister xmm = XmmRegister.values()[i % XmmRegister.values().length];
            batch.expect("movzx " + reg(register, DWORD) + "," + mem(memory, BYTE),
                            a -> a.movzx(DWORD, register, BYTE, memory));
            batch.expect("movsx " + reg(register, QWORD) + "," + mem(memory, WORD),
                            a -> a.movsx(QWORD, register, WORD, memory));
            batch.expect("movsxd " + reg(register, QWORD) + "," + mem(memory, DWORD),
                            a -> a.movsx(QWORD, register, DWORD, memory));
            batch.expect("idiv " + mem(memory, QWORD), a -> a.idiv(QWORD, memory));
            batch.expect("div " + mem(memory, WORD), a -> a.div(WORD, memory));
            batch.expect("add " + mem(memory, DWORD) + "," + reg(register, DWORD), a -> a.add(DWORD, memory, register));
            batch.expect("movss " + xmm.text() + "," + mem(memory, DWORD),
                            a -> a.scalar(ScalarOperation.MOV, DWORD, xmm, memory));
            batch.expect("movsd " + mem(memory, QWORD) + "," + xmm.text(), a -> a.movScalar(QWORD, memory, xmm));
            batch.expect("movq " + xmm.text() + "," + mem(memory, QWORD), a -> a.movd(QWORD, xmm, memory));
        }
        batch.check();
    }

    @Test
    void prefixComesFirst() {
        Memory plugin = Memory.at(Register.R15, Register.RAX, 1, 0).withSegment(Segment.GS);
        assertEquals("65418b0407", bytes(a -> a.mov(DWORD, Register.RAX, plugin)), "GS before REX.B");
        assertEquals("65498b0407", bytes(a -> a.mov(QWORD, Register.RAX, plugin)), "GS before REX.WB");
        assertEquals("656641890407", bytes(a -> a.mov(WORD, plugin, Register.RAX)), "GS before 0x66");
        assertEquals("6549c7041700000000",
                        bytes(a -> a.mov(QWORD, Memory.at(Register.R15, Register.RDX, 1, 0).withSegment(Segment.GS), 0)),
                        "store of an immediate");
        assertEquals("65f3410f100407", bytes(a -> a.scalar(ScalarOperation.MOV, DWORD, XmmRegister.XMM0, plugin)),
                        "GS before the mandatory F3");
        Memory absolute = Memory.absolute(0x10).withSegment(Segment.FS);
        assertEquals("648b042510000000", bytes(a -> a.mov(DWORD, Register.RAX, absolute)), "absolute address");
    }

    @Test
    void withSegmentCopiesTheOperand() {
        Memory plain = Memory.at(Register.R15, Register.RAX, 1, 8);
        Memory overridden = plain.withSegment(Segment.GS);
        assertNull(plain.segment(), "the original keeps no override");
        assertSame(Segment.GS, overridden.segment());
        assertEquals("gs:[r15+rax*1+0x8]", overridden.toString());
        assertNull(overridden.withSegment(null).segment(), "null removes the override");
        assertEquals("8b440708", bytes(a -> a.mov(DWORD, Register.RAX, Memory.at(Register.RDI, Register.RAX, 1, 8))),
                        "no prefix without an override");
    }

    @Test
    void leaRejectsOverride() {
        X86Assembler asm = new X86Assembler();
        Memory overridden = Memory.at(Register.R15, Register.RAX, 1, 0).withSegment(Segment.GS);
        String message = assertThrows(IllegalArgumentException.class, () -> asm.lea(QWORD, Register.RDX, overridden))
                        .getMessage();
        assertEquals("lea: memory operand gs:[r15+rax*1] has a segment override, but lea reads no memory and ignores it;"
                        + " pass the operand without withSegment", message);
        assertEquals(0, asm.position(), "the rejected lea emits nothing");
    }
}
