// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.runtime.PluginLayout;

/**
 * Checks the page table once before a counted loop instead of at each access in it.
 *
 * <p>The loops it takes are the simplest counted ones: a header that only branches on
 * {@code counter < bound} (signed or unsigned, 32 bits) into a single body block that jumps back,
 * where the body adds 1 to the counter once, makes no call, and leaves the bound alone. In the
 * body before that increment, an access whose base is an affine function of the counter,
 * {@code base = base0 + stride * k} on iteration k with a constant stride from 0 to
 * {@link #MAX_STRIDE}, touches a range of addresses that the preheader can compute in 64 bits.
 *
 * <p>The preheader computes, for each base and kind of access, the base before the first
 * iteration, the last base, and the range from the lowest first byte to the highest last byte.
 * Then {@link Instr.PagesAllowed} walks the page table over that range. A stack check of a plugin
 * stack pointer that the loop leaves alone, such as the one of an inlined call, passes on every
 * iteration or fails on the first, so the preheader makes it once too. When every range lies in
 * the 32-bit space, no base wraps at 2^32, every page lets the plugin access it and every stack
 * check passes, the loop runs as a copy without those checks. In the copy, each base that the
 * body computed on every iteration starts at its first value and grows by its stride instead.
 * When nothing else reads the counter, the copy stops counting and ends when a base with an odd
 * stride reaches its final value.
 * Otherwise the loop runs as it was, with every check, so the first check that fails does so as
 * before, with the same report. Both copies keep every other instruction.
 *
 * <p>The budget steps of the body go the same way: when the budget has the steps of every
 * iteration left, the preheader takes them all at once ({@link Instr.BudgetReserve}) and the copy
 * counts none. The loop then cannot run out of budget, so no budget fault moves. A call timeout
 * stops native code through the budget counter, which the copy no longer reads, so the preheader
 * takes the steps only when the loop's estimated work, its iterations times the cost of its body,
 * is at most {@link #MAX_RESERVED_WORK}: the timeout then waits at most about that long. The choice of the copy is made last, once
 * every other check has passed, because the original loop counts its steps itself.
 *
 * <p>Code for hardware isolation has no page-table checks to drop: the emulated segment limit and
 * page table check each access anyway. There the pass makes no page walk and keeps every access
 * as it is, and only the strength reduction, the single stack check and the budget steps taken
 * at once remain. A loop with no stack check to make and no budget steps then needs no choice,
 * and the copy replaces it.
 *
 * <p>The page table changes only through calls, which the body does not make, so the result of
 * the walk holds for the whole loop. NOTE: this assumes that no other thread maps or unmaps pages
 * of the instance while the loop runs. The range covers every iteration up to the bound. When
 * another fault ends the loop early, fewer iterations run, and the check was only stricter than
 * needed.
 */
final class LoopVersioning {

    /** The largest stride, in bytes per iteration, of a base that the versioned loop leaves unchecked. */
    static final long MAX_STRIDE = 1 << 20;

    /**
     * The maximum work, in the units of {@link #cost}, that a loop may do with its budget steps taken
     * before it. Each unit is roughly one simple instruction, so 2^20 of them take on the order of
     * a millisecond, the longest that a call timeout then waits for the loop (an estimate: a
     * cache miss costs more than its unit).
     */
    static final long MAX_RESERVED_WORK = 1 << 20;

    /** The units of {@link #cost} of a division, which takes tens of cycles. */
    private static final int DIVISION_COST = 32;

    private static final long MASK_32 = 0xFFFF_FFFFL;

    private LoopVersioning() {
    }

    /** The accesses of one base and kind: the bytes {@code [base + start, base + end)} on each iteration. */
    private record Range(VReg base, boolean write, long stride, long start, long end) {
    }

    /**
     * Versions the counted loops of {@code function}.
     *
     * @param pageTable whether the code checks the page table itself, so that a walk before the
     *                  loop can drop the checks of its accesses. Hardware isolation passes false.
     */
    static void run(IrFunction function, boolean pageTable) {
        // The loops found before any copy is made: a copy is never versioned again.
        List<LoopInvariantCodeMotion.Loop> loops = LoopInvariantCodeMotion.loops(function);
        for (LoopInvariantCodeMotion.Loop loop : loops.subList(0, Math.min(loops.size(), Optimizer.MAX_OPTIMIZED_LOOPS))) {
            version(function, loop, pageTable);
        }
    }

