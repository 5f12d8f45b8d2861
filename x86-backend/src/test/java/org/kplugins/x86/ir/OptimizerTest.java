// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IR optimizations on hand-built functions: what each pass changes and what it must leave alone. */
class OptimizerTest {

    private final IrFunction function = new IrFunction("f", null, 2, Width.I32, 16, false);
    private final Site site = function.newSite(null);

    private VReg register(String name) {
        return function.newRegister(Width.I32, name);
    }

    private static Imm constant(long value) {
        return Imm.of(value, Width.I32);
    }

    private static Instr.Binary binary(Instr.BinaryOp op, VReg dst, Operand left, Operand right) {
        return new Instr.Binary(op, dst, left, right);
    }

    private static List<Instr> all(IrFunction function) {
        return function.blocks().stream().flatMap(block -> block.instructions().stream()).toList();
    }

    @Test
    void valueNumberingReusesRepeatedProduct() {
        Block entry = function.newBlock();
        VReg x = register("x");
        VReg first = register("");
        VReg second = register("");
        entry.add(new Instr.Param(x, 1), null);
        entry.add(binary(Instr.BinaryOp.MUL, first, x, constant(3)), null);
        entry.add(binary(Instr.BinaryOp.MUL, second, x, constant(3)), null);
        entry.add(new Instr.Store(first, 0, constant(1), 1, true, site), null);
        entry.add(new Instr.Store(second, 1, constant(2), 1, true, site), null);
        entry.add(new Instr.Return(null), null);

        Optimizer.optimize(function);

        assertEquals(1, all(function).stream().filter(i -> i instanceof Instr.Binary).count(), function.render());
        List<Instr.Store> stores = all(function).stream().filter(i -> i instanceof Instr.Store)
                        .map(i -> (Instr.Store) i).toList();
        assertEquals(first, stores.get(0).base(), function.render());
        assertEquals(first, stores.get(1).base(), function.render());
    }

    @Test
    void valueNumberingKeepsLoadAfterStore() {
        Block entry = function.newBlock();
        VReg p = register("p");
        VReg before = register("");
        VReg after = register("");
        VReg sum = register("");
        entry.add(new Instr.Param(p, 1), null);
        entry.add(new Instr.Load(before, p, 0, 4, true, true, site), null);
        entry.add(new Instr.Store(p, 0, constant(7), 4, true, site), null);
        entry.add(new Instr.Load(after, p, 0, 4, true, true, site), null);
        entry.add(binary(Instr.BinaryOp.ADD, sum, before, after), null);
        entry.add(new Instr.Return(sum), null);

        Optimizer.optimize(function);

        assertEquals(2, all(function).stream().filter(i -> i instanceof Instr.Load).count(), function.render());
        Instr.Binary add = (Instr.Binary) all(function).stream().filter(i -> i instanceof Instr.Binary).findFirst()
                        .orElseThrow();
        assertEquals(List.of(before, after), List.of(add.left(), add.right()), function.render());
    }

    @Test
    void valueNumberingSeesOperandWrittenBetween() {
        Block entry = function.newBlock();
        VReg a = register("a");
        VReg first = register("");
        VReg second = register("");
        VReg result = register("");
        entry.add(new Instr.Param(a, 1), null);
        entry.add(binary(Instr.BinaryOp.ADD, first, a, constant(2)), null);
        entry.add(binary(Instr.BinaryOp.ADD, a, a, constant(1)), null);
        entry.add(binary(Instr.BinaryOp.ADD, second, a, constant(2)), null);
        entry.add(binary(Instr.BinaryOp.MUL, result, first, second), null);
        entry.add(new Instr.Return(result), null);

        Optimizer.optimize(function);

        assertEquals(4, all(function).stream().filter(i -> i instanceof Instr.Binary).count(), function.render());
    }

