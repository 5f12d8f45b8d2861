// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.diagnostics.SourceLocation;

/** The order of a versioned copy's body: what moves up, and what each move must not pass. */
class CopySchedulerTest {

    private final IrFunction function = new IrFunction("f", null, 2, Width.I32, 16, false);
    private final Site site = function.newSite(null);
    private final VReg src = register("src");
    private final VReg dst = register("dst");
    private final VReg end = register("end");
    private final Block self = function.newBlock();
    private final Block exit = function.newBlock();

    private VReg register(String name) {
        return function.newRegister(Width.I32, name);
    }

    private static Imm constant(long value) {
        return Imm.of(value, Width.I32);
    }

    private Instr.Load load(VReg into, VReg base, int displacement) {
        return new Instr.Load(into, base, displacement, 1, false, false, site);
    }

    private static Instr.Binary binary(Instr.BinaryOp op, VReg into, Operand left, Operand right) {
        return new Instr.Binary(op, into, left, right);
    }

    private Instr.Branch loopBranch() {
        return new Instr.Branch(Cond.NE, src, end, self, exit);
    }

    /** Schedules {@code body} and returns it, checking that each location moved with its instruction. */
    private static List<Instr> schedule(List<Instr> body, Set<VReg> induction) {
        List<Instr> instructions = new ArrayList<>(body);
        List<SourceLocation> locations = new ArrayList<>();
        SourceFile file = new SourceFile("copy.kpc", "", null);
        for (int i = 0; i < body.size(); i++) {
            locations.add(new SourceLocation(file, i + 1, 1, 0, 0));
        }
        CopyScheduler.schedule(instructions, locations, induction);
        for (int i = 0; i < instructions.size(); i++) {
            assertEquals(body.indexOf(instructions.get(i)) + 1, locations.get(i).line(), "location of " + instructions.get(i));
        }
        return instructions;
    }

    @Test
    void grayscaleLoadsMoveFirst() {
        VReg r = register("r");
        VReg g = register("g");
        VReg b = register("b");
        VReg sum = register("sum");
        VReg gray = register("gray");
        Instr loadR = load(r, src, 0);
        Instr mulR = binary(Instr.BinaryOp.MUL, r, r, constant(77));
        Instr loadG = load(g, src, 1);
        Instr mulG = binary(Instr.BinaryOp.MUL, g, g, constant(150));
        Instr addG = binary(Instr.BinaryOp.ADD, sum, r, g);
        Instr loadB = load(b, src, 2);
        Instr mulB = binary(Instr.BinaryOp.MUL, b, b, constant(29));
        Instr addB = binary(Instr.BinaryOp.ADD, gray, sum, b);
        Instr store0 = new Instr.Store(dst, 0, gray, 1, false, site);
        Instr store1 = new Instr.Store(dst, 1, gray, 1, false, site);
        Instr nextSrc = binary(Instr.BinaryOp.ADD, src, src, constant(3));
        Instr nextDst = binary(Instr.BinaryOp.ADD, dst, dst, constant(3));
        Instr branch = loopBranch();

        List<Instr> scheduled = schedule(List.of(loadR, mulR, loadG, mulG, addG, loadB, mulB, addB, store0, store1,
                        nextSrc, nextDst, branch), Set.of(src, dst));

        assertEquals(List.of(loadR, loadG, loadB, nextSrc, mulR, mulG, addG, mulB, addB, store0, store1, nextDst, branch),
                        scheduled);
    }

    @Test
    void manyLoadsKeepTheirPlaces() {
        List<Instr> body = new ArrayList<>();
        for (int i = 0; i <= CopyScheduler.MAX_MOVED_LOADS; i++) {
            VReg value = register("value" + i);
            body.add(load(value, src, i));
            body.add(binary(Instr.BinaryOp.MUL, value, value, constant(3)));
        }
        body.add(loopBranch());

        assertEquals(body, schedule(body, Set.of()));
    }

    @Test
    void loadStopsAtBarriers() {
        VReg a = register("a");
        VReg x = register("x");
        VReg quotient = register("q");
        List<Instr> barriers = List.of(
                        new Instr.Store(dst, 0, constant(1), 1, false, site),
                        load(a, dst, 0),
                        new Instr.Divide(Instr.DivideOp.SIGNED_QUOTIENT, quotient, x, a, site),
                        new Instr.BudgetStep(site),
                        new Instr.StackCheck(src, 16, site));
        for (Instr barrier : barriers) {
            VReg loaded = register("loaded");
            Instr after = binary(Instr.BinaryOp.ADD, x, x, constant(1));
            Instr loadAfter = load(loaded, src, 0);
            List<Instr> body = List.of(barrier, after, loadAfter, loopBranch());

            assertEquals(List.of(barrier, loadAfter, after, body.getLast()), schedule(body, Set.of()),
                            "a load passes the arithmetic but not " + barrier);
        }
    }

    @Test
    void loadStopsAtItsRegisters() {
        VReg base = register("base");
        VReg value = register("value");
        VReg copy = register("copy");
        Instr computeBase = binary(Instr.BinaryOp.ADD, base, src, constant(4));
        Instr loadFromBase = load(value, base, 0);
        List<Instr> body = List.of(computeBase, loadFromBase, loopBranch());
        assertEquals(body, schedule(body, Set.of()));

        // The move reads the old value, so the load that writes value again stays after it.
        Instr readOld = new Instr.Move(copy, value);
        Instr reload = load(value, src, 0);
        body = List.of(readOld, reload, loopBranch());
        assertEquals(body, schedule(body, Set.of()));

        Instr writeOld = new Instr.Move(value, constant(7));
        body = List.of(writeOld, reload, loopBranch());
        assertEquals(body, schedule(body, Set.of()));
    }

    @Test
    void incrementStopsAtReaders() {
        VReg offset = register("offset");
        Instr store = new Instr.Store(dst, 0, constant(1), 1, false, site);
        Instr readSrc = binary(Instr.BinaryOp.SUB, offset, src, dst);
        Instr other = binary(Instr.BinaryOp.ADD, offset, offset, constant(2));
        Instr nextSrc = binary(Instr.BinaryOp.ADD, src, src, constant(3));
        Instr nextDst = binary(Instr.BinaryOp.ADD, dst, dst, constant(3));
        List<Instr> body = List.of(store, readSrc, other, nextSrc, nextDst, loopBranch());

        List<Instr> scheduled = schedule(body, Set.of(src, dst));

        // Each increment stops below readSrc, which reads both registers. offset is no induction register.
        assertEquals(List.of(store, readSrc, nextDst, nextSrc, other, body.getLast()), scheduled);
    }
}
