// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.kplugins.x86.asm.IntelSyntax.mem;
import static org.kplugins.x86.asm.IntelSyntax.reg;
import static org.kplugins.x86.asm.OperandSize.DWORD;
import static org.kplugins.x86.asm.OperandSize.QWORD;
import static org.kplugins.x86.asm.Operands.GP;
import static org.kplugins.x86.asm.Operands.MEMORY;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scalar SSE and SSE2 forms of the native tier's float and double code, each with every XMM
 * register and every general-purpose register on both sides, checked against objdump.
 */
class SseEncodingTest {

    private static final List<OperandSize> PRECISIONS = List.of(DWORD, QWORD);
    private static final XmmRegister[] XMM = XmmRegister.values();

    @Test
    void scalarArithmeticAndMoves() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (ScalarOperation op : ScalarOperation.values()) {
            for (OperandSize size : PRECISIONS) {
                String mnemonic = op.mnemonic(size);
                for (XmmRegister dst : XMM) {
                    for (XmmRegister src : XMM) {
                        batch.expect(mnemonic + " " + dst.text() + "," + src.text(), a -> a.scalar(op, size, dst, src));
                    }
                }
                for (int i = 0; i < MEMORY.size(); i++) {
                    Memory memory = MEMORY.get(i);
                    XmmRegister register = XMM[i % XMM.length];
                    batch.expect(mnemonic + " " + register.text() + "," + mem(memory, size),
                                    a -> a.scalar(op, size, register, memory));
                }
            }
        }
        for (OperandSize size : PRECISIONS) {
            for (int i = 0; i < MEMORY.size(); i++) {
                Memory memory = MEMORY.get(i);
                XmmRegister register = XMM[(i + 3) % XMM.length];
                batch.expect(ScalarOperation.MOV.mnemonic(size) + " " + mem(memory, size) + "," + register.text(),
                                a -> a.movScalar(size, memory, register));
            }
        }
        batch.check();
    }

    @Test
    void movesBetweenGeneralPurposeAndXmmRegisters() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (OperandSize size : PRECISIONS) {
            String mnemonic = size == QWORD ? "movq" : "movd";
            for (XmmRegister xmm : XMM) {
                for (Register gp : GP) {
                    batch.expect(mnemonic + " " + xmm.text() + "," + reg(gp, size), a -> a.movd(size, xmm, gp));
                    batch.expect(mnemonic + " " + reg(gp, size) + "," + xmm.text(), a -> a.movd(size, gp, xmm));
                }
            }
            for (int i = 0; i < MEMORY.size(); i++) {
                Memory memory = MEMORY.get(i);
                XmmRegister xmm = XMM[i % XMM.length];
                batch.expect(mnemonic + " " + xmm.text() + "," + mem(memory, size), a -> a.movd(size, xmm, memory));
                batch.expect(mnemonic + " " + mem(memory, size) + "," + xmm.text(), a -> a.movd(size, memory, xmm));
            }
        }
        batch.check();
    }

    @Test
    void comparesAndConversions() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (XmmRegister a : XMM) {
            for (XmmRegister b : XMM) {
                batch.expect("ucomiss " + a.text() + "," + b.text(), x -> x.ucomis(DWORD, a, b));
                batch.expect("ucomisd " + a.text() + "," + b.text(), x -> x.ucomis(QWORD, a, b));
                batch.expect("cvtss2sd " + a.text() + "," + b.text(), x -> x.cvtss2sd(a, b));
                batch.expect("cvtsd2ss " + a.text() + "," + b.text(), x -> x.cvtsd2ss(a, b));
                batch.expect("xorps " + a.text() + "," + b.text(), x -> x.xorp(DWORD, a, b));
                batch.expect("xorpd " + a.text() + "," + b.text(), x -> x.xorp(QWORD, a, b));
            }
        }
        for (OperandSize precision : PRECISIONS) {
            String suffix = precision == QWORD ? "sd" : "ss";
            for (OperandSize integer : PRECISIONS) {
                for (XmmRegister xmm : XMM) {
                    for (Register gp : GP) {
                        batch.expect("cvtsi2" + suffix + " " + xmm.text() + "," + reg(gp, integer),
                                        a -> a.cvtsi2s(precision, xmm, integer, gp));
                        batch.expect("cvtt" + suffix + "2si " + reg(gp, integer) + "," + xmm.text(),
                                        a -> a.cvtts2si(integer, gp, precision, xmm));
                    }
                }
                for (int i = 0; i < MEMORY.size(); i++) {
                    Memory memory = MEMORY.get(i);
                    XmmRegister xmm = XMM[i % XMM.length];
                    batch.expect("cvtsi2" + suffix + " " + xmm.text() + "," + mem(memory, integer),
                                    a -> a.cvtsi2s(precision, xmm, integer, memory));
                }
            }
        }
        batch.check();
    }
}