    @Test
    void valueNumberingOrdersOnlyCommutativeOperands() {
        Block entry = function.newBlock();
        VReg a = register("a");
        VReg b = register("b");
        VReg sum = register("");
        VReg swappedSum = register("");
        VReg difference = register("");
        VReg swappedDifference = register("");
        entry.add(new Instr.Param(a, 1), null);
        entry.add(new Instr.Param(b, 2), null);
        entry.add(binary(Instr.BinaryOp.ADD, sum, a, b), null);
        entry.add(binary(Instr.BinaryOp.ADD, swappedSum, b, a), null);
        entry.add(binary(Instr.BinaryOp.SUB, difference, a, b), null);
        entry.add(binary(Instr.BinaryOp.SUB, swappedDifference, b, a), null);
        entry.add(new Instr.Store(a, 0, sum, 4, true, site), null);
        entry.add(new Instr.Store(a, 4, swappedSum, 4, true, site), null);
        entry.add(new Instr.Store(a, 8, difference, 4, true, site), null);
        entry.add(new Instr.Store(a, 12, swappedDifference, 4, true, site), null);
        entry.add(new Instr.Return(null), null);

        Optimizer.optimize(function);

        List<Instr.Binary> operations = all(function).stream().filter(i -> i instanceof Instr.Binary)
                        .map(i -> (Instr.Binary) i).toList();
        assertEquals(1, operations.stream().filter(o -> o.op() == Instr.BinaryOp.ADD).count(), function.render());
        assertEquals(2, operations.stream().filter(o -> o.op() == Instr.BinaryOp.SUB).count(), function.render());
    }

    @Test
    void valueNumberingPropagatesCopies() {
        Block entry = function.newBlock();
        VReg p = register("p");
        VReg copy = register("q");
        entry.add(new Instr.Param(p, 1), null);
        entry.add(new Instr.Move(copy, p), null);
        entry.add(new Instr.Store(copy, 0, constant(1), 1, true, site), null);
        entry.add(new Instr.Return(null), null);

        Optimizer.optimize(function);

        assertEquals(List.of(new Instr.Param(p, 1), new Instr.Store(p, 0, constant(1), 1, true, site),
                        new Instr.Return(null)), all(function), function.render());
    }

    /** Builds {@code for (i = 0; i < n; i++) body}, with {@code body} filled by the caller, and returns the blocks. */
    private record CountedLoop(Block entry, Block header, Block body, Block exit, VReg i, VReg n) {
    }

    private CountedLoop countedLoop() {
        Block entry = function.newBlock();
        Block header = function.newBlock();
        Block body = function.newBlock();
        Block exit = function.newBlock();
        VReg n = register("n");
        VReg i = register("i");
        entry.add(new Instr.Param(n, 1), null);
        entry.add(new Instr.Move(i, constant(0)), null);
        entry.add(new Instr.Jump(header), null);
        header.add(new Instr.Branch(Cond.LT, i, n, body, exit), null);
        return new CountedLoop(entry, header, body, exit, i, n);
    }

    private void closeLoop(CountedLoop loop) {
        VReg next = register("");
        loop.body().add(binary(Instr.BinaryOp.ADD, next, loop.i(), constant(1)), null);
        loop.body().add(new Instr.Move(loop.i(), next), null);
        loop.body().add(new Instr.Jump(loop.header()), null);
    }

    @Test
    void invariantProductMovesBeforeLoop() {
        CountedLoop loop = countedLoop();
        VReg product = register("");
        VReg address = register("");
        loop.body().add(binary(Instr.BinaryOp.MUL, product, loop.n(), constant(12)), null);
        loop.body().add(binary(Instr.BinaryOp.ADD, address, product, loop.i()), null);
        loop.body().add(new Instr.Store(address, 0, constant(0), 1, true, site), null);
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        assertTrue(loop.entry().instructions().stream().anyMatch(i -> i instanceof Instr.Binary b
                        && b.op() == Instr.BinaryOp.MUL), function.render());
        assertFalse(loop.header().instructions().stream().anyMatch(i -> i instanceof Instr.Binary b
                        && b.op() == Instr.BinaryOp.MUL), function.render());
        assertTrue(function.blocks().stream().filter(b -> b != loop.entry()).flatMap(b -> b.instructions().stream())
                        .noneMatch(i -> i instanceof Instr.Binary b && b.op() == Instr.BinaryOp.MUL), function.render());
    }

