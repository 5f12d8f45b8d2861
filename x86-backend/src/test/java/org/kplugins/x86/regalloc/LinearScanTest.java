// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.kplugins.x86.asm.Register;
import org.kplugins.x86.ir.IrFunction;
import org.kplugins.x86.ir.IrProgram;
import org.kplugins.x86.select.InstructionSelector;
import org.kplugins.x86.select.MachineFunction;
import org.kplugins.x86.select.RuntimeAbi;
import org.kplugins.x86.testing.Corpus;
import org.kplugins.x86.testing.TestCompiler;

/** Liveness and linear scan on the machine functions of real plugins. */
class LinearScanTest {

    private static TestCompiler compiler;

    @BeforeAll
    static void openCompiler() {
        compiler = new TestCompiler();
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    /**
     * For every function of the corpus, with six registers and with two: every live register gets
     * a register or a slot but not both, and two intervals that overlap never share a register.
     */
    @TestFactory
    Stream<DynamicTest> overlappingIntervalsNeverShareRegister() throws IOException {
        return Corpus.compilingPlugins().stream().map(plugin -> DynamicTest.dynamicTest(Corpus.testName(plugin),
                        () -> checkPlugin(plugin)));
    }

    private static void checkPlugin(Path plugin) throws IOException {
        IrProgram program = compiler.compile(plugin).ir();
        for (IrFunction function : program.functions()) {
            MachineFunction machine = InstructionSelector.select(program, function);
            List<LiveInterval> intervals = Liveness.intervals(machine);
            for (List<Register> registers : List.of(RuntimeAbi.ALLOCATABLE, RuntimeAbi.ALLOCATABLE.subList(0, 2))) {
                checkAllocation(function.name(), intervals, LinearScan.allocate(machine, registers));
            }
        }
    }

    private static void checkAllocation(String function, List<LiveInterval> intervals, Allocation allocation) {
        for (LiveInterval interval : intervals) {
            boolean inRegister = allocation.registerOf(interval.register()) != null;
            boolean inSlot = allocation.slotOf(interval.register()) >= 0;
            assertTrue(inRegister != inSlot, function + ": " + interval + " needs a register or a slot, not both");
        }
        for (int i = 0; i < intervals.size(); i++) {
            LiveInterval a = intervals.get(i);
            Register register = allocation.registerOf(a.register());
            if (register == null) {
                continue;
            }
            for (int j = i + 1; j < intervals.size(); j++) {
                LiveInterval b = intervals.get(j);
                boolean overlap = a.start() <= b.end() && b.start() <= a.end();
                if (overlap) {
                    assertNotEquals(register, allocation.registerOf(b.register()), function + ": " + a + " and " + b);
                }
            }
        }
    }

    @Test
    void valueUsedAfterLoopIsLiveThroughIt() {
        IrProgram program = compiler.compile("loop.kpc", """
                        int f(int n) {
                            int kept = n * 3;
                            int total = 0;
                            for (int i = 0; i < n; i++) {
                                total += i;
                            }
                            return total + kept;
                        }
                        """, false).ir();
        MachineFunction machine = InstructionSelector.select(program, program.functions().get(0));
        LiveInterval kept = Liveness.intervals(machine).stream().filter(i -> i.register().name().equals("kept"))
                        .findFirst().orElseThrow();
        LiveInterval counter = Liveness.intervals(machine).stream().filter(i -> i.register().name().equals("i"))
                        .findFirst().orElseThrow();
        assertTrue(kept.start() < counter.start(), kept + " must start before the loop's " + counter);
        assertTrue(kept.end() > counter.end(), kept + " must end after the loop's " + counter);
    }

    @Test
    void oneRegisterSpillsAllButOneOverlappingValue() {
        IrProgram program = compiler.compile("pressure.kpc", """
                        int f(int a, int b, int c) {
                            return (a + b) * (b + c) * (c + a);
                        }
                        """, false).ir();
        MachineFunction machine = InstructionSelector.select(program, program.functions().get(0));
        Allocation allocation = LinearScan.allocate(machine, List.of(Register.RBX));
        assertTrue(allocation.slotCount() >= 3, "slots: " + allocation.slotCount());
        assertEquals(List.of(Register.RBX), allocation.usedRegisters());
    }

    @Test
    void noRegistersIsRejected() {
        IrProgram program = compiler.compile("empty.kpc", "void f(void) { }", false).ir();
        MachineFunction machine = InstructionSelector.select(program, program.functions().get(0));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> LinearScan.allocate(machine, List.of()));
        assertEquals("no allocatable registers: give the allocator at least one register", error.getMessage());
    }
}
