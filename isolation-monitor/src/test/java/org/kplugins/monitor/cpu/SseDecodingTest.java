// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.kplugins.monitor.cpu.AsmOperands.GPR32;
import static org.kplugins.monitor.cpu.AsmOperands.GPR64;
import static org.kplugins.monitor.cpu.AsmOperands.MEMORY;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scalar SSE decoded like objdump, with xmm0 to xmm15. It covers movd and movq in both directions
 * with registers and memory, and movss and movsd (load, store and both register encodings). It
 * also covers the arithmetic, ucomiss and ucomisd, the conversions from and to 32 and 64-bit
 * integers and between precisions, and xorps and xorpd.
 */
class SseDecodingTest {

    @Test
    void sseMatchesObjdump() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String xmm = xmm(i);
            String other = xmm((i * 5 + 3) % 16);
            lines.add("movd " + xmm + "," + GPR32.get((i * 3) % 16));
            lines.add("movq " + xmm + "," + GPR64.get((i * 7) % 16));
            lines.add("movd " + GPR32.get((i * 11) % 16) + "," + xmm);
            lines.add("movq " + GPR64.get((i * 13) % 16) + "," + xmm);
            for (String suffix : List.of("ss", "sd")) {
                lines.add("{load} mov" + suffix + " " + xmm + "," + other);
                lines.add("{store} mov" + suffix + " " + xmm + "," + other);
                for (String op : List.of("add", "sub", "mul", "div")) {
                    lines.add(op + suffix + " " + xmm + "," + other);
                }
                lines.add("cvtsi2" + suffix + " " + xmm + "," + GPR32.get(i));
                lines.add("cvtsi2" + suffix + " " + xmm + "," + GPR64.get(15 - i));
                lines.add("cvtt" + suffix + "2si " + GPR32.get(15 - i) + "," + xmm);
                lines.add("cvtt" + suffix + "2si " + GPR64.get(i) + "," + xmm);
            }
            lines.add("ucomiss " + xmm + "," + other);
            lines.add("ucomisd " + other + "," + xmm);
            lines.add("cvtss2sd " + xmm + "," + other);
            lines.add("cvtsd2ss " + other + "," + xmm);
            lines.add("xorps " + xmm + "," + other);
            lines.add("xorpd " + other + "," + xmm);
        }
        for (int i = 0; i < MEMORY.size(); i++) {
            String memory = MEMORY.get(i);
            String xmm = xmm(i % 16);
            lines.add("movd " + xmm + ",DWORD PTR " + memory);
            lines.add("movd DWORD PTR " + memory + "," + xmm);
            // rex64 gives the 66 REX.W 0F 6E and 0F 7E movq forms, which the x86 tier's assembler
            // emits. For movq with memory, as would pick F3 0F 7E and 66 0F D6 instead.
            lines.add("rex64 movd " + xmm + ",DWORD PTR " + memory);
            lines.add("rex64 movd DWORD PTR " + memory + "," + xmm);
            lines.add("movss " + xmm + ",DWORD PTR " + memory);
            lines.add("movss DWORD PTR " + memory + "," + xmm);
            lines.add("movsd " + xmm + ",QWORD PTR " + memory);
            lines.add("movsd QWORD PTR " + memory + "," + xmm);
            for (String op : List.of("add", "sub", "mul", "div")) {
                lines.add(op + "ss " + xmm + ",DWORD PTR " + memory);
                lines.add(op + "sd " + xmm + ",QWORD PTR " + memory);
            }
            lines.add("ucomiss " + xmm + ",DWORD PTR " + memory);
            lines.add("ucomisd " + xmm + ",QWORD PTR " + memory);
            lines.add("cvtsi2ss " + xmm + ",DWORD PTR " + memory);
            lines.add("cvtsi2ss " + xmm + ",QWORD PTR " + memory);
            lines.add("cvtsi2sd " + xmm + ",DWORD PTR " + memory);
            lines.add("cvtsi2sd " + xmm + ",QWORD PTR " + memory);
            lines.add("cvttss2si " + GPR32.get(i % 16) + ",DWORD PTR " + memory);
            lines.add("cvttsd2si " + GPR64.get(i % 16) + ",QWORD PTR " + memory);
            lines.add("cvtss2sd " + xmm + ",DWORD PTR " + memory);
            lines.add("cvtsd2ss " + xmm + ",QWORD PTR " + memory);
        }
        ObjdumpComparison.assertDecodesLikeObjdump(lines);
    }

    private static String xmm(int number) {
        return "xmm" + number;
    }
}