    @Test
    void resultLiveAfterLoopStays() {
        CountedLoop loop = countedLoop();
        VReg t = register("t");
        loop.entry().instructions().addFirst(new Instr.Move(t, constant(5)));
        loop.body().add(binary(Instr.BinaryOp.MUL, t, loop.n(), constant(7)), null);
        closeLoop(loop);
        loop.exit().add(new Instr.Return(t), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        assertTrue(loop.entry().instructions().stream().noneMatch(i -> i instanceof Instr.Binary), function.render());
    }

    @Test
    void divisionStaysInLoop() {
        CountedLoop loop = countedLoop();
        VReg quotient = register("");
        loop.body().add(new Instr.Divide(Instr.DivideOp.SIGNED_QUOTIENT, quotient, constant(9), loop.n(), site), null);
        loop.body().add(new Instr.Store(loop.n(), 0, quotient, 4, true, site), null);
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        Block body = function.blocks().stream().filter(b -> b.instructions().stream()
                        .anyMatch(i -> i instanceof Instr.Store)).findFirst().orElseThrow();
        assertInstanceOf(Instr.Divide.class, body.instructions().getFirst(), function.render());
    }

    @Test
    void loopWithTwoEntriesGetsPreheader() {
        Block entry = function.newBlock();
        Block late = function.newBlock();
        Block header = function.newBlock();
        Block body = function.newBlock();
        Block exit = function.newBlock();
        VReg n = register("n");
        VReg i = register("i");
        VReg product = register("");
        VReg next = register("");
        entry.add(new Instr.Param(n, 1), null);
        entry.add(new Instr.Move(i, constant(0)), null);
        entry.add(new Instr.Branch(Cond.EQ, n, constant(3), late, header), null);
        late.add(new Instr.Move(i, constant(2)), null);
        late.add(new Instr.Jump(header), null);
        header.add(new Instr.Branch(Cond.LT, i, n, body, exit), null);
        body.add(binary(Instr.BinaryOp.MUL, product, n, n), null);
        // Unchecked, so that loop versioning leaves this loop alone.
        body.add(new Instr.Store(i, 0, product, 4, false, site), null);
        body.add(binary(Instr.BinaryOp.ADD, next, i, constant(1)), null);
        body.add(new Instr.Move(i, next), null);
        body.add(new Instr.Jump(header), null);
        exit.add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        int headerIndex = function.blocks().indexOf(header);
        Block preheader = function.blocks().get(headerIndex - 1);
        assertEquals(List.of(header), preheader.successors(), function.render());
        assertInstanceOf(Instr.Binary.class, preheader.instructions().getFirst(), function.render());
        assertTrue(entry.successors().contains(preheader), function.render());
        assertEquals(List.of(preheader), late.successors(), function.render());
    }

    @Test
    void straightLineBlocksMerge() {
        Block entry = function.newBlock();
        Block middle = function.newBlock();
        Block last = function.newBlock();
        VReg p = register("p");
        entry.add(new Instr.Param(p, 1), null);
        entry.add(new Instr.Jump(middle), null);
        middle.add(new Instr.Store(p, 0, constant(1), 1, true, site), null);
        middle.add(new Instr.Jump(last), null);
        last.add(new Instr.Return(null), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        assertEquals(List.of(entry), function.blocks(), function.render());
        assertEquals(3, entry.instructions().size(), function.render());
    }

    @Test
    void zeroingBeforeAssignmentIsRemoved() {
        Block entry = function.newBlock();
        VReg p = register("p");
        VReg local = register("local");
        entry.add(new Instr.Param(p, 1), null);
        entry.add(new Instr.Move(local, constant(0)), null);
        entry.add(new Instr.Load(local, p, 0, 4, true, true, site), null);
        entry.add(new Instr.Return(local), null);

        Optimizer.optimize(function);

        assertEquals(3, entry.instructions().size(), function.render());
        assertInstanceOf(Instr.Load.class, entry.instructions().get(1), function.render());
    }

    /** Builds a loop over {@code p[3 * i + displacement]}, an access that {@code access} makes from the address register. */
    private CountedLoop pixelLoop(java.util.function.Function<VReg, Instr> access) {
        CountedLoop loop = countedLoop();
        VReg p = register("p");
        loop.entry().instructions().addFirst(new Instr.Param(p, 2));
        VReg offset = register("");
        VReg address = register("");
        loop.body().add(binary(Instr.BinaryOp.MUL, offset, loop.i(), constant(3)), null);
        loop.body().add(binary(Instr.BinaryOp.ADD, address, p, offset), null);
        loop.body().add(access.apply(address), null);
        return loop;
    }

    private static long count(IrFunction function, java.util.function.Predicate<Instr> filter) {
        return all(function).stream().filter(filter).count();
    }

    @Test
    void versioningChecksRangeBeforeLoop() {
        CountedLoop loop = pixelLoop(address -> new Instr.Store(address, 2, constant(9), 1, true, site));
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        List<Instr> entry = loop.entry().instructions();
        assertEquals(1, count(function, i -> i instanceof Instr.PagesAllowed a && a.write()), function.render());
        assertTrue(entry.stream().anyMatch(i -> i instanceof Instr.PagesAllowed), function.render());
        Instr.Branch choice = assertInstanceOf(Instr.Branch.class, entry.getLast(), function.render());
        assertEquals(loop.header(), choice.ifFalse(), function.render());
        assertEquals(1, count(function, i -> i instanceof Instr.Store st && st.checked()), function.render());
        assertEquals(1, count(function, i -> i instanceof Instr.Store st && !st.checked()), function.render());
        assertTrue(loop.body().instructions().stream().anyMatch(i -> i instanceof Instr.Store st && st.checked()),
                        "the original loop keeps its check: " + function.render());
    }

    @Test
    void hardwareModeKeepsEveryCheckAndStepsBase() {
        CountedLoop loop = pixelLoop(address -> new Instr.Store(address, 2, constant(9), 1, true, site));
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function, false);

        assertEquals(0, count(function, i -> i instanceof Instr.PagesAllowed), function.render());
        assertEquals(1, count(function, i -> i instanceof Instr.Store st && st.checked()), function.render());
        assertEquals(0, count(function, i -> i instanceof Instr.Store st && !st.checked()), function.render());
        // Nothing is left to check before the loop, so the copy replaces it: one loop, no product.
        assertFalse(function.blocks().contains(loop.header()), function.render());
        assertFalse(function.blocks().contains(loop.body()), function.render());
        Instr.Store store = (Instr.Store) all(function).stream().filter(i -> i instanceof Instr.Store).findFirst()
                        .orElseThrow();
        assertTrue(loop.entry().instructions().stream().anyMatch(i -> store.base().equals(i.def())),
                        "the first address is computed before the loop: " + function.render());
        assertTrue(all(function).contains(new Instr.Binary(Instr.BinaryOp.ADD, store.base(), store.base(), constant(3))),
                        "the base grows by 3 per iteration: " + function.render());
        assertInstanceOf(Instr.Jump.class, loop.entry().instructions().getLast(), function.render());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void versioningTakesBudgetStepsBeforeLoop(boolean pageTable) {
        CountedLoop loop = pixelLoop(address -> new Instr.Store(address, 0, constant(9), 1, true, site));
        loop.body().add(new Instr.BudgetStep(site), null);
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function, pageTable);

        String ir = function.render();
        assertEquals(1, count(function, i -> i instanceof Instr.BudgetStep), ir);
        assertTrue(loop.body().instructions().stream().anyMatch(i -> i instanceof Instr.BudgetStep),
                        "the original loop counts its steps: " + ir);
        List<Instr> entry = loop.entry().instructions();
        Instr.BudgetReserve reserve = (Instr.BudgetReserve) entry.stream().filter(i -> i instanceof Instr.BudgetReserve)
                        .findFirst().orElseThrow(() -> new AssertionError(ir));
        // The reservation decides last: the copy runs only when it took the steps.
        Instr.Branch choice = assertInstanceOf(Instr.Branch.class, entry.getLast(), ir);
        assertEquals(reserve.dst(), choice.left(), ir);
        assertEquals(loop.header(), choice.ifFalse(), ir);
        assertEquals(pageTable, reserve.allowed() instanceof VReg, "only the page walk comes before: " + ir);
        Instr.Binary steps = (Instr.Binary) entry.stream().filter(i -> reserve.steps().equals(i.def())).findFirst()
                        .orElseThrow(() -> new AssertionError(ir));
        assertEquals(Instr.BinaryOp.MUL, steps.op(), ir);
        assertEquals(Imm.of(1, Width.I64), steps.right(), "one step per iteration: " + ir);
        assertTrue(reserve.maxSteps() >= 16384, "a row of a 16384-pixel image fits: " + ir);
    }

    @Test
    void costlyBodyReservesFewSteps() {
        CountedLoop loop = pixelLoop(address -> new Instr.Store(address, 0, constant(9), 1, true, site));
        VReg sum = register("sum");
        loop.entry().insert(0, new Instr.Move(sum, constant(1)), null);
        for (int i = 0; i < 64; i++) {
            loop.body().add(new Instr.Divide(Instr.DivideOp.SIGNED_QUOTIENT, sum, sum, loop.n(), site), null);
        }
        loop.body().add(new Instr.BudgetStep(site), null);
        closeLoop(loop);
        loop.exit().add(new Instr.Return(sum), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        Instr.BudgetReserve reserve = (Instr.BudgetReserve) all(function).stream()
                        .filter(i -> i instanceof Instr.BudgetReserve).findFirst().orElseThrow();
        // 64 divisions make an iteration cost over 2,048 units, so the loop may take at most 512.
        assertTrue(reserve.maxSteps() <= LoopVersioning.MAX_RESERVED_WORK / 2048, function.render());
        assertTrue(reserve.maxSteps() > 0, function.render());
    }

    @Test
    void hardwareModeLeavesLoopWithoutAddressesAlone() {
        CountedLoop loop = countedLoop();
        VReg p = register("p");
        loop.entry().instructions().addFirst(new Instr.Param(p, 2));
        loop.body().add(new Instr.Store(p, 0, loop.i(), 4, true, site), null);
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();
        int blocks = function.blocks().size();

        Optimizer.optimize(function, false);

        assertTrue(function.blocks().contains(loop.header()), function.render());
        assertEquals(blocks, function.blocks().size(), function.render());
    }

    @Test
    void versionedCopyHasOwnTemporaries() {
        CountedLoop loop = pixelLoop(address -> new Instr.Load(register("pixel"), address, 0, 1, false, true, site));
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        Instr.Load checked = (Instr.Load) all(function).stream().filter(i -> i instanceof Instr.Load l && l.checked())
                        .findFirst().orElseThrow();
        Instr.Load unchecked = (Instr.Load) all(function).stream().filter(i -> i instanceof Instr.Load l && !l.checked())
                        .findFirst().orElseThrow();
        assertFalse(checked.base().equals(unchecked.base()), function.render());
    }

    @Test
    void loopWithCallIsNotVersioned() {
        CountedLoop loop = pixelLoop(address -> new Instr.Load(register("pixel"), address, 0, 1, false, true, site));
        loop.body().add(new Instr.Call(null, "g", loop.n(), List.of(), 0, site), null);
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        assertEquals(0, count(function, i -> i instanceof Instr.PagesAllowed), function.render());
        assertEquals(0, count(function, i -> i instanceof Instr.Load l && !l.checked()), function.render());
    }

    @Test
    void downwardStrideStaysChecked() {
        CountedLoop loop = countedLoop();
        VReg p = register("p");
        VReg address = register("");
        loop.entry().instructions().addFirst(new Instr.Param(p, 2));
        loop.body().add(binary(Instr.BinaryOp.SUB, address, p, loop.i()), null);
        loop.body().add(new Instr.Load(register("byte"), address, 0, 1, false, true, site), null);
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        assertEquals(0, count(function, i -> i instanceof Instr.PagesAllowed), function.render());
    }

    @Test
    void accessAfterIncrementStaysChecked() {
        CountedLoop loop = countedLoop();
        VReg p = register("p");
        VReg next = register("");
        VReg address = register("");
        loop.entry().instructions().addFirst(new Instr.Param(p, 2));
        loop.body().add(binary(Instr.BinaryOp.ADD, next, loop.i(), constant(1)), null);
        loop.body().add(new Instr.Move(loop.i(), next), null);
        loop.body().add(binary(Instr.BinaryOp.ADD, address, p, loop.i()), null);
        loop.body().add(new Instr.Store(address, 0, constant(1), 1, true, site), null);
        loop.body().add(new Instr.Jump(loop.header()), null);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        assertEquals(0, count(function, i -> i instanceof Instr.PagesAllowed), function.render());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void versioningMakesStackCheckOnce(boolean pageTable) {
        CountedLoop loop = countedLoop();
        VReg stackPointer = register("stack pointer");
        loop.entry().instructions().addFirst(new Instr.Param(stackPointer, 0));
        loop.body().add(new Instr.StackCheck(stackPointer, 48, site), null);
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function, pageTable);

        assertEquals(1, count(function, i -> i instanceof Instr.StackCheck), function.render());
        assertTrue(loop.body().instructions().stream().anyMatch(i -> i instanceof Instr.StackCheck),
                        "the original loop keeps the stack check: " + function.render());
        assertTrue(loop.entry().instructions().stream().anyMatch(i -> i instanceof Instr.Compare c
                        && c.cond() == Cond.GE), function.render());
        Instr.Branch choice = assertInstanceOf(Instr.Branch.class, loop.entry().instructions().getLast(), function.render());
        assertEquals(loop.header(), choice.ifFalse(), function.render());
    }

    @Test
    void versionedCopyStepsBaseByStride() {
        CountedLoop loop = pixelLoop(address -> new Instr.Store(address, 0, constant(9), 1, true, site));
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        Block fastBody = function.blocks().stream().filter(b -> b.instructions().stream()
                        .anyMatch(i -> i instanceof Instr.Store st && !st.checked())).findFirst().orElseThrow();
        Instr.Store store = (Instr.Store) fastBody.instructions().stream().filter(i -> i instanceof Instr.Store)
                        .findFirst().orElseThrow();
        assertTrue(fastBody.instructions().stream().noneMatch(i -> i instanceof Instr.Binary b
                        && b.op() == Instr.BinaryOp.MUL), "the copy computes no product: " + function.render());
        assertTrue(fastBody.instructions().contains(new Instr.Binary(Instr.BinaryOp.ADD, store.base(), store.base(),
                        constant(3))), "the base grows by 3 per iteration: " + function.render());
        assertTrue(loop.entry().instructions().stream().anyMatch(i -> store.base().equals(i.def())),
                        "the base starts in the preheader: " + function.render());
    }

    /** Returns the block of the versioned copy: the one with the store that {@code unchecked} selects. */
    private Block copyBody(boolean unchecked) {
        return function.blocks().stream().filter(b -> b.instructions().stream()
                        .anyMatch(i -> i instanceof Instr.Store st && st.checked() != unchecked)).findFirst().orElseThrow();
    }

    @Test
    void versionedCopyTestsBaseAgainstItsEnd() {
        CountedLoop loop = pixelLoop(address -> new Instr.Store(address, 0, constant(9), 1, true, site));
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        Block fastBody = copyBody(true);
        Instr.Store store = (Instr.Store) fastBody.instructions().getFirst();
        Instr.Branch test = assertInstanceOf(Instr.Branch.class, fastBody.instructions().getLast(), function.render());
        assertEquals(Cond.NE, test.cond(), function.render());
        assertEquals(store.base(), test.left(), function.render());
        assertTrue(fastBody.instructions().stream().noneMatch(i -> loop.i().equals(i.def())),
                        "the copy no longer counts: " + function.render());
        assertEquals(List.of(store, new Instr.Binary(Instr.BinaryOp.ADD, store.base(), store.base(), constant(3)), test),
                        fastBody.instructions(), function.render());
        // The original loop still counts and tests the counter.
        Instr.Branch original = (Instr.Branch) loop.header().instructions().getFirst();
        assertEquals(Cond.LT, original.cond(), function.render());
    }

    @Test
    void counterReadAfterLoopKeepsItsTest() {
        CountedLoop loop = pixelLoop(address -> new Instr.Store(address, 0, constant(9), 1, true, site));
        closeLoop(loop);
        loop.exit().add(new Instr.Return(loop.i()), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        Instr.Branch test = (Instr.Branch) copyBody(true).instructions().getLast();
        assertEquals(Cond.LT, test.cond(), function.render());
        assertEquals(loop.i(), test.left(), function.render());
    }

    @Test
    void evenStrideKeepsCounterTest() {
        CountedLoop loop = countedLoop();
        VReg p = register("p");
        loop.entry().instructions().addFirst(new Instr.Param(p, 2));
        VReg offset = register("");
        VReg address = register("");
        loop.body().add(binary(Instr.BinaryOp.MUL, offset, loop.i(), constant(4)), null);
        loop.body().add(binary(Instr.BinaryOp.ADD, address, p, offset), null);
        loop.body().add(new Instr.Store(address, 0, constant(9), 4, true, site), null);
        closeLoop(loop);
        loop.exit().add(new Instr.Return(constant(0)), null);
        function.orderBlocks();

        Optimizer.optimize(function);

        // A stride of 4 can come back to the end value before the last iteration once it wraps.
        Instr.Branch test = (Instr.Branch) copyBody(true).instructions().getLast();
        assertEquals(Cond.LT, test.cond(), function.render());
    }
}
