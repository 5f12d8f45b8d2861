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
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** mov and its extending forms, lea, xchg, push, pop, setcc and cmovcc, checked against objdump. */
class DataMovementEncodingTest {

    /** 64-bit immediates for mov: every range that selects a different encoding, and their edges. */
    private static final long[] IMM64 = {0, 1, 127, 128, -1, -128, -129, Integer.MAX_VALUE, Integer.MIN_VALUE,
                    0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, -0x8000_0001L, Long.MAX_VALUE, Long.MIN_VALUE,
                    0x1234_5678_9ABC_DEF0L};

    @Test
    void movRegisterAndMemory() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (OperandSize size : SIZES) {
            for (Register dst : GP) {
                for (Register src : GP) {
                    batch.expect("mov " + reg(dst, size) + "," + reg(src, size), a -> a.mov(size, dst, src));
                }
            }
            long[] values = immediates(size);
            for (int i = 0; i < MEMORY.size(); i++) {
                Memory memory = MEMORY.get(i);
                Register register = GP.get(i % GP.size());
                long value = values[i % values.length];
                batch.expect("mov " + reg(register, size) + "," + mem(memory, size), a -> a.mov(size, register, memory));
                batch.expect("mov " + mem(memory, size) + "," + reg(register, size), a -> a.mov(size, memory, register));
                batch.expect("mov " + mem(memory, size) + "," + imm(value, size), a -> a.mov(size, memory, value));
            }
        }
        for (Register dst : LEGACY_BYTE) {
            for (Register src : LEGACY_BYTE) {
                batch.expect("mov " + reg(dst, BYTE) + "," + reg(src, BYTE), a -> a.mov(BYTE, dst, src));
            }
            batch.expect("mov " + reg(dst, BYTE) + ",BYTE PTR [rbx]", a -> a.mov(BYTE, dst, Memory.at(Register.RBX)));
            batch.expect("mov BYTE PTR [rbx]," + reg(dst, BYTE), a -> a.mov(BYTE, Memory.at(Register.RBX), dst));
        }
        batch.check();
    }

    @Test
    void movImmediate() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (Register dst : GP) {
            for (OperandSize size : List.of(BYTE, WORD, DWORD)) {
                for (long value : immediates(size)) {
                    batch.expect("mov " + reg(dst, size) + "," + imm(value, size), a -> a.mov(size, dst, value));
                }
            }
            for (long value : IMM64) {
                // The documented choice: mov r32 zero-extends 0..0xFFFFFFFF, REX.W C7 sign-extends
                // negative 32-bit values, and everything else needs the 10-byte movabs.
                String text;
                if (value >= 0 && value <= 0xFFFF_FFFFL) {
                    text = "mov " + reg(dst, DWORD) + "," + imm(value, DWORD);
                } else if (value >= Integer.MIN_VALUE && value < 0) {
                    text = "mov " + reg(dst, QWORD) + "," + imm(value, QWORD);
                } else {
                    text = "movabs " + reg(dst, QWORD) + "," + imm(value, QWORD);
                }
                batch.expect(text, a -> a.mov(QWORD, dst, value));
                batch.expect("movabs " + reg(dst, QWORD) + "," + imm(value, QWORD), a -> a.movabs(dst, value));
            }
        }
        for (Register high : List.of(Register.AH, Register.CH, Register.DH, Register.BH)) {
            batch.expect("mov " + reg(high, BYTE) + ",0xff", a -> a.mov(BYTE, high, 0xFF));
        }
        batch.check();
    }

    @Test
    void zeroAndSignExtension() {
        DisassemblyBatch batch = new DisassemblyBatch();
        OperandSize[][] pairs = {{WORD, BYTE}, {DWORD, BYTE}, {QWORD, BYTE}, {DWORD, WORD}, {QWORD, WORD}, {QWORD, DWORD}};
        for (OperandSize[] pair : pairs) {
            OperandSize dstSize = pair[0];
            OperandSize srcSize = pair[1];
            for (Register dst : GP) {
                for (Register src : GP) {
                    String operands = reg(dst, dstSize) + "," + reg(src, srcSize);
                    String zeroExtend = srcSize == DWORD ? "mov " + reg(dst, DWORD) + "," + reg(src, DWORD) : "movzx " + operands;
                    String signExtend = (srcSize == DWORD ? "movsxd " : "movsx ") + operands;
                    batch.expect(zeroExtend, a -> a.movzx(dstSize, dst, srcSize, src));
                    batch.expect(signExtend, a -> a.movsx(dstSize, dst, srcSize, src));
                }
            }
            for (int i = 0; i < MEMORY.size(); i++) {
                Memory memory = MEMORY.get(i);
                Register dst = GP.get(i % GP.size());
                String operands = reg(dst, dstSize) + "," + mem(memory, srcSize);
                String zeroExtend = srcSize == DWORD ? "mov " + reg(dst, DWORD) + "," + mem(memory, DWORD) : "movzx " + operands;
                String signExtend = (srcSize == DWORD ? "movsxd " : "movsx ") + operands;
                batch.expect(zeroExtend, a -> a.movzx(dstSize, dst, srcSize, memory));
                batch.expect(signExtend, a -> a.movsx(dstSize, dst, srcSize, memory));
            }
        }
        for (Register dst : List.of(Register.RAX, Register.RBX)) {
            for (Register high : List.of(Register.AH, Register.BH)) {
                batch.expect("movzx " + reg(dst, DWORD) + "," + reg(high, BYTE), a -> a.movzx(DWORD, dst, BYTE, high));
                batch.expect("movsx " + reg(dst, WORD) + "," + reg(high, BYTE), a -> a.movsx(WORD, dst, BYTE, high));
            }
        }
        for (Register dst : GP) {
            Register src = GP.get(15 - dst.encoding());
            batch.expect("movsxd " + reg(dst, QWORD) + "," + reg(src, DWORD), a -> a.movsxd(dst, src));
            batch.expect("movsxd " + reg(dst, QWORD) + ",DWORD PTR [" + reg(src, QWORD) + "+0x10]",
                            a -> a.movsxd(dst, Memory.at(src, 0x10)));
        }
        batch.check();
    }

    @Test
    void loadEffectiveAddress() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (OperandSize size : List.of(WORD, DWORD, QWORD)) {
            for (int i = 0; i < MEMORY.size(); i++) {
                Memory memory = MEMORY.get(i);
                Register dst = GP.get(i % GP.size());
                batch.expect("lea " + reg(dst, size) + "," + mem(memory), a -> a.lea(size, dst, memory));
            }
        }
        batch.check();
    }

    @Test
    void exchange() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (OperandSize size : SIZES) {
            for (Register first : GP) {
                for (Register second : GP) {
                    // The 90+r form with the accumulator prints the other register first.
                    boolean accumulatorForm = size != BYTE && (first == Register.RAX) != (second == Register.RAX);
                    String text;
                    if (accumulatorForm) {
                        Register other = first == Register.RAX ? second : first;
                        text = "xchg " + reg(other, size) + "," + reg(Register.RAX, size);
                    } else {
                        text = "xchg " + reg(first, size) + "," + reg(second, size);
                    }
                    batch.expect(text, a -> a.xchg(size, first, second));
                }
            }
            for (int i = 0; i < MEMORY.size(); i++) {
                Memory memory = MEMORY.get(i);
                Register register = GP.get(i % GP.size());
                batch.expect("xchg " + mem(memory, size) + "," + reg(register, size), a -> a.xchg(size, memory, register));
            }
        }
        batch.expect("xchg ah,bl", a -> a.xchg(BYTE, Register.AH, Register.RBX));
        batch.check();
    }

    @Test
    void pushAndPop() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (Register register : GP) {
            batch.expect("push " + reg(register, QWORD), a -> a.push(register));
            batch.expect("pop " + reg(register, QWORD), a -> a.pop(register));
        }
        for (long value : immediates(QWORD)) {
            batch.expect("push " + imm(value, QWORD), a -> a.push(value));
        }
        batch.check();
    }

    @Test
    void setAndConditionalMove() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (Condition condition : Condition.values()) {
            String suffix = condition.name().toLowerCase(Locale.ROOT);
            for (Register dst : GP) {
                batch.expect("set" + suffix + " " + reg(dst, BYTE), a -> a.setcc(condition, dst));
            }
            for (Register high : List.of(Register.AH, Register.CH, Register.DH, Register.BH)) {
                batch.expect("set" + suffix + " " + reg(high, BYTE), a -> a.setcc(condition, high));
            }
            for (int i = condition.code(); i < MEMORY.size(); i += 8) {
                Memory memory = MEMORY.get(i);
                batch.expect("set" + suffix + " " + mem(memory, BYTE), a -> a.setcc(condition, memory));
            }
            for (OperandSize size : List.of(WORD, DWORD, QWORD)) {
                for (Register dst : GP) {
                    for (Register src : List.of(Register.RAX, Register.RSP, Register.R8, Register.R13, dst)) {
                        batch.expect("cmov" + suffix + " " + reg(dst, size) + "," + reg(src, size),
                                        a -> a.cmovcc(condition, size, dst, src));
                    }
                }
                for (int i = condition.code(); i < MEMORY.size(); i += 8) {
                    Memory memory = MEMORY.get(i);
                    Register dst = GP.get(i % GP.size());
                    batch.expect("cmov" + suffix + " " + reg(dst, size) + "," + mem(memory, size),
                                    a -> a.cmovcc(condition, size, dst, memory));
                }
            }
        }
        batch.check();
    }
}
