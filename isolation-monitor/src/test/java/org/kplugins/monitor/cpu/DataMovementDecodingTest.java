// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.kplugins.monitor.cpu.AsmOperands.GPR64;
import static org.kplugins.monitor.cpu.AsmOperands.MEMORY;
import static org.kplugins.monitor.cpu.AsmOperands.gprs;
import static org.kplugins.monitor.cpu.AsmOperands.immediates;
import static org.kplugins.monitor.cpu.AsmOperands.ptr;
import static org.kplugins.monitor.cpu.AsmOperands.registerPairs;
import static org.kplugins.monitor.cpu.AsmOperands.registers;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Data movement decoded like objdump: mov in its register, memory and immediate forms (B0+r, B8+r,
 * movabs, C6, C7), movzx, movsx, movsxd, lea, xchg (90+r and 86/87), push, pop, setcc and cmovcc.
 */
class DataMovementDecodingTest {

    static final List<String> CONDITIONS = List.of("o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np",
                    "l", "ge", "le", "g");
    private static final int[] SIZES = {1, 2, 4, 8};

    @Test
    void dataMovementMatchesObjdump() {
        List<String> lines = new ArrayList<>();
        addMov(lines);
        addExtensions(lines);
        addLea(lines);
        addXchg(lines);
        for (String register : GPR64) {
            lines.add("push " + register);
            lines.add("pop " + register);
        }
        for (String value : List.of("0x0", "0x7f", "-0x80", "0x80", "-0x81", "0x7fffffff", "-0x80000000")) {
            lines.add("push " + value);
        }
        addConditionalMoves(lines);
        ObjdumpComparison.assertDecodesLikeObjdump(lines);
    }

    private static void addMov(List<String> lines) {
        for (int size : SIZES) {
            for (String[] pair : registerPairs(size)) {
                lines.add("{store} mov " + pair[0] + "," + pair[1]);
                lines.add("{load} mov " + pair[0] + "," + pair[1]);
            }
            for (int i = 0; i < MEMORY.size(); i++) {
                String memory = ptr(size) + MEMORY.get(i);
                String register = AsmOperands.besideMemory(registers(size).get((i * 7) % registers(size).size()), memory);
                lines.add("mov " + memory + "," + register);
                lines.add("mov " + register + "," + memory);
                List<String> values = immediates(size);
                lines.add("mov " + memory + "," + values.get(i % values.size()));
            }
            for (String register : registers(size)) {
                for (String value : immediates(size)) {
                    lines.add("mov " + register + "," + value);
                }
            }
        }
        for (String register : GPR64) {
            lines.add("movabs " + register + ",0x123456789abcdef0");
            lines.add("movabs " + register + ",0x5");
            lines.add("movabs " + register + ",-0x1");
            lines.add("mov " + register + ",0x80000000");
            lines.add("mov " + register + ",-0x80000001");
        }
    }

    private static void addExtensions(List<String> lines) {
        for (String op : List.of("movzx", "movsx")) {
            for (int dstSize : new int[] {2, 4, 8}) {
                for (int srcSize : new int[] {1, 2}) {
                    if (srcSize >= dstSize) {
                        continue;
                    }
                    List<String> sources = registers(srcSize);
                    for (int i = 0; i < sources.size(); i++) {
                        String dst = gprs(dstSize).get((i * 3 + 1) % 16);
                        if (sources.get(i).endsWith("h")) {
                            // ah to bh cannot be combined with REX, which r8 to r15 and REX.W need.
                            if (dstSize == 8) {
                                continue;
                            }
                            dst = gprs(dstSize).get(i % 4);
                        }
                        lines.add(op + " " + dst + "," + sources.get(i));
                    }
                    for (int i = 0; i < MEMORY.size(); i++) {
                        lines.add(op + " " + gprs(dstSize).get(i % 16) + "," + ptr(srcSize) + MEMORY.get(i));
                    }
                }
            }
        }
        for (int i = 0; i < 16; i++) {
            lines.add("movsxd " + GPR64.get(i) + "," + gprs(4).get((i * 5 + 3) % 16));
        }
        for (int i = 0; i < MEMORY.size(); i++) {
            lines.add("movsxd " + GPR64.get((i * 3) % 16) + "," + ptr(4) + MEMORY.get(i));
        }
    }

    private static void addLea(List<String> lines) {
        for (int size : new int[] {2, 4, 8}) {
            for (int i = 0; i < MEMORY.size(); i++) {
                // The decoder rejects a segment override on lea, which ignores it.
                if (!MEMORY.get(i).contains(":")) {
                    lines.add("lea " + gprs(size).get((i * 5) % 16) + "," + MEMORY.get(i));
                }
            }
        }
    }

    private static void addXchg(List<String> lines) {
        for (int size : SIZES) {
            for (String[] pair : registerPairs(size)) {
                lines.add("xchg " + pair[0] + "," + pair[1]);
            }
            for (String register : gprs(size)) {
                // Exchanges with the accumulator take the one-byte 90+r form, except in the byte size.
                lines.add("xchg " + register + "," + gprs(size).getFirst());
            }
            for (int i = 0; i < MEMORY.size(); i++) {
                String memory = ptr(size) + MEMORY.get(i);
                lines.add("xchg " + memory + "," + AsmOperands.besideMemory(registers(size).get(i % registers(size).size()), memory));
            }
        }
    }

    private static void addConditionalMoves(List<String> lines) {
        for (int c = 0; c < 16; c++) {
            String condition = CONDITIONS.get(c);
            List<String> bytes = registers(1);
            lines.add("set" + condition + " " + bytes.get(c));
            lines.add("set" + condition + " " + bytes.get(c + 4));
            lines.add("set" + condition + " BYTE PTR " + MEMORY.get(c * 3 % MEMORY.size()));
            for (int size : new int[] {2, 4, 8}) {
                lines.add("cmov" + condition + " " + gprs(size).get(c) + "," + gprs(size).get(15 - c));
                lines.add("cmov" + condition + " " + gprs(size).get((c + size) % 16) + "," + ptr(size)
                                + MEMORY.get((c * 5 + size) % MEMORY.size()));
            }
        }
    }
}