    private static void version(IrFunction function, LoopInvariantCodeMotion.Loop loop, boolean pageTable) {
        Block header = loop.header();
        if (loop.body().size() != 2 || header.instructions().size() != 1
                        || !(header.instructions().getFirst() instanceof Instr.Branch branch)) {
            return;
        }
        Block body = branch.ifTrue();
        if (body == header || !loop.body().contains(body) || loop.body().contains(branch.ifFalse())
                        || !(body.instructions().getLast() instanceof Instr.Jump back) || back.target() != header) {
            return;
        }
        if (branch.cond() != Cond.ULT && branch.cond() != Cond.LT || !(branch.left() instanceof VReg counter)
                        || counter.width() != Width.I32 || branch.right().width() != Width.I32) {
            return;
        }

        List<Instr> instructions = body.instructions();
        Map<VReg, Integer> writes = new HashMap<>();
        for (Instr instruction : instructions) {
            if (instruction instanceof Instr.Call || instruction instanceof Instr.IndirectCall
                            || instruction instanceof Instr.HostCall) {
                return;
            }
            if (instruction.def() != null) {
                writes.merge(instruction.def(), 1, Integer::sum);
            }
        }
        if (branch.right() instanceof VReg bound && writes.containsKey(bound)) {
            return;
        }
        int increment = incrementIndex(instructions, counter, writes);
        if (increment < 0) {
            return;
        }

        // The stride of each register that the body computes before the increment as an affine
        // function of the counter, modulo 2^32, and the instruction that computes it.
        Map<VReg, Long> strides = new HashMap<>();
        Map<VReg, Integer> definitions = new HashMap<>();
        Map<List<Object>, Range> ranges = new LinkedHashMap<>();
        List<Integer> unchecked = new ArrayList<>();
        for (int i = 0; i < increment; i++) {
            Instr instruction = instructions.get(i);
            VReg base = switch (instruction) {
                case Instr.Load l when l.checked() -> l.base();
                case Instr.Store s when s.checked() -> s.base();
                default -> null;
            };
            if (base != null) {
                Long stride = strideOf(base, counter, writes, strides);
                if (stride != null && stride <= MAX_STRIDE) {
                    boolean write = instruction instanceof Instr.Store;
                    int displacement = write ? ((Instr.Store) instruction).displacement()
                                    : ((Instr.Load) instruction).displacement();
                    int size = write ? ((Instr.Store) instruction).size() : ((Instr.Load) instruction).size();
                    ranges.merge(List.of(base, write), new Range(base, write, stride, displacement, displacement + size),
                                    (a, b) -> new Range(a.base(), a.write(), a.stride(), Math.min(a.start(), b.start()),
                                                    Math.max(a.end(), b.end())));
                    unchecked.add(i);
                }
            }
            VReg written = instruction.def();
            if (written != null && writes.get(written) == 1) {
                Long stride = affineStride(instruction, counter, writes, strides);
                if (stride != null) {
                    strides.put(written, stride);
                    definitions.put(written, i);
                }
            }
        }
        // A stack check of a stack pointer that the loop does not change passes on every
        // iteration or fails on the first, so the preheader can make it once.
        List<Integer> stackChecks = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i) instanceof Instr.StackCheck c && !writes.containsKey(c.stackPointer())) {
                stackChecks.add(i);
            }
        }
        List<Integer> budgetSteps = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i) instanceof Instr.BudgetStep) {
                budgetSteps.add(i);
            }
        }
        boolean reducible = ranges.values().stream().anyMatch(range -> definitions.containsKey(range.base()));
        if (stackChecks.isEmpty() && budgetSteps.isEmpty() && (pageTable ? unchecked.isEmpty() : !reducible)) {
            return;
        }

        Block preheader = LoopInvariantCodeMotion.preheader(function, loop);
        SourceLocation location = header.location(0);
        List<Instr> check = new ArrayList<>();
        Map<VReg, VReg> firstValues = new HashMap<>();
        for (Map.Entry<VReg, Integer> definition : definitions.entrySet().stream()
                        .sorted(Map.Entry.comparingByValue()).toList()) {
            // The body's affine computations, run once with the counter's first value.
            Instr copy = LocalValueNumbering.renameUses(instructions.get(definition.getValue()),
                            register -> firstValues.getOrDefault(register, register));
            VReg first = function.newRegister(definition.getKey().width(), "");
            firstValues.put(definition.getKey(), first);
            check.add(withDestination(copy, first));
        }
        Operand allowed = Imm.of(1, Width.I32);
        VReg iterations = null;
        if (pageTable || !budgetSteps.isEmpty()) {
            iterations = iterations(function, check, branch, counter);
        }
        if (pageTable) {
            allowed = pagesAllowed(function, check, iterations, ranges.values(), firstValues);
        }

        // The copy gets its own registers for the values that live only within one iteration, so
        // that their live ranges stay inside each copy of the loop.
        BitSet carried = IrLiveness.of(function).liveIn(header);
        Map<VReg, VReg> local = new HashMap<>();
        for (VReg written : writes.keySet()) {
            if (!carried.get(written.id())) {
                local.put(written, function.newRegister(written.width(), written.name()));
            }
        }
        for (int index : stackChecks) {
            // The same test as the check's pattern: a signed 32-bit compare of the frame's start.
            Instr.StackCheck stackCheck = (Instr.StackCheck) instructions.get(index);
            VReg frameStart = binary(function, check, Instr.BinaryOp.SUB, stackCheck.stackPointer(),
                            Imm.of(stackCheck.frameSize(), Width.I32));
            VReg fits = function.newRegister(Width.I32, "");
            check.add(new Instr.Compare(Cond.GE, fits, frameStart, Imm.of(PluginLayout.STACK_BOTTOM, Width.I32)));
            allowed = binary(function, check, Instr.BinaryOp.AND, allowed, fits);
        }

        // Strength reduction in the copy. A base that the body computes on each iteration becomes a
        // register that starts at the base's first value. It grows by the stride at the end of each
        // iteration, modulo 2^32 as the base did.
        Map<VReg, VReg> induction = new LinkedHashMap<>();
        Map<VReg, Long> inductionStrides = new LinkedHashMap<>();
        List<Integer> dropped = new ArrayList<>(stackChecks);
        dropped.addAll(budgetSteps);
        if (!budgetSteps.isEmpty()) {
            // Last, so that the steps are taken only when the copy runs.
            VReg steps = binary(function, check, Instr.BinaryOp.MUL, iterations, Imm.of(budgetSteps.size(), Width.I64));
            VReg reserved = function.newRegister(Width.I32, "");
            long maxIterations = MAX_RESERVED_WORK / cost(instructions);
            int maxSteps = (int) Math.min(maxIterations * budgetSteps.size(), Integer.MAX_VALUE);
            check.add(new Instr.BudgetReserve(reserved, steps, allowed, maxSteps));
            allowed = reserved;
        }
        for (Range range : ranges.values()) {
            VReg base = range.base();
            if (local.containsKey(base) && definitions.containsKey(base) && !induction.containsKey(local.get(base))) {
                induction.put(local.get(base), firstValues.get(base));
                inductionStrides.put(firstValues.get(base), range.stride());
                dropped.add(definitions.get(base));
            }
        }

        // Linear function test replacement: when nothing else in the copy or after the loop reads
        // the counter, the copy tests an induction register against its final value instead and
        // drops the increment. An odd stride reaches that value first after exactly the loop's
        // iterations, because it is invertible modulo 2^32 and there are fewer than 2^32 of them.
        VReg exitRegister = null;
        VReg exitValue = null;
        if (!carriedOut(function, branch.ifFalse(), counter)) {
            dropped.addAll(unusedInCopy(instructions, dropped, carried));
            Map.Entry<VReg, Long> odd = inductionStrides.entrySet().stream().filter(step -> (step.getValue() & 1) == 1)
                            .findFirst().orElse(null);
            if (odd != null && readsOnlyIn(instructions, counter, increment, dropped)) {
                VReg count = binary(function, check, Instr.BinaryOp.SUB, branch.right(), counter);
                VReg distance = binary(function, check, Instr.BinaryOp.MUL, count, Imm.of(odd.getValue(), Width.I32));
                exitValue = binary(function, check, Instr.BinaryOp.ADD, odd.getKey(), distance);
                exitRegister = odd.getKey();
                dropped.add(increment);
            }
        }

        Block fastHeader = function.newBlock();
        Block fastBody = function.newBlock();
        fastHeader.add(new Instr.Branch(branch.cond(), branch.left(), branch.right(), fastBody, branch.ifFalse()), location);
        List<Instr> copy = new ArrayList<>();
        List<SourceLocation> copyLocations = new ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            if (dropped.contains(i)) {
                continue;
            }
            Instr instruction = instructions.get(i);
            instruction = withDestination(LocalValueNumbering.renameUses(instruction, r -> {
                VReg renamed = local.getOrDefault(r, r);
                return induction.getOrDefault(renamed, renamed);
            }), instruction.def() == null ? null : local.getOrDefault(instruction.def(), instruction.def()));
            if (pageTable && unchecked.contains(i)) {
                instruction = switch (instruction) {
                    case Instr.Load l -> new Instr.Load(l.dst(), l.base(), l.displacement(), l.size(), l.signed(), false,
                                    l.site());
                    case Instr.Store s -> new Instr.Store(s.base(), s.displacement(), s.value(), s.size(), false, s.site());
                    default -> throw new IllegalStateException("not an access: " + instruction);
                };
            } else if (i == instructions.size() - 1) {
                for (Map.Entry<VReg, Long> step : inductionStrides.entrySet()) {
                    if (step.getValue() != 0) {
                        copy.add(new Instr.Binary(Instr.BinaryOp.ADD, step.getKey(), step.getKey(),
                                        Imm.of(step.getValue(), Width.I32)));
                        copyLocations.add(body.location(i));
                    }
                }
                // The copy tests the condition at its end, so an iteration takes one branch.
                instruction = exitRegister == null
                                ? new Instr.Branch(branch.cond(), branch.left(), branch.right(), fastBody, branch.ifFalse())
                                : new Instr.Branch(Cond.NE, exitRegister, exitValue, fastBody, branch.ifFalse());
            }
            copy.add(instruction);
            copyLocations.add(body.location(i));
        }
        CopyScheduler.schedule(copy, copyLocations, inductionStrides.keySet());
        for (int i = 0; i < copy.size(); i++) {
            fastBody.add(copy.get(i), copyLocations.get(i));
        }

        int end = preheader.instructions().size() - 1;
        for (Instr instruction : check) {
            preheader.insert(end++, instruction, location);
        }
        List<Block> blocks = function.blocks();
        blocks.remove(fastHeader);
        blocks.remove(fastBody);
        blocks.add(blocks.indexOf(header), fastHeader);
        blocks.add(blocks.indexOf(header), fastBody);
        if (allowed instanceof Imm) {
            // Nothing to check: the copy is the loop. Only the preheader entered the old header.
            preheader.replace(end, new Instr.Jump(fastHeader));
            blocks.remove(header);
            blocks.remove(body);
        } else {
            preheader.replace(end, new Instr.Branch(Cond.NE, allowed, Imm.of(0, Width.I32), fastHeader, header));
        }
    }

    /**
     * Adds to {@code check} the test that every range lies in the 32-bit space without wrapping
     * and that every page it touches allows the access, and returns the register that is 1 when
     * all pass.
     */
    private static Operand pagesAllowed(IrFunction function, List<Instr> check, VReg iterations, Iterable<Range> ranges,
                    Map<VReg, VReg> firstValues) {
        VReg lastIteration = binary(function, check, Instr.BinaryOp.SUB, iterations, Imm.of(1, Width.I64));
        Operand allowed = Imm.of(1, Width.I32);
        for (Range range : ranges) {
            VReg first = convert(function, check, firstValues.getOrDefault(range.base(), range.base()), false);
            VReg span = binary(function, check, Instr.BinaryOp.MUL, lastIteration, Imm.of(range.stride(), Width.I64));
            VReg last = binary(function, check, Instr.BinaryOp.ADD, first, span);
            VReg high = binary(function, check, Instr.BinaryOp.SHR, last, Imm.of(32, Width.I32));
            VReg noWrap = function.newRegister(Width.I32, "");
            check.add(new Instr.Compare(Cond.EQ, noWrap, high, Imm.of(0, Width.I64)));
            VReg low = binary(function, check, Instr.BinaryOp.ADD, first, Imm.of(range.start(), Width.I64));
            VReg highest = binary(function, check, Instr.BinaryOp.ADD, last, Imm.of(range.end() - 1, Width.I64));
            VReg pages = function.newRegister(Width.I32, "");
            check.add(new Instr.PagesAllowed(pages, low, highest, range.write()));
            allowed = binary(function, check, Instr.BinaryOp.AND, allowed, noWrap);
            allowed = binary(function, check, Instr.BinaryOp.AND, allowed, pages);
        }
        return allowed;
    }

    /**
     * Returns the index of the body's only write of {@code counter} when it adds 1 to it, directly
     * or through a copy of {@code counter + 1}, else -1.
     */
    private static int incrementIndex(List<Instr> instructions, VReg counter, Map<VReg, Integer> writes) {
        if (writes.getOrDefault(counter, 0) != 1) {
            return -1;
        }
        for (int i = 0; i < instructions.size(); i++) {
            Instr instruction = instructions.get(i);
            if (!counter.equals(instruction.def())) {
                continue;
            }
            if (isIncrement(instruction, counter)) {
                return i;
            }
            if (instruction instanceof Instr.Move move && move.src() instanceof VReg sum
                            && writes.getOrDefault(sum, 0) == 1) {
                for (int j = 0; j < i; j++) {
                    if (sum.equals(instructions.get(j).def()) && isIncrement(instructions.get(j), counter)) {
                        return i;
                    }
                }
            }
            return -1;
        }
        return -1;
    }

    /**
     * Returns the indexes of the arithmetic that only the left-out instructions at {@code dropped}
     * read, such as {@code y * stride + x} of a strength-reduced base. Values in {@code carried}
     * live on into the next iteration and stay.
     */
    private static List<Integer> unusedInCopy(List<Instr> instructions, List<Integer> dropped, BitSet carried) {
        List<Integer> unused = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < instructions.size(); i++) {
                Instr instruction = instructions.get(i);
                VReg def = instruction.def();
                boolean pure = instruction instanceof Instr.Binary || instruction instanceof Instr.Move
                                || instruction instanceof Instr.Convert || instruction instanceof Instr.Unary;
                if (!pure || def == null || carried.get(def.id()) || dropped.contains(i) || unused.contains(i)) {
                    continue;
                }
                boolean read = false;
                for (int j = 0; j < instructions.size() && !read; j++) {
                    read = j != i && !dropped.contains(j) && !unused.contains(j) && instructions.get(j).uses().contains(def);
                }
                if (!read) {
                    unused.add(i);
                    changed = true;
                }
            }
        }
        return unused;
    }

    /** Returns whether {@code register} is live on entry to {@code exit}, the block after the loop. */
    private static boolean carriedOut(IrFunction function, Block exit, VReg register) {
        return IrLiveness.of(function).liveIn(exit).get(register.id());
    }

    /**
     * Returns whether no instruction of the body reads {@code counter} besides the increment at
     * {@code increment} and the instructions at {@code dropped}, which the copy leaves out.
     */
    private static boolean readsOnlyIn(List<Instr> instructions, VReg counter, int increment, List<Integer> dropped) {
        for (int i = 0; i < instructions.size(); i++) {
            if (i != increment && !dropped.contains(i) && instructions.get(i).uses().contains(counter)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIncrement(Instr instruction, VReg counter) {
        Imm one = Imm.of(1, Width.I32);
        return instruction instanceof Instr.Binary b && b.op() == Instr.BinaryOp.ADD
                        && (counter.equals(b.left()) && one.equals(b.right()) || one.equals(b.left()) && counter.equals(b.right()));
    }

    /** Returns the stride of {@code operand} per iteration, modulo 2^32, or null when it is not affine in the counter. */
    private static Long strideOf(Operand operand, VReg counter, Map<VReg, Integer> writes, Map<VReg, Long> strides) {
        if (operand instanceof Imm) {
            return 0L;
        }
        VReg register = (VReg) operand;
        if (register.width() != Width.I32) {
            return null;
        }
        if (register.equals(counter)) {
            return 1L;
        }
        if (!writes.containsKey(register)) {
            return 0L;
        }
        return strides.get(register);
    }

    /** Returns the stride of the result of a pure 32-bit {@code instruction} in the counter, or null. */
    private static Long affineStride(Instr instruction, VReg counter, Map<VReg, Integer> writes, Map<VReg, Long> strides) {
        if (instruction.def().width() != Width.I32) {
            return null;
        }
        switch (instruction) {
            case Instr.Move m -> {
                return strideOf(m.src(), counter, writes, strides);
            }
            case Instr.Binary b -> {
                Long left = strideOf(b.left(), counter, writes, strides);
                Long right = strideOf(b.right(), counter, writes, strides);
                if (left == null || right == null) {
                    return null;
                }
                return switch (b.op()) {
                    case ADD -> (left + right) & MASK_32;
                    case SUB -> (left - right) & MASK_32;
                    case MUL -> b.right() instanceof Imm k ? (left * k.value()) & MASK_32
                                    : b.left() instanceof Imm k ? (right * k.value()) & MASK_32
                                    : left == 0 && right == 0 ? 0L : null;
                    case SHL -> b.right() instanceof Imm k ? (left << (k.value() & 31)) & MASK_32 : null;
                    default -> left == 0 && right == 0 ? 0L : null;
                };
            }
            case Instr.Unary u -> {
                return strideOf(u.src(), counter, writes, strides) instanceof Long s && s == 0 ? 0L : null;
            }
            case Instr.Convert c -> {
                return strideOf(c.src(), counter, writes, strides) instanceof Long s && s == 0 ? 0L : null;
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * Returns {@code instruction} writing {@code dst} instead of its own result, for any instruction
     * that a versioned body may contain; one that writes nothing comes back unchanged.
     */
    private static Instr withDestination(Instr instruction, VReg dst) {
        return switch (instruction) {
            case Instr.Move m -> new Instr.Move(dst, m.src());
            case Instr.Binary b -> new Instr.Binary(b.op(), dst, b.left(), b.right());
            case Instr.Unary u -> new Instr.Unary(u.op(), dst, u.src());
            case Instr.Convert c -> new Instr.Convert(dst, c.src(), c.fromBits(), c.signed());
            case Instr.Compare c -> new Instr.Compare(c.cond(), dst, c.left(), c.right());
            case Instr.Divide d -> new Instr.Divide(d.op(), dst, d.left(), d.right(), d.site());
            case Instr.FloatBinary f -> new Instr.FloatBinary(f.op(), dst, f.left(), f.right());
            case Instr.FloatCompare f -> new Instr.FloatCompare(f.cond(), dst, f.left(), f.right());
            case Instr.FloatConvert f -> new Instr.FloatConvert(f.conversion(), dst, f.src());
            case Instr.Load l -> new Instr.Load(dst, l.base(), l.displacement(), l.size(), l.signed(), l.checked(), l.site());
            case Instr.Param p -> new Instr.Param(dst, p.index());
            case Instr.DataImportAddress d -> new Instr.DataImportAddress(dst, d.index());
            case Instr.PagesAllowed a -> new Instr.PagesAllowed(dst, a.first(), a.last(), a.write());
            case Instr.BudgetReserve r -> new Instr.BudgetReserve(dst, r.steps(), r.allowed(), r.maxSteps());
            default -> {
                if (instruction.def() != null) {
                    throw new IllegalStateException("cannot rename the result of " + instruction);
                }
                yield instruction;
            }
        };
    }

    /**
     * Returns the estimated work of one iteration of a loop body: one unit per instruction,
     * {@link #DIVISION_COST} per division and one per 8 bytes that a zero fill writes.
     */
    private static long cost(List<Instr> body) {
        long cost = 0;
        for (Instr instruction : body) {
            cost += switch (instruction) {
                case Instr.Divide d -> DIVISION_COST;
                case Instr.ZeroFill z -> 1 + z.size() / 8;
                default -> 1;
            };
        }
        return Math.max(cost, 1);
    }

    /**
     * Adds to {@code check} the number of iterations of the loop, {@code bound - counter} in 64
     * bits, and returns its register. It is 0 or negative when the loop runs no iteration.
     */
    private static VReg iterations(IrFunction function, List<Instr> check, Instr.Branch branch, VReg counter) {
        boolean signed = branch.cond() == Cond.LT;
        VReg counter64 = convert(function, check, counter, signed);
        VReg bound64 = convert(function, check, branch.right(), signed);
        return binary(function, check, Instr.BinaryOp.SUB, bound64, counter64);
    }

    private static VReg convert(IrFunction function, List<Instr> code, Operand value, boolean signed) {
        VReg wide = function.newRegister(Width.I64, "");
        code.add(new Instr.Convert(wide, value, 32, signed));
        return wide;
    }

    private static VReg binary(IrFunction function, List<Instr> code, Instr.BinaryOp op, Operand left, Operand right) {
        VReg result = function.newRegister(left.width(), "");
        code.add(new Instr.Binary(op, result, left, right));
        return result;
    }
}
