// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kplugins.x86.ir.IrProgram;
import org.kplugins.x86.testing.TestCompiler;

/** The selection of {@code a + b + constant} as one lea, and the sums it must leave as they are. */
class LeaSumSelectionTest {

    private static TestCompiler compiler;

    @BeforeAll
    static void openCompiler() {
        compiler = new TestCompiler();
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    private static long count(String source, Opcode opcode) {
        IrProgram program = compiler.compile("sum.kpc", source, false).ir();
        MachineFunction machine = InstructionSelector.select(program, program.functions().get(0));
        return machine.blocks().stream().flatMap(block -> block.instructions().stream())
                        .filter(instruction -> instruction.opcode() == opcode).count();
    }

    @Test
    void sumAndConstantBecomeOneLea() {
        String source = "int f(int a, int b) { return a + b + 128; }";
        assertEquals(1, count(source, Opcode.LEA_SUM));
        assertEquals(0, count(source, Opcode.ADD));
    }

    @Test
    void subtractedConstantIsNegativeDisplacement() {
        String source = "long long f(long long a, long long b) { return a + b - 7; }";
        assertEquals(1, count(source, Opcode.LEA_SUM));
        assertEquals(0, count(source, Opcode.SUB));
    }

    @Test
    void sumReadTwiceStaysAnAdd() {
        String source = "int f(int a, int b) { int t = a + b; return (t + 128) * t; }";
        assertEquals(0, count(source, Opcode.LEA_SUM));
        assertEquals(1, count(source, Opcode.ADD));
    }
}
