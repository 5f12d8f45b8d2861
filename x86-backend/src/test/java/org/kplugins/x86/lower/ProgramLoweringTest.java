// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kplugins.x86.ir.Block;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.IrFunction;
import org.kplugins.x86.ir.IrProgram;
import org.kplugins.x86.testing.TestCompiler;

/** What the lowering makes of particular constructs: which accesses are checked, budget steps, host calls. */
class ProgramLoweringTest {

    private static TestCompiler compiler;

    @BeforeAll
    static void openCompiler() {
        compiler = new TestCompiler();
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    private static IrFunction lower(String source, String function, boolean budget) {
        IrProgram program = compiler.compile("lowering.kpc", source, budget).ir();
        return program.functions().stream().filter(f -> f.name().equals(function)).findFirst().orElseThrow();
    }

    private static List<Instr> instructions(IrFunction function, Predicate<Instr> filter) {
        return function.blocks().stream().flatMap(block -> block.instructions().stream()).filter(filter).toList();
    }

    @Test
    void frameAccessesAtConstantOffsetsAreUnchecked() {
        IrFunction f = lower("int f(int i) { int a[4] = {1, 2, 3, 4}; a[2] = 9; return a[3] + a[i]; }", "f", false);
        List<Instr> stores = instructions(f, i -> i instanceof Instr.Store);
        List<Instr> loads = instructions(f, i -> i instanceof Instr.Load);
        assertTrue(stores.stream().allMatch(s -> !((Instr.Store) s).checked()), f.render());
        assertEquals(1, loads.stream().filter(l -> !((Instr.Load) l).checked()).count(), "a[3]: " + f.render());
        assertEquals(1, loads.stream().filter(l -> ((Instr.Load) l).checked()).count(), "a[i]: " + f.render());
    }

    @Test
    void constDataWriteIsTheOnlyCheck() {
        IrFunction f = lower("""
                        const int limit = 5;
                        int count;
                        int f(void) { count = count + limit; *(int *)&limit = 1; return count; }
                        """, "f", false);
        List<Instr> loads = instructions(f, i -> i instanceof Instr.Load);
        List<Instr> stores = instructions(f, i -> i instanceof Instr.Store);
        assertTrue(loads.stream().noneMatch(l -> ((Instr.Load) l).checked()), f.render());
        assertEquals(List.of(false, true), stores.stream().map(s -> ((Instr.Store) s).checked()).toList(), f.render());
    }

    @Test
    void budgetStepsOnlyWhenEnabled() {
        // g() has a loop, so it is not inlined and f() keeps its call.
        String source = "static int g(int n) { while (n > 9) n--; return n; } int f(int n) { int t = 0; while (n-- > 0) t += g(n); return t; }";
        assertEquals(1, instructions(lower(source, "f", true), i -> i instanceof Instr.BudgetStep).size());
        assertEquals(0, instructions(lower(source, "f", false), i -> i instanceof Instr.BudgetStep).size());
        assertEquals(1, instructions(lower(source, "f", true), i -> i instanceof Instr.Call).size());
    }

    @Test
    void leafCallIsInlinedWithItsBudgetStepAndStackCheck() {
        String source = "static int g(const int *p) { return *p + 1; } int f(int *p) { return g(p) * g(p + 1); }";
        IrFunction f = lower(source, "f", true);
        assertEquals(0, instructions(f, i -> i instanceof Instr.Call).size(), f.render());
        assertEquals(2, instructions(f, i -> i instanceof Instr.BudgetStep).size(), f.render());
        List<Instr> checks = instructions(f, i -> i instanceof Instr.StackCheck);
        assertEquals(2, checks.size(), f.render());
        // The check sits at f()'s call site; the copied load reports in g().
        assertEquals("f", ((Instr.StackCheck) checks.getFirst()).site().function());
        List<Instr> loads = instructions(f, i -> i instanceof Instr.Load);
        assertTrue(loads.stream().allMatch(l -> ((Instr.Load) l).site().function().equals("g")), f.render());
        assertEquals(0, instructions(lower(source, "f", false), i -> i instanceof Instr.BudgetStep).size());
    }

    @Test
    void callsOfNonLeavesAreNotInlined() {
        String source = "static int h(int n) { return n; } static int g(int n) { return h(n) + 1; }"
                        + " static int v(int n, ...) { return n; } int f(int n) { return g(n) + v(n, 1); }";
        IrFunction f = lower(source, "f", true);
        List<Instr> calls = instructions(f, i -> i instanceof Instr.Call);
        assertEquals(List.of("g", "v"), calls.stream().map(c -> ((Instr.Call) c).callee()).toList(), f.render());
    }

    @Test
    void hostCallsAreNumberedAcrossTheProgram() {
        IrProgram program = compiler.compile("calls.kpc", """
                        #include <kernel.h>
                        static void a(void) { printk("a\\n"); }
                        int main(void) { void *p = kp_alloc(8); kp_free(p); a(); return printk("%d\\n", 1); }
                        """, false).ir();
        List<Integer> indexes = program.hostCalls().stream().map(site -> site.call().index()).toList();
        assertEquals(List.of(0, 1, 2, 3), indexes);
        assertEquals(List.of("a", "main", "main", "main"), program.hostCalls().stream().map(site -> site.function()).toList());
    }

    @Test
    void readOfLocalBeforeItsAssignmentSeesOldValue() {
        IrFunction f = lower("int f(int x) { return x + (x = 5); }", "f", false);
        List<Instr> entry = f.blocks().getFirst().instructions();
        org.kplugins.x86.ir.VReg parameter = ((Instr.Param) instructions(f, i -> i instanceof Instr.Param p && p.index() == 1)
                        .get(0)).dst();
        int addIndex = entry.indexOf(instructions(f, i -> i instanceof Instr.Binary b && b.op() == Instr.BinaryOp.ADD).get(0));
        Instr.Binary add = (Instr.Binary) entry.get(addIndex);
        assertEquals(parameter, add.left(), "the left operand must be x as passed: " + f.render());
        assertEquals(new org.kplugins.x86.ir.Imm(5, org.kplugins.x86.ir.Width.I32), add.right(), f.render());
        assertTrue(entry.subList(0, addIndex).stream().noneMatch(i -> parameter.equals(i.def()) && !(i instanceof Instr.Param)),
                        "nothing may write x before the add reads it: " + f.render());
    }

    @Test
    void everyBlockEndsInATerminator() {
        IrFunction f = lower("""
                        int f(int n) {
                            switch (n) { case 1: return 1; case 2: break; default: n++; }
                            do { if (n > 10) break; n += 3; continue; } while (n < 20);
                            return n ? n : -1;
                        }
                        """, "f", false);
        for (Block block : f.blocks()) {
            assertTrue(block.isTerminated(), "b" + block.id() + " of\n" + f.render());
        }
    }
}
