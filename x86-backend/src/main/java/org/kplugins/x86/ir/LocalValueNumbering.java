// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Local value numbering with copy propagation, one block at a time.
 *
 * <p>Each value a block computes gets a number: a copy has its source's number, a constant one per
 * value and width, and a pure integer operation ({@link Instr.Binary}, {@link Instr.Unary},
 * {@link Instr.Convert}, {@link Instr.Compare}) one per operation and operand numbers. Every other
 * instruction that writes a register, loads and calls among them, gives its result a new number,
 * so no load is ever reused. Then each read of a register becomes a read of the first register that
 * still contains the same value, and an operation whose value a register already contains becomes a copy
 * of that register. The copies this leaves are usually dead, and
 * {@link Optimizer#removeDeadAssignments} removes them.
 *
 * <p>The registers are not in SSA form, so a register's number is its current value: writing the
 * register gives it a new number, and a register that was overwritten no longer counts as holding
 * its old value.
 */
final class LocalValueNumbering {

    private final Map<VReg, Integer> numbers = new HashMap<>();
    /** The registers that were given each value number, in order; some may have been overwritten since. */
    private final Map<Integer, List<VReg>> holders = new HashMap<>();
    private final Map<List<Object>, Integer> values = new HashMap<>();
    private int nextNumber;

    private LocalValueNumbering() {
    }

    static void run(IrFunction function) {
        for (Block block : function.blocks()) {
            new LocalValueNumbering().number(block);
        }
    }

    private void number(Block block) {
        List<Instr> instructions = block.instructions();
        for (int i = 0; i < instructions.size(); i++) {
            Instr instruction = renameUses(instructions.get(i), this::holderOf);
            VReg written = instruction.def();
            if (written == null) {
                block.replace(i, instruction);
                continue;
            }
            switch (instruction) {
                case Instr.Move move -> {
                    int number = numberOf(move.src());
                    if (numbers.get(written) != null && numbers.get(written) == number) {
                        // The register already contains the value, so the copy does nothing.
                        block.remove(i);
                        i--;
                        continue;
                    }
                    assign(written, number);
                }
                case Instr.Binary b -> instruction = reuse(instruction, written, List.of("binary", b.op(), written.width(),
                                operands(b.op().isCommutative(), b.left(), b.right())));
                case Instr.Unary u -> instruction = reuse(instruction, written,
                                List.of("unary", u.op(), written.width(), numberOf(u.src())));
                case Instr.Convert c -> instruction = reuse(instruction, written, List.of("convert", c.fromBits(),
                                c.signed(), written.width(), numberOf(c.src())));
                case Instr.Compare c -> instruction = reuse(instruction, written,
                                List.of("compare", c.cond(), numberOf(c.left()), numberOf(c.right())));
                default -> assign(written, nextNumber++);
            }
            block.replace(i, instruction);
        }
    }

    /**
     * Numbers the result of a pure operation whose value is {@code key}, and returns a copy of a
     * register that already contains that value in place of the operation when there is one.
     */
    private Instr reuse(Instr operation, VReg written, List<Object> key) {
        Integer known = values.get(key);
        if (known != null) {
            VReg holder = currentHolder(known, written.width());
            assign(written, known);
            return holder == null ? operation : new Instr.Move(written, holder);
        }
        int number = nextNumber++;
        values.put(key, number);
        assign(written, number);
        return operation;
    }

    /** Returns the numbers of two operands, in ascending order when the operation is commutative. */
    private List<Integer> operands(boolean commutative, Operand left, Operand right) {
        int a = numberOf(left);
        int b = numberOf(right);
        return commutative && b < a ? List.of(b, a) : List.of(a, b);
    }

    private int numberOf(Operand operand) {
        if (operand instanceof Imm constant) {
            return values.computeIfAbsent(List.of("constant", constant.value(), constant.width()), key -> nextNumber++);
        }
        VReg register = (VReg) operand;
        Integer number = numbers.get(register);
        if (number == null) {
            // A value from before the block.
            number = nextNumber++;
            assign(register, number);
        }
        return number;
    }

    private void assign(VReg register, int number) {
        numbers.put(register, number);
        holders.computeIfAbsent(number, n -> new ArrayList<>()).add(register);
    }

    /** Returns the first register of {@code width} that still contains value {@code number}, or null. */
    private VReg currentHolder(int number, Width width) {
        for (VReg holder : holders.getOrDefault(number, List.of())) {
            if (holder.width() == width && numbers.get(holder) == number) {
                return holder;
            }
        }
        return null;
    }

    /** Returns the register to read in place of {@code register}: the first that contains the same value. */
    private VReg holderOf(VReg register) {
        Integer number = numbers.get(register);
        if (number == null) {
            return register;
        }
        VReg holder = currentHolder(number, register.width());
        return holder == null ? register : holder;
    }

    /** Returns {@code instruction} with each register it reads replaced by {@code rename} of it. */
    static Instr renameUses(Instr instruction, UnaryOperator<VReg> rename) {
        UnaryOperator<Operand> operand = o -> o instanceof VReg register ? rename.apply(register) : o;
        UnaryOperator<VReg> base = register -> register == null ? null : rename.apply(register);
        return switch (instruction) {
            case Instr.Param p -> p;
            case Instr.DataImportAddress d -> d;
            case Instr.Move m -> new Instr.Move(m.dst(), operand.apply(m.src()));
            case Instr.Binary b -> new Instr.Binary(b.op(), b.dst(), operand.apply(b.left()), operand.apply(b.right()));
            case Instr.Unary u -> new Instr.Unary(u.op(), u.dst(), operand.apply(u.src()));
            case Instr.Divide d -> new Instr.Divide(d.op(), d.dst(), operand.apply(d.left()), operand.apply(d.right()),
                            d.site());
            case Instr.Convert c -> new Instr.Convert(c.dst(), operand.apply(c.src()), c.fromBits(), c.signed());
            case Instr.FloatBinary f -> new Instr.FloatBinary(f.op(), f.dst(), operand.apply(f.left()),
                            operand.apply(f.right()));
            case Instr.FloatCompare f -> new Instr.FloatCompare(f.cond(), f.dst(), operand.apply(f.left()),
                            operand.apply(f.right()));
            case Instr.FloatConvert f -> new Instr.FloatConvert(f.conversion(), f.dst(), operand.apply(f.src()));
            case Instr.Compare c -> new Instr.Compare(c.cond(), c.dst(), operand.apply(c.left()), operand.apply(c.right()));
            case Instr.Load l -> new Instr.Load(l.dst(), base.apply(l.base()), l.displacement(), l.size(), l.signed(),
                            l.checked(), l.site());
            case Instr.Store s -> new Instr.Store(base.apply(s.base()), s.displacement(), operand.apply(s.value()),
                            s.size(), s.checked(), s.site());
            case Instr.PagesAllowed a -> new Instr.PagesAllowed(a.dst(), operand.apply(a.first()), operand.apply(a.last()),
                            a.write());
            case Instr.ZeroFill z -> new Instr.ZeroFill(base.apply(z.base()), z.displacement(), z.size());
            case Instr.Call c -> new Instr.Call(c.dst(), c.callee(), base.apply(c.stackPointer()),
                            c.arguments().stream().map(operand).toList(), c.argumentAreaSize(), c.site());
            case Instr.IndirectCall c -> new Instr.IndirectCall(c.dst(), operand.apply(c.pointer()),
                            base.apply(c.stackPointer()), c.arguments().stream().map(operand).toList(), c.callType(),
                            c.signature(), c.tableSize(), c.argumentAreaSize(),
                            (Instr.HostCall) renameUses(c.hostCall(), rename), c.site());
            case Instr.HostCall h -> new Instr.HostCall(h.dst(), h.index(), h.target(),
                            h.arguments().stream().map(operand).toList(), h.site());
            case Instr.BudgetStep b -> b;
            case Instr.BudgetReserve r -> new Instr.BudgetReserve(r.dst(), operand.apply(r.steps()), operand.apply(r.allowed()),
                            r.maxSteps());
            case Instr.StackCheck c -> new Instr.StackCheck(base.apply(c.stackPointer()), c.frameSize(), c.site());
            case Instr.Jump j -> j;
            case Instr.Branch b -> new Instr.Branch(b.cond(), operand.apply(b.left()), operand.apply(b.right()),
                            b.ifTrue(), b.ifFalse());
            case Instr.Return r -> r.value() == null ? r : new Instr.Return(operand.apply(r.value()));
        };
    }
}
