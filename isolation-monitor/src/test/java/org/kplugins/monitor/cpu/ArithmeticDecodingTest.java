// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

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
 * Integer arithmetic decoded like objdump, in all four sizes. It covers the ALU operations in every
 * operand form (both directions of register pairs, the accumulator and imm8 forms), test, shifts
 * and rotates, group 3, inc and dec, imul in its three shapes, and cwd, cdq and cqo.
 */
class ArithmeticDecodingTest {

    private static final List<String> ALU = List.of("add", "or", "adc", "sbb", "and", "sub", "xor", "cmp");
    private static final List<String> SHIFTS = List.of("rol", "ror", "rcl", "rcr", "shl", "shr", "sar");
    private static final List<String> UNARY = List.of("not", "neg", "mul", "imul", "div", "idiv", "inc", "dec");
    private static final int[] SIZES = {1, 2, 4, 8};

    @Test
    void arithmeticMatchesObjdump() {
        List<String> lines = new ArrayList<>();
        for (String op : ALU) {
            addBinary(lines, op, true);
        }
        addBinary(lines, "test", false);
        for (String op : SHIFTS) {
            addShifts(lines, op);
        }
        for (String op : UNARY) {
            for (int size : SIZES) {
                for (String register : registers(size)) {
                    lines.add(op + " " + register);
                }
                for (String memory : MEMORY) {
                    lines.add(op + " " + ptr(size) + memory);
                }
            }
        }
        addImul(lines);
        lines.add("cwd");
        lines.add("cdq");
        lines.add("cqo");
        ObjdumpComparison.assertDecodesLikeObjdump(lines);
    }

    /** Adds {@code op} with register pairs in both encodings, memory in both directions, and immediates. */
    private static void addBinary(List<String> lines, String op, boolean loadForm) {
        for (int size : SIZES) {
            for (String[] pair : registerPairs(size)) {
                // {store} picks the r/m, reg opcode and {load} the reg, r/m one, which test lacks.
                lines.add("{store} " + op + " " + pair[0] + "," + pair[1]);
                if (loadForm) {
                    lines.add("{load} " + op + " " + pair[0] + "," + pair[1]);
                }
            }
            for (int i = 0; i < MEMORY.size(); i++) {
                String register = gprs(size).get(i % 16);
                String memory = ptr(size) + MEMORY.get(i);
                lines.add(op + " " + memory + "," + register);
                if (loadForm) {
                    lines.add(op + " " + register + "," + memory);
                }
                List<String> values = immediates(size);
                lines.add(op + " " + memory + "," + values.get(i % values.size()));
            }
            for (String value : immediates(size)) {
                // The accumulator gets the short forms (04/05, A8/A9); others 80/81/83 or F6/F7.
                lines.add(op + " " + gprs(size).getFirst() + "," + value);
                lines.add(op + " " + gprs(size).get(size == 1 ? 6 : 9) + "," + value);
            }
            if (size == 1) {
                lines.add(op + " ah,0x12");
                lines.add(op + " bh,0x80");
            }
        }
    }

    private static void addShifts(List<String> lines, String op) {
        for (int size : SIZES) {
            for (String register : registers(size)) {
                lines.add(op + " " + register + ",1");
                lines.add(op + " " + register + ",cl");
            }
            lines.add(op + " " + gprs(size).get(3) + ",0x3");
            lines.add(op + " " + gprs(size).get(12) + ",0xff");
            for (int i = 0; i < MEMORY.size(); i++) {
                String memory = ptr(size) + MEMORY.get(i);
                switch (i % 3) {
                    case 0 -> lines.add(op + " " + memory + ",1");
                    case 1 -> lines.add(op + " " + memory + ",cl");
                    default -> lines.add(op + " " + memory + ",0x" + Integer.toHexString(i * 7 % 256));
                }
            }
        }
    }

    private static void addImul(List<String> lines) {
        for (int size : new int[] {2, 4, 8}) {
            for (String[] pair : registerPairs(size)) {
                lines.add("imul " + pair[0] + "," + pair[1]);
                lines.add("imul " + pair[1] + "," + pair[0] + ",0x5");
                lines.add("imul " + pair[0] + "," + pair[1] + ",-0x80");
                lines.add("imul " + pair[1] + "," + pair[0] + "," + (size == 2 ? "0x1234" : "0x12345678"));
                lines.add("imul " + pair[0] + "," + pair[1] + "," + (size == 2 ? "-0x8000" : "-0x80000000"));
            }
            for (int i = 0; i < MEMORY.size(); i++) {
                String register = gprs(size).get((i * 3) % 16);
                String memory = ptr(size) + MEMORY.get(i);
                lines.add("imul " + register + "," + memory);
                lines.add("imul " + register + "," + memory + "," + (i % 2 == 0 ? "0x7f" : "0x1000"));
            }
        }
    }
}
