// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

import static org.kplugins.x86.asm.OperandSize.BYTE;
import static org.kplugins.x86.asm.OperandSize.DWORD;
import static org.kplugins.x86.asm.OperandSize.QWORD;
import static org.kplugins.x86.asm.OperandSize.WORD;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.runtime.FunctionTable;
import org.kplugins.kpc.runtime.PluginLayout;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.x86.asm.Condition;
import org.kplugins.x86.asm.OperandSize;
import org.kplugins.x86.asm.Register;
import org.kplugins.x86.asm.XmmRegister;
import org.kplugins.x86.ir.Block;
import org.kplugins.x86.ir.Cond;
import org.kplugins.x86.ir.Imm;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.IrFunction;
import org.kplugins.x86.ir.IrProgram;
import org.kplugins.x86.ir.Operand;
import org.kplugins.x86.ir.Site;
import org.kplugins.x86.ir.VReg;
import org.kplugins.x86.ir.Width;
import org.kplugins.x86.select.MachineOperand.Immediate;
import org.kplugins.x86.select.MachineOperand.Memory;
import org.kplugins.x86.select.MachineOperand.Physical;
import org.kplugins.x86.select.MachineOperand.Virtual;

/**
 * Selects x86-64 instructions for one IR function. Each IR instruction becomes a fixed pattern:
 * two-address arithmetic ({@code mov dst, left; add dst, right}), division through RAX and RDX
 * with its zero and overflow checks, the page-table check before each checked access, and the
 * budget and stack checks before each call, and the page-table walk of
 * {@link org.kplugins.x86.ir.Instr.PagesAllowed} before a versioned loop. Patterns use only the scratch registers of
 * {@link RuntimeAbi} besides virtual registers, and no value in a scratch register outlives its
 * pattern.
 *
 * <p>The memory check of a {@code size}-byte access at plugin address A reads the flags of the
 * pages of A and A + size - 1 from the native page table, which covers the whole 32-bit address
 * space plus one entry, so that a page at or above the segment limit reads as not present and no
 * separate limit compare is needed. The access then uses {@code [r15 + A]}.
 *
 * <p>In {@link CodeMode#HARDWARE} the selector emits neither the page-table checks nor the divisor
 * checks. A checked access computes A in EAX as before and uses {@code [r15 + rax]}, which the
 * emitter gives a GS override, and each plugin memory access and each div or idiv carries the
 * {@link FaultStub} that its fault reports ({@link MachineInstr#stub()}).
 */
public final class InstructionSelector {

    private static final Physical RAX = new Physical(Register.RAX);
    private static final Physical RCX = new Physical(Register.RCX);
    private static final Physical RDX = new Physical(Register.RDX);
    private static final MachineOperand.Xmm XMM0 = new MachineOperand.Xmm(XmmRegister.XMM0);
    private static final MachineOperand.Xmm XMM1 = new MachineOperand.Xmm(XmmRegister.XMM1);
    private static final Physical RBP = new Physical(Register.RBP);
    private static final Physical RSP = new Physical(Register.RSP);
    private static final Physical MEMORY_BASE = new Physical(RuntimeAbi.MEMORY_BASE_REGISTER);
    private static final Physical CONTEXT = new Physical(RuntimeAbi.CONTEXT_REGISTER);
    private static final Physical PAGE_TABLE = new Physical(RuntimeAbi.PAGE_TABLE_REGISTER);

    private final IrProgram program;
    private final IrFunction function;
    private final CodeMode mode;
    private final Map<String, Integer> frameSizes = new HashMap<>();
    private final Map<Block, MachineBlock> blocks = new IdentityHashMap<>();
    private MachineBlock current;
    private SourceLocation location;
    private int outgoingAreaBytes;
    private int internalLabels;
    /** Reads of each virtual register in the function, computed on first use by {@link #useCount}. */
    private Map<VReg, Integer> useCounts;

    private InstructionSelector(IrProgram program, IrFunction function, CodeMode mode) {
        this.program = program;
        this.function = function;
        this.mode = mode;
        for (IrFunction other : program.functions()) {
            frameSizes.put(other.name(), other.stackFrameSize());
        }
    }

    /** Selects instructions for {@code function}, a function of {@code program}, in {@link CodeMode#CHECKED}. */
    public static MachineFunction select(IrProgram program, IrFunction function) {
        return select(program, function, CodeMode.CHECKED);
    }

    /**
     * Selects instructions for {@code function}, a function of {@code program}, in {@code mode}.
     *
     * @throws IllegalStateException in {@link CodeMode#HARDWARE} if the function contains a
     *             {@link org.kplugins.x86.ir.Instr.PagesAllowed}, which only loop versioning
     *             creates and which that mode has no page table for
     */
    public static MachineFunction select(IrProgram program, IrFunction function, CodeMode mode) {
        return new InstructionSelector(program, function, mode).select();
    }

    private MachineFunction select() {
        List<MachineBlock> machineBlocks = new ArrayList<>();
        for (Block block : function.blocks()) {
            MachineBlock machineBlock = new MachineBlock(new MachineLabel(function.name() + ".b" + block.id()));
            blocks.put(block, machineBlock);
            machineBlocks.add(machineBlock);
        }
        for (Block block : function.blocks()) {
            current = blocks.get(block);
            for (Block successor : block.successors()) {
                current.successors().add(blocks.get(successor));
            }
            List<Instr> instructions = block.instructions();
            boolean[] merged = new boolean[instructions.size()];
            int[] baseNumbers = AccessGroups.baseNumbers(instructions);
            for (int i = 0; i < instructions.size(); i++) {
                location = block.location(i);
                Instr instruction = instructions.get(i);
                if (i + 1 < instructions.size() && leaSum(instruction, instructions.get(i + 1))) {
                    i++;
                    continue;
                }
                if (mode == CodeMode.HARDWARE) {
                    // No access has a page-table check of its own, so there is none to merge.
                    select(instruction);
                    continue;
                }
                if (merged[i]) {
                    selectMerged(instruction);
                    continue;
                }
                List<Instr> group = AccessGroups.groupAt(instructions, baseNumbers, i);
                if (group.size() > 1 && instruction instanceof Instr.Store) {
                    i = storeGroup(block, instructions, i, group);
                    continue;
                }
                if (group.size() > 1) {
                    mergedCheck(group);
                    // The group is a subsequence of the block, so matching it in order finds its positions.
                    int member = 0;
                    for (int j = i; member < group.size(); j++) {
                        if (instructions.get(j) == group.get(member)) {
                            merged[j] = true;
                            member++;
                        }
                    }
                    selectMerged(instruction);
                    continue;
                }
                select(instruction);
            }
        }
        return new MachineFunction(function, machineBlocks, outgoingAreaBytes);
    }

    private void select(Instr instruction) {
        switch (instruction) {
            case Instr.Param p -> emit(Opcode.MOV, size(p.dst()), v(p.dst()),
                            Memory.at(RBP, RuntimeAbi.INCOMING_ARGUMENTS + 8 * p.index()));
            case Instr.DataImportAddress d -> emit(Opcode.MOV, DWORD, v(d.dst()),
                            Memory.at(CONTEXT, RuntimeAbi.DATA_IMPORTS + 4 * d.index()));
            case Instr.Move m -> emit(Opcode.MOV, size(m.dst()), v(m.dst()), operand(m.src()));
            case Instr.Binary b -> binary(b);
            case Instr.Unary u -> {
                emit(Opcode.MOV, size(u.dst()), v(u.dst()), operand(u.src()));
                emit(u.op() == Instr.UnaryOp.NEG ? Opcode.NEG : Opcode.NOT, size(u.dst()), v(u.dst()));
            }
            case Instr.Divide d -> divide(d);
            case Instr.Convert c -> convert(c);
            case Instr.Compare c -> compare(c);
            case Instr.FloatBinary f -> floatBinary(f);
            case Instr.FloatCompare f -> floatCompare(f);
            case Instr.FloatConvert f -> floatConvert(f);
            case Instr.Load l -> load(l);
            case Instr.Store s -> store(s);
            case Instr.ZeroFill z -> zeroFill(z);
            case Instr.PagesAllowed a -> pagesAllowed(a);
            case Instr.BudgetReserve r -> budgetReserve(r);
            case Instr.Call c -> call(c);
            case Instr.HostCall h -> hostCall(h);
            case Instr.IndirectCall c -> indirectCall(c);
            case Instr.BudgetStep b -> budgetStep(b.site());
            case Instr.StackCheck c -> stackCheck(c.stackPointer(), c.frameSize(), c.site());
            case Instr.Jump j -> jump(j.target());
            case Instr.Branch b -> branch(b);
            case Instr.Return r -> {
                if (r.value() != null) {
                    emit(Opcode.MOV, size(r.value().width()), RAX, operand(r.value()));
                }
                emit(Opcode.RETURN, null);
            }
        }
    }

    // ---- Arithmetic ----

    /**
     * Selects {@code t = a + b; u = t + c} (or {@code t - c}) as one {@code lea u, [a + b + c]}
     * when {@code t} is read nowhere else, and returns whether it did. The lea wraps at the
     * destination's width, as the two additions do.
     */
    private boolean leaSum(Instr first, Instr second) {
        if (!(first instanceof Instr.Binary sum) || sum.op() != Instr.BinaryOp.ADD
                        || !(sum.left() instanceof VReg a) || !(sum.right() instanceof VReg b)
                        || !(second instanceof Instr.Binary offset)) {
            return false;
        }
        VReg t = sum.dst();
        Operand constant;
        if (offset.op() == Instr.BinaryOp.ADD && t.equals(offset.left())) {
            constant = offset.right();
        } else if (offset.op() == Instr.BinaryOp.ADD && t.equals(offset.right())) {
            constant = offset.left();
        } else if (offset.op() == Instr.BinaryOp.SUB && t.equals(offset.left())) {
            constant = offset.right();
        } else {
            return false;
        }
        if (!(constant instanceof Imm imm) || imm.value() != (int) imm.value() || imm.value() == Integer.MIN_VALUE
                        || !t.width().equals(offset.dst().width()) || useCount(t) != 1) {
            return false;
        }
        int displacement = (int) (offset.op() == Instr.BinaryOp.ADD ? imm.value() : -imm.value());
        emit(Opcode.LEA_SUM, size(offset.dst()), v(offset.dst()), v(a), v(b), new Immediate(displacement));
        return true;
    }

    /** Returns how many instructions of the function read {@code register}, counted once per function. */
    private int useCount(VReg register) {
        if (useCounts == null) {
            useCounts = new HashMap<>();
            for (Block block : function.blocks()) {
                for (Instr instruction : block.instructions()) {
                    for (VReg used : instruction.uses()) {
                        useCounts.merge(used, 1, Integer::sum);
                    }
                }
            }
        }
        return useCounts.getOrDefault(register, 0);
    }

    private void binary(Instr.Binary b) {
        OperandSize size = size(b.dst());
        Virtual dst = v(b.dst());
        if (b.op().isShift()) {
            Opcode shift = switch (b.op()) {
                case SHL -> Opcode.SHL;
                case SHR -> Opcode.SHR;
                default -> Opcode.SAR;
            };
            if (b.right() instanceof Imm count) {
                emit(Opcode.MOV, size, dst, operand(b.left()));
                emit(shift, size, dst, new Immediate(count.value() & (size == QWORD ? 63 : 31)));
            } else {
                // The processor masks a count in CL as the Truffle tier's operator nodes do.
                emit(Opcode.MOV, DWORD, RCX, operand(b.right()));
                emit(Opcode.MOV, size, dst, operand(b.left()));
                emit(shift, size, dst, RCX);
            }
            return;
        }
        Operand left = b.left();
        Operand right = b.right();
        if (left instanceof Imm && !(right instanceof Imm) && b.op().isCommutative()) {
            left = b.right();
            right = b.left();
        }
        if (left instanceof VReg base && right instanceof Imm constant && (b.op() == Instr.BinaryOp.ADD
                        || b.op() == Instr.BinaryOp.SUB) && constant.value() != Integer.MIN_VALUE
                        && constant.value() == (int) constant.value()) {
            // lea computes the sum in the destination's width, so it wraps like add.
            int displacement = (int) (b.op() == Instr.BinaryOp.ADD ? constant.value() : -constant.value());
            emit(Opcode.LEA, size, dst, Memory.at(v(base), displacement));
            return;
        }
        if (b.op() == Instr.BinaryOp.MUL && right instanceof Imm constant && constant.value() == (int) constant.value()) {
            emit(Opcode.IMUL3, size, dst, operand(left), new Immediate(constant.value()));
            return;
        }
        Opcode opcode = switch (b.op()) {
            case ADD -> Opcode.ADD;
            case SUB -> Opcode.SUB;
            case MUL -> Opcode.IMUL;
            case AND -> Opcode.AND;
            case OR -> Opcode.OR;
            case XOR -> Opcode.XOR;
            default -> throw new IllegalStateException("not an ALU operation: " + b.op());
        };
        if (b.dst().equals(right) && !b.dst().equals(left)) {
            // x = a op x: moving a into x first would overwrite the right operand.
            if (b.op().isCommutative()) {
                emit(opcode, size, dst, operand(left));
            } else {
                emit(Opcode.MOV, size, RAX, operand(left));
                emit(opcode, size, RAX, dst);
                emit(Opcode.MOV, size, dst, RAX);
            }
            return;
        }
        emit(Opcode.MOV, size, dst, operand(left));
        emit(opcode, size, dst, operand(right));
    }

    /**
     * Division through RAX and RDX. A variable divisor is tested for zero, and for a signed
     * division also for -1 with the lowest dividend, which {@code neg} detects by overflowing. In
     * {@link CodeMode#HARDWARE} the div or idiv itself raises the divide error in both cases, and
     * its stub carries what a divide overflow reports, so the runtime can tell the two apart by
     * the divisor.
     */
    private void divide(Instr.Divide d) {
        OperandSize size = size(d.dst());
        boolean signed = d.op().isSigned();
        emit(Opcode.MOV, size, RAX, operand(d.left()));
        MachineOperand divisor;
        FaultStub divideError = null;
        if (mode == CodeMode.HARDWARE) {
            divideError = new FaultStub(FaultStub.Reason.DIVIDE_BY_ZERO, owner(d.site()), d.site(), 0,
                            d.op().isRemainder() ? '%' : '/', size == QWORD);
            if (d.right() instanceof Imm constant) {
                emit(Opcode.MOV, size, RCX, new Immediate(constant.value()));
                divisor = RCX;
            } else {
                divisor = v((VReg) d.right());
            }
        } else if (d.right() instanceof Imm constant) {
            emit(Opcode.MOV, size, RCX, new Immediate(constant.value()));
            divisor = RCX;
            if (constant.value() == 0) {
                faultJump(null, stub(FaultStub.Reason.DIVIDE_BY_ZERO, d.site()));
            } else if (signed && constant.value() == -1) {
                overflowCheck(d, size);
            }
        } else {
            divisor = v((VReg) d.right());
            emit(Opcode.CMP, size, divisor, new Immediate(0));
            faultJump(Condition.E, stub(FaultStub.Reason.DIVIDE_BY_ZERO, d.site()));
            if (signed) {
                MachineLabel notMinusOne = newLabel("divisor not -1");
                emit(Opcode.CMP, size, divisor, new Immediate(-1));
                jcc(Condition.NE, notMinusOne);
                overflowCheck(d, size);
                bind(notMinusOne);
            }
        }
        if (signed) {
            emit(Opcode.SIGN_EXTEND_ACCUMULATOR, size);
            emitFaulting(divideError, Opcode.IDIV, size, null, divisor);
        } else {
            emit(Opcode.XOR, DWORD, RDX, RDX);
            emitFaulting(divideError, Opcode.DIV, size, null, divisor);
        }
        emit(Opcode.MOV, size, v(d.dst()), d.op().isRemainder() ? RDX : RAX);
    }

    /** Faults when the dividend in RAX is the lowest value of its width: negating only that value overflows. */
    private void overflowCheck(Instr.Divide d, OperandSize size) {
        emit(Opcode.MOV, size, RDX, RAX);
        emit(Opcode.NEG, size, RDX);
        faultJump(Condition.O, new FaultStub(FaultStub.Reason.DIVIDE_OVERFLOW, owner(d.site()), d.site(), 0,
                        d.op().isRemainder() ? '%' : '/', size == QWORD));
    }

    private void convert(Instr.Convert c) {
        OperandSize size = size(c.dst());
        Virtual dst = v(c.dst());
        MachineOperand src = operand(c.src());
        if (c.src() instanceof Imm constant) {
            long bits = c.fromBits() == 64 ? constant.value()
                            : c.signed() ? constant.value() << (64 - c.fromBits()) >> (64 - c.fromBits())
                            : constant.value() & ((1L << c.fromBits()) - 1);
            emit(Opcode.MOV, size, dst, new Immediate(size == DWORD ? (int) bits : bits));
            return;
        }
        switch (c.fromBits()) {
            case 8, 16 -> emit(c.signed() ? Opcode.MOVSX : Opcode.MOVZX, size, c.fromBits() == 8 ? BYTE : WORD, dst, src);
            case 32 -> {
                if (size == DWORD) {
                    emit(Opcode.MOV, DWORD, dst, src);
                } else if (c.signed()) {
                    emit(Opcode.MOVSX, QWORD, DWORD, dst, src);
                } else {
                    emit(Opcode.MOVZX32, QWORD, dst, src);
                }
            }
            default -> {
                if (size == DWORD) {
                    // Truncation to 32 bits clears the upper half, because 64-bit addressing and
                    // zero extension rely on every 32-bit value having a zero upper half.
                    emit(Opcode.MOVZX32, QWORD, dst, src);
                } else {
                    emit(Opcode.MOV, size, dst, src);
                }
            }
        }
    }

    private void compare(Instr.Compare c) {
        Cond cond = c.cond();
        Operand left = c.left();
        Operand right = c.right();
        if (left instanceof Imm a && right instanceof Imm b) {
            emit(Opcode.MOV, DWORD, v(c.dst()), new Immediate(holds(cond, a.value(), b.value()) ? 1 : 0));
            return;
        }
        if (left instanceof Imm) {
            left = c.right();
            right = c.left();
            cond = cond.swap();
        }
        emit(Opcode.CMP, size(left.width()), operand(left), operand(right));
        emit(Opcode.SETCC, BYTE, condition(cond), RAX);
        emit(Opcode.MOVZX, DWORD, BYTE, v(c.dst()), RAX);
    }

    private static boolean holds(Cond cond, long a, long b) {
        return switch (cond) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            case ULT -> Long.compareUnsigned(a, b) < 0;
            case ULE -> Long.compareUnsigned(a, b) <= 0;
            case UGT -> Long.compareUnsigned(a, b) > 0;
            case UGE -> Long.compareUnsigned(a, b) >= 0;
        };
    }

    // ---- Floating point ----
    //
    // Float and double values live in general-purpose registers as their bits. Each pattern moves
    // its operands into XMM0 and XMM1 through RAX and RCX, computes there, and moves the result
    // back, so no value stays in an XMM register after its pattern.

    private void floatBinary(Instr.FloatBinary f) {
        OperandSize size = size(f.dst());
        toXmm(XMM0, f.left());
        toXmm(XMM1, f.right());
        Opcode opcode = switch (f.op()) {
            case ADD -> Opcode.ADDS;
            case SUB -> Opcode.SUBS;
            case MUL -> Opcode.MULS;
            case DIV -> Opcode.DIVS;
        };
        emit(opcode, size, XMM0, XMM1);
        fromXmm(f.dst(), XMM0);
    }

    /**
     * ucomis sets ZF, PF and CF together for an unordered result, so "above" and "above or equal"
     * are false for a NaN; LT and LE swap the operands to use them. EQ needs ZF without PF and NE
     * either of them.
     */
    private void floatCompare(Instr.FloatCompare f) {
        OperandSize size = size(f.left().width());
        toXmm(XMM0, f.left());
        toXmm(XMM1, f.right());
        switch (f.cond()) {
            case GT, GE -> {
                emit(Opcode.UCOMIS, size, XMM0, XMM1);
                emit(Opcode.SETCC, BYTE, f.cond() == Cond.GT ? Condition.A : Condition.AE, RAX);
            }
            case LT, LE -> {
                emit(Opcode.UCOMIS, size, XMM1, XMM0);
                emit(Opcode.SETCC, BYTE, f.cond() == Cond.LT ? Condition.A : Condition.AE, RAX);
            }
            case EQ -> {
                emit(Opcode.UCOMIS, size, XMM0, XMM1);
                emit(Opcode.SETCC, BYTE, Condition.E, RAX);
                emit(Opcode.SETCC, BYTE, Condition.NP, RCX);
                emit(Opcode.AND, BYTE, RAX, RCX);
            }
            case NE -> {
                emit(Opcode.UCOMIS, size, XMM0, XMM1);
                emit(Opcode.SETCC, BYTE, Condition.NE, RAX);
                emit(Opcode.SETCC, BYTE, Condition.P, RCX);
                emit(Opcode.OR, BYTE, RAX, RCX);
            }
            default -> throw new IllegalStateException("not a floating comparison: " + f.cond());
        }
        emit(Opcode.MOVZX, DWORD, BYTE, v(f.dst()), RAX);
    }

    private void floatConvert(Instr.FloatConvert f) {
        OperandSize dstSize = size(f.dst());
        OperandSize srcSize = size(f.src().width());
        switch (f.conversion()) {
            case RESIZE -> {
                toXmm(XMM0, f.src());
                emit(srcSize == DWORD ? Opcode.CVTSS2SD : Opcode.CVTSD2SS, null, XMM0, XMM0);
                fromXmm(f.dst(), XMM0);
            }
            case FROM_SIGNED -> {
                emit(Opcode.MOV, srcSize, RAX, operand(f.src()));
                emit(Opcode.CVTSI2S, dstSize, srcSize, XMM0, RAX);
                fromXmm(f.dst(), XMM0);
            }
            case FROM_UNSIGNED -> fromUnsigned(f, dstSize, srcSize);
            case TO_SIGNED -> {
                toXmm(XMM0, f.src());
                emit(Opcode.CVTTS2SI, dstSize, srcSize, RAX, XMM0);
                emit(Opcode.MOV, dstSize, v(f.dst()), RAX);
            }
            case TO_UNSIGNED -> toUnsigned(f, dstSize, srcSize);
        }
    }

    /**
     * Converts an unsigned integer to float or double. A 32-bit value converts as the 64-bit value
     * it zero-extends to. A 64-bit value of 2^63 or more is halved with its lowest bit kept as a
     * sticky bit, so that it rounds as the full value would, then converted and doubled, which is
     * exact.
     */
    private void fromUnsigned(Instr.FloatConvert f, OperandSize dstSize, OperandSize srcSize) {
        emit(Opcode.MOV, srcSize, RAX, operand(f.src()));
        if (srcSize == DWORD) {
            emit(Opcode.CVTSI2S, dstSize, QWORD, XMM0, RAX);
            fromXmm(f.dst(), XMM0);
            return;
        }
        MachineLabel large = newLabel("unsigned large");
        MachineLabel done = newLabel("unsigned converted");
        emit(Opcode.TEST, QWORD, RAX, RAX);
        jcc(Condition.S, large);
        emit(Opcode.CVTSI2S, dstSize, QWORD, XMM0, RAX);
        jmp(done);
        bind(large);
        emit(Opcode.MOV, QWORD, RCX, RAX);
        emit(Opcode.SHR, QWORD, RCX, new Immediate(1));
        emit(Opcode.AND, DWORD, RAX, new Immediate(1));
        emit(Opcode.OR, QWORD, RCX, RAX);
        emit(Opcode.CVTSI2S, dstSize, QWORD, XMM0, RCX);
        emit(Opcode.ADDS, dstSize, XMM0, XMM0);
        bind(done);
        fromXmm(f.dst(), XMM0);
    }

    /**
     * Converts float or double to an unsigned integer as {@code FloatingConversions} does, in
     * double. A value below 2^31 (2^63 for 64 bits), or a NaN, converts as signed. A larger one
     * has 2^31 subtracted, converts as signed and gets its top bit flipped.
     */
    private void toUnsigned(Instr.FloatConvert f, OperandSize dstSize, OperandSize srcSize) {
        toXmm(XMM0, f.src());
        if (srcSize == DWORD) {
            emit(Opcode.CVTSS2SD, null, XMM0, XMM0);
        }
        double limit = dstSize == QWORD ? 0x1p63 : 0x1p31;
        emit(Opcode.MOV, QWORD, RAX, new Immediate(Double.doubleToRawLongBits(limit)));
        emit(Opcode.MOVD_TO_XMM, QWORD, XMM1, RAX);
        MachineLabel large = newLabel("unsigned large");
        MachineLabel done = newLabel("unsigned converted");
        emit(Opcode.UCOMIS, QWORD, XMM0, XMM1);
        jcc(Condition.AE, large);
        emit(Opcode.CVTTS2SI, dstSize, QWORD, RAX, XMM0);
        jmp(done);
        bind(large);
        emit(Opcode.SUBS, QWORD, XMM0, XMM1);
        emit(Opcode.CVTTS2SI, dstSize, QWORD, RAX, XMM0);
        if (dstSize == QWORD) {
            emit(Opcode.MOV, QWORD, RCX, new Immediate(Long.MIN_VALUE));
            emit(Opcode.XOR, QWORD, RAX, RCX);
        } else {
            emit(Opcode.XOR, DWORD, RAX, new Immediate(Integer.MIN_VALUE));
        }
        bind(done);
        emit(Opcode.MOV, dstSize, v(f.dst()), RAX);
    }

    /** Moves the bits of a floating operand into {@code xmm} through RAX or RCX. */
    private void toXmm(MachineOperand.Xmm xmm, Operand value) {
        OperandSize size = size(value.width());
        Physical through = xmm == XMM0 ? RAX : RCX;
        emit(Opcode.MOV, size, through, operand(value));
        emit(Opcode.MOVD_TO_XMM, size, xmm, through);
    }

    private void fromXmm(VReg dst, MachineOperand.Xmm xmm) {
        OperandSize size = size(dst);
        emit(Opcode.MOVD_FROM_XMM, size, RAX, xmm);
        emit(Opcode.MOV, size, v(dst), RAX);
    }

    // ---- Memory ----

    private void load(Instr.Load l) {
        Memory address = access(l.base(), l.displacement(), l.size(), l.checked(), false, l.site());
        loadFrom(l, address, hardwareAccess(false, l.size(), l.site()));
    }

    /** Loads through {@code address}. {@code stub} names the load in {@link CodeMode#HARDWARE} and is null otherwise. */
    private void loadFrom(Instr.Load l, Memory address, FaultStub stub) {
        OperandSize size = size(l.dst());
        switch (l.size()) {
            case 1 -> emitFaulting(stub, l.signed() ? Opcode.MOVSX : Opcode.MOVZX, size, BYTE, v(l.dst()), address);
            case 2 -> emitFaulting(stub, l.signed() ? Opcode.MOVSX : Opcode.MOVZX, size, WORD, v(l.dst()), address);
            case 4 -> {
                if (size == DWORD) {
                    emitFaulting(stub, Opcode.MOV, DWORD, null, v(l.dst()), address);
                } else if (l.signed()) {
                    emitFaulting(stub, Opcode.MOVSX, QWORD, DWORD, v(l.dst()), address);
                } else {
                    emitFaulting(stub, Opcode.MOVZX32, QWORD, null, v(l.dst()), address);
                }
            }
            default -> emitFaulting(stub, Opcode.MOV, QWORD, null, v(l.dst()), address);
        }
    }

    private void store(Instr.Store s) {
        Memory address = access(s.base(), s.displacement(), s.size(), s.checked(), true, s.site());
        storeTo(s, address, hardwareAccess(true, s.size(), s.site()));
    }

    /** Stores through {@code address}. {@code stub} names the store in {@link CodeMode#HARDWARE} and is null otherwise. */
    private void storeTo(Instr.Store s, Memory address, FaultStub stub) {
        OperandSize size = sizeOfBytes(s.size());
        MachineOperand value = operand(s.value());
        if (value instanceof Immediate constant && size != QWORD) {
            // An 8, 16 or 32-bit store takes the low bits of the constant.
            long bits = constant.value() & ((1L << size.bits()) - 1);
            value = new Immediate(size == DWORD ? (int) bits : bits);
        }
        emitFaulting(stub, Opcode.MOV, size, null, address, value);
    }

    /**
     * Returns the stub that names a plugin memory access in {@link CodeMode#HARDWARE}, where the
     * emulated MMU rejects a stray access, or null in {@link CodeMode#CHECKED}. {@code site} is
     * null for an access that the lowering proved allowed and so gave no site, such as the store
     * of a parameter into the frame.
     */
    private FaultStub hardwareAccess(boolean write, int size, Site site) {
        if (mode != CodeMode.HARDWARE) {
            return null;
        }
        return new FaultStub(write ? FaultStub.Reason.WRITE : FaultStub.Reason.READ, owner(site), site, size, ' ', false);
    }

    /**
     * Returns the native memory operand of a plugin access, after the page-table check for a
     * checked one. A checked access leaves its plugin address in EAX, where its fault stub finds it.
     * In {@link CodeMode#HARDWARE} a checked access only computes that address.
     */
    private Memory access(VReg base, int displacement, int size, boolean checked, boolean write, Site site) {
        if (!checked) {
            return base == null ? Memory.at(MEMORY_BASE, displacement) : new Memory(MEMORY_BASE, v(base), 1, displacement);
        }
        if (mode == CodeMode.HARDWARE) {
            addressToRax(base, displacement);
            return new Memory(MEMORY_BASE, RAX, 1, 0);
        }
        Condition allowed = testPages(base, displacement, size, write);
        FaultStub.Reason reason = write ? FaultStub.Reason.WRITE : FaultStub.Reason.READ;
        faultJump(allowed.negate(), new FaultStub(reason, owner(site), site, size, ' ', false));
        return new Memory(MEMORY_BASE, RAX, 1, 0);
    }

    /**
     * Tests the page flags of the {@code size} bytes at plugin address {@code base + displacement},
     * which it leaves in EAX, and returns the condition that holds when they allow a read, or a
     * write when {@code write} is set.
     */
    private Condition testPages(VReg base, int displacement, int size, boolean write) {
        addressToRax(base, displacement);
        pageFlags(size);
        if (write) {
            emit(Opcode.AND, DWORD, RCX, new Immediate(3));
            emit(Opcode.CMP, DWORD, RCX, new Immediate(3));
            return Condition.E;
        }
        emit(Opcode.TEST, BYTE, RCX, new Immediate(1));
        return Condition.NE;
    }

    /** Puts the plugin address {@code base + displacement}, wrapped at 2^32, in EAX. */
    private void addressToRax(VReg base, int displacement) {
        if (base == null) {
            emit(Opcode.MOV, DWORD, RAX, new Immediate(displacement));
        } else if (displacement == 0) {
            emit(Opcode.MOV, DWORD, RAX, v(base));
        } else {
            // A 32-bit lea wraps the address at 2^32, as plugin pointer arithmetic does.
            emit(Opcode.LEA, DWORD, RAX, Memory.at(v(base), displacement));
        }
    }

    /**
     * Puts in ECX the flags that the pages of the first and the last byte of the {@code size}
     * bytes at the plugin address in EAX have in common.
     */
    private void pageFlags(int size) {
        emit(Opcode.MOV, DWORD, RCX, RAX);
        emit(Opcode.SHR, DWORD, RCX, new Immediate(AddressSpace.PAGE_SHIFT));
        emit(Opcode.MOVZX, DWORD, BYTE, RCX, new Memory(PAGE_TABLE, RCX, 1, 0));
        if (size > 1) {
            // The last byte's page, computed in 64 bits: it is page 2^20 for an access that crosses
            // 2^32, the extra entry of the page table, which is never present.
            emit(Opcode.LEA, QWORD, RDX, Memory.at(RAX, size - 1));
            emit(Opcode.SHR, QWORD, RDX, new Immediate(AddressSpace.PAGE_SHIFT));
            emit(Opcode.AND, BYTE, RCX, new Memory(PAGE_TABLE, RDX, 1, 0));
        }
    }

    /**
     * Checks the range that a group of loads through one base covers ({@link AccessGroups}) with
     * one page-table check. If it fails, the code that follows repeats each load's own check in
     * program order, so the first failing load faults as it would have without the merge. If none
     * fails, it rejoins the fast path, and the loads themselves are then selected without a check.
     * Store groups take {@link #storeGroup} instead, because a store before the faulting one must
     * still write.
     */
    private void mergedCheck(List<Instr> group) {
        AccessGroups.Range range = AccessGroups.range(group);
        MachineLabel passed = newLabel("merged check passed");
        jcc(testPages(range.base(), (int) range.start(), (int) (range.end() - range.start()), false), passed);
        for (Instr member : group) {
            // A later member's base may not be computed yet, but it has the first member's value.
            Instr.Load load = (Instr.Load) member;
            access(range.base(), load.displacement(), load.size(), true, false, load.site());
        }
        bind(passed);
    }

    /**
     * Selects the instructions from {@code first} to the group's last store twice and returns the
     * index of that store. One page-table check covers the group's range. If it passes, the copy
     * with unchecked stores runs. If it fails, the copy in which each store has its own check runs,
     * so the stores before the faulting one still write memory, as in the Truffle tier, and the
     * arithmetic between them is the same in both copies.
     */
    private int storeGroup(Block block, List<Instr> instructions, int first, List<Instr> group) {
        int last = first;
        while (instructions.get(last) != group.getLast()) {
            last++;
        }
        Set<Instr> members = Collections.newSetFromMap(new IdentityHashMap<>());
        members.addAll(group);

        AccessGroups.Range range = AccessGroups.range(group);
        MachineLabel passed = newLabel("merged check passed");
        MachineLabel done = newLabel("store group done");
        jcc(testPages(range.base(), (int) range.start(), (int) (range.end() - range.start()), true), passed);

        // The copy for a failed check: every store checks its own bytes.
        for (int i = first; i <= last; i++) {
            location = block.location(i);
            select(instructions.get(i));
        }
        jmp(done);

        // The copy for a passed check: the group's stores go unchecked.
        bind(passed);
        for (int i = first; i <= last; i++) {
            location = block.location(i);
            Instr instruction = instructions.get(i);
            if (members.contains(instruction)) {
                selectMerged(instruction);
            } else {
                select(instruction);
            }
        }
        bind(done);
        return last;
    }

    /** Selects a member of a group whose range {@link #mergedCheck} has checked: the access without its own check. */
    private void selectMerged(Instr instruction) {
        switch (instruction) {
            case Instr.Load l -> {
                addressToRax(l.base(), l.displacement());
                loadFrom(l, new Memory(MEMORY_BASE, RAX, 1, 0), null);
            }
            case Instr.Store st -> {
                addressToRax(st.base(), st.displacement());
                storeTo(st, new Memory(MEMORY_BASE, RAX, 1, 0), null);
            }
            default -> select(instruction);
        }
    }

    /**
     * Sets the result to 1 when the plugin address range {@code [first, last]} lies in the 32-bit
     * space and every page it touches has the read flag, and the write flag too for a write, else
     * to 0. It walks the page table from the first page to the last in RAX and RDX.
     */
    private void pagesAllowed(Instr.PagesAllowed a) {
        if (mode == CodeMode.HARDWARE) {
            throw new IllegalStateException(function.name() + "() contains a page-table walk of loop versioning, which "
                            + CodeMode.HARDWARE + " code cannot do; lower the program with CodeMode.HARDWARE, whose loop"
                            + " versioning walks no page table");
        }
        MachineLabel fail = newLabel("pages not allowed");
        MachineLabel next = newLabel("next page");
        MachineLabel done = newLabel("pages checked");
        int flags = a.write() ? 3 : 1;
        emit(Opcode.MOV, QWORD, RAX, operand(a.first()));
        emit(Opcode.MOV, QWORD, RDX, operand(a.last()));
        // Unsigned, so a negative first address counts as above the last.
        emit(Opcode.CMP, QWORD, RAX, RDX);
        jcc(Condition.A, fail);
        emit(Opcode.MOV, QWORD, RCX, RDX);
        emit(Opcode.SHR, QWORD, RCX, new Immediate(32));
        jcc(Condition.NE, fail);
        emit(Opcode.SHR, QWORD, RAX, new Immediate(AddressSpace.PAGE_SHIFT));
        emit(Opcode.SHR, QWORD, RDX, new Immediate(AddressSpace.PAGE_SHIFT));
        bind(next);
        emit(Opcode.MOVZX, DWORD, BYTE, RCX, new Memory(PAGE_TABLE, RAX, 1, 0));
        emit(Opcode.AND, DWORD, RCX, new Immediate(flags));
        emit(Opcode.CMP, DWORD, RCX, new Immediate(flags));
        jcc(Condition.NE, fail);
        emit(Opcode.ADD, QWORD, RAX, new Immediate(1));
        emit(Opcode.CMP, QWORD, RAX, RDX);
        jcc(Condition.BE, next);
        emit(Opcode.MOV, DWORD, v(a.dst()), new Immediate(1));
        jmp(done);
        bind(fail);
        emit(Opcode.MOV, DWORD, v(a.dst()), new Immediate(0));
        bind(done);
    }

    /**
     * Takes the steps of a versioned loop from the budget, or sets the result to 0 and takes none:
     * see {@link Instr.BudgetReserve}. The steps are in RAX while it compares them.
     */
    private void budgetReserve(Instr.BudgetReserve r) {
        MachineLabel rejected = newLabel("budget not reserved");
        MachineLabel reserved = newLabel("budget reserved");
        MachineLabel done = newLabel("budget decided");
        if (r.allowed() instanceof VReg allowed) {
            emit(Opcode.CMP, DWORD, v(allowed), new Immediate(0));
            jcc(Condition.E, rejected);
        } else if (((Imm) r.allowed()).value() == 0) {
            jmp(rejected);
        }
        emit(Opcode.MOV, QWORD, RAX, operand(r.steps()));
        emit(Opcode.CMP, QWORD, RAX, new Immediate(r.maxSteps()));
        jcc(Condition.G, rejected);
        emit(Opcode.CMP, QWORD, RAX, new Immediate(0));
        jcc(Condition.LE, reserved);
        // Signed: a timed-out call has a negative counter, which no positive count fits.
        emit(Opcode.CMP, QWORD, Memory.at(CONTEXT, RuntimeAbi.BUDGET), RAX);
        jcc(Condition.L, rejected);
        emit(Opcode.SUB, QWORD, Memory.at(CONTEXT, RuntimeAbi.BUDGET), RAX);
        bind(reserved);
        emit(Opcode.MOV, DWORD, v(r.dst()), new Immediate(1));
        jmp(done);
        bind(rejected);
        emit(Opcode.MOV, DWORD, v(r.dst()), new Immediate(0));
        bind(done);
    }

    /**
     * Zeroes an object in the function's frame: 8-byte stores, then the rest, or a loop for a large
     * object. The loop keeps the plugin address in RDX and stores through {@code [r15 + rdx]}, so
     * every store has R15 as its base in both modes.
     */
    private void zeroFill(Instr.ZeroFill z) {
        int size = z.size();
        int offset = z.displacement();
        MachineOperand base = v(z.base());
        int words = size / 8;
        if (words > 16) {
            // The frame base is a zero-extended 32-bit address and the object lies in the frame, so the sum does not wrap.
            emit(Opcode.LEA, QWORD, RDX, Memory.at(base, offset));
            emit(Opcode.MOV, DWORD, RCX, new Immediate(words));
            MachineLabel loop = newLabel("zero fill");
            bind(loop);
            emitFaulting(hardwareAccess(true, 8, null), Opcode.MOV, QWORD, null, new Memory(MEMORY_BASE, RDX, 1, 0),
                            new Immediate(0));
            emit(Opcode.ADD, QWORD, RDX, new Immediate(8));
            emit(Opcode.SUB, DWORD, RCX, new Immediate(1));
            jcc(Condition.NE, loop);
            base = RDX;
            offset = -words * 8;
        } else {
            for (int i = 0; i < words; i++) {
                emitFaulting(hardwareAccess(true, 8, null), Opcode.MOV, QWORD, null,
                                new Memory(MEMORY_BASE, base, 1, offset + 8 * i), new Immediate(0));
            }
        }
        int done = words * 8;
        while (done < size) {
            int left = size - done;
            int chunk = 1;
            if (left >= 4) {
                chunk = 4;
            } else if (left >= 2) {
                chunk = 2;
            }
            emitFaulting(hardwareAccess(true, chunk, null), Opcode.MOV, sizeOfBytes(chunk), null,
                            new Memory(MEMORY_BASE, base, 1, offset + done), new Immediate(0));
            done += chunk;
        }
    }

    // ---- Calls ----

    private void budgetStep(Site site) {
        emit(Opcode.SUB, QWORD, Memory.at(CONTEXT, RuntimeAbi.BUDGET), new Immediate(1));
        faultJump(Condition.S, stub(FaultStub.Reason.WATCHDOG, site));
    }

    /** Faults at {@code site} when {@code bytes} below {@code stackPointer} reach below the bottom of the plugin stack. */
    private void stackCheck(VReg stackPointer, int bytes, Site site) {
        emit(Opcode.LEA, DWORD, RAX, Memory.at(v(stackPointer), -bytes));
        emit(Opcode.CMP, DWORD, RAX, new Immediate(PluginLayout.STACK_BOTTOM));
        faultJump(Condition.L, stub(FaultStub.Reason.STACK_OVERFLOW, site));
    }

    /**
     * Selects a call of a plugin function: the budget step, the plugin stack check, the stack
     * pointer and arguments in the outgoing area, the call, and the result from RAX, in the Truffle
     * tier's order.
     */
    private void call(Instr.Call c) {
        if (program.budgetEnabled()) {
            budgetStep(c.site());
        }
        Integer calleeFrameSize = frameSizes.get(c.callee());
        if (calleeFrameSize == null) {
            throw new IllegalStateException("call of '" + c.callee() + "', which the program does not define");
        }
        stackCheck(c.stackPointer(), c.argumentAreaSize() + calleeFrameSize, c.site());

        passStackPointer(c.stackPointer(), c.argumentAreaSize(), c.arguments(), c.site());
        List<Operand> arguments = c.arguments();
        for (int i = 0; i < arguments.size(); i++) {
            Operand argument = arguments.get(i);
            emit(Opcode.MOV, size(argument.width()), Memory.at(RSP, 8 * (i + 1)), operand(argument));
        }
        outgoingAreaBytes = Math.max(outgoingAreaBytes, 8 * (arguments.size() + 1));
        // The stub names the call site, where a native stack overflow in the callee's prologue is reported.
        FaultStub calleeOverflow = stub(FaultStub.Reason.NATIVE_STACK_OVERFLOW, c.site());
        current.instructions().add(new MachineInstr(Opcode.CALL, null, null, List.of(), null, null, c.callee(),
                        calleeOverflow, location));
        if (c.dst() != null) {
            emit(Opcode.MOV, size(c.dst()), v(c.dst()), RAX);
        }
    }

    /**
     * Selects a call through a function pointer. The token in EAX is checked against the function
     * table (spacing, range, signature), then RDX and RCX address the entry: a plugin function is
     * called through the entry's code address with the budget step and a stack check against the
     * entry's frame size, and a host function through the upcall of {@code hostCall}.
     */
    private void indirectCall(Instr.IndirectCall c) {
        FaultStub invalid = new FaultStub(FaultStub.Reason.INVALID_FUNCTION_POINTER, function.name(), c.site(), 0, ' ',
                        false, c.callType());
        FaultStub mismatch = new FaultStub(FaultStub.Reason.FUNCTION_TYPE_MISMATCH, function.name(), c.site(), 0, ' ',
                        false, c.callType());
        MachineLabel hostFunction = newLabel("host function");
        MachineLabel done = newLabel("indirect call done");

        emit(Opcode.MOV, DWORD, RAX, operand(c.pointer()));
        emit(Opcode.MOV, DWORD, RCX, RAX);
        emit(Opcode.SUB, DWORD, RCX, new Immediate(FunctionTable.FIRST_TOKEN));
        emit(Opcode.TEST, DWORD, RCX, new Immediate(FunctionTable.TOKEN_SPACING - 1));
        faultJump(Condition.NE, invalid);
        emit(Opcode.SHR, DWORD, RCX, new Immediate(Integer.numberOfTrailingZeros(FunctionTable.TOKEN_SPACING)));
        emit(Opcode.CMP, DWORD, RCX, new Immediate(c.tableSize()));
        faultJump(Condition.AE, invalid);
        emit(Opcode.SHL, DWORD, RCX, new Immediate(Integer.numberOfTrailingZeros(RuntimeAbi.TABLE_ENTRY_BYTES)));
        emit(Opcode.MOV, QWORD, RDX, Memory.at(CONTEXT, RuntimeAbi.FUNCTION_TABLE));
        emit(Opcode.CMP, DWORD, new Memory(RDX, RCX, 1, 0), new Immediate(c.signature()));
        faultJump(Condition.NE, mismatch);
        emit(Opcode.CMP, QWORD, new Memory(RDX, RCX, 1, 8), new Immediate(0));
        jcc(Condition.E, hostFunction);

        // A plugin function, as a direct call: budget, plugin stack check with the entry's frame size, call.
        if (program.budgetEnabled()) {
            budgetStep(c.site());
        }
        emit(Opcode.LEA, DWORD, RAX, Memory.at(v(c.stackPointer()), -c.argumentAreaSize()));
        emit(Opcode.SUB, DWORD, RAX, new Memory(RDX, RCX, 1, 4));
        emit(Opcode.CMP, DWORD, RAX, new Immediate(PluginLayout.STACK_BOTTOM));
        faultJump(Condition.L, stub(FaultStub.Reason.STACK_OVERFLOW, c.site()));
        passStackPointer(c.stackPointer(), c.argumentAreaSize(), c.arguments(), c.site());
        List<Operand> arguments = c.arguments();
        for (int i = 0; i < arguments.size(); i++) {
            Operand argument = arguments.get(i);
            emit(Opcode.MOV, size(argument.width()), Memory.at(RSP, 8 * (i + 1)), operand(argument));
        }
        outgoingAreaBytes = Math.max(outgoingAreaBytes, 8 * (arguments.size() + 1));
        current.instructions().add(new MachineInstr(Opcode.CALL_INDIRECT, QWORD, null, List.of(new Memory(RDX, RCX, 1, 8)),
                        null, null, null, stub(FaultStub.Reason.NATIVE_STACK_OVERFLOW, c.site()), location));
        jmp(done);

        bind(hostFunction);
        Instr.HostCall host = c.hostCall();
        hostCall(new Instr.HostCall(null, host.index(), host.target(), host.arguments(), host.site()));
        bind(done);
        if (c.dst() != null) {
            emit(Opcode.MOV, size(c.dst()), v(c.dst()), RAX);
        }
    }

    /**
     * Stores the callee's plugin stack pointer in the outgoing area. That is the caller's frame
     * base, or for a variadic callee the start of the argument area below it, after every argument
     * is written there as an i386 caller pushes them (4-byte slots, 8 bytes for a long long). The
     * stack check before has made sure the area lies in the plugin stack, so the stores need no check.
     * In {@link CodeMode#HARDWARE} they are still plugin memory accesses, named by the call's {@code site}.
     */
    private void passStackPointer(VReg frameBase, int argumentAreaSize, List<Operand> arguments, Site site) {
        if (argumentAreaSize == 0) {
            emit(Opcode.MOV, DWORD, Memory.at(RSP, 0), v(frameBase));
            return;
        }
        int offset = -argumentAreaSize;
        for (Operand argument : arguments) {
            emitFaulting(hardwareAccess(true, argument.width().bytes, site), Opcode.MOV, size(argument.width()), null,
                            new Memory(MEMORY_BASE, v(frameBase), 1, offset), operand(argument));
            offset += argument.width().bytes;
        }
        emit(Opcode.LEA, DWORD, RAX, Memory.at(v(frameBase), -argumentAreaSize));
        emit(Opcode.MOV, DWORD, Memory.at(RSP, 0), RAX);
    }

    /**
     * Selects a call of the host. The arguments go to the outgoing area and the caller-saved allocatable
     * registers are pushed. The upcall gets the context, the host call's index and the arguments'
     * address, and the code unwinds when the host side ended with a fault or an exception.
     */
    private void hostCall(Instr.HostCall h) {
        List<Operand> arguments = h.arguments();
        for (int i = 0; i < arguments.size(); i++) {
            Operand argument = arguments.get(i);
            emit(Opcode.MOV, size(argument.width()), Memory.at(RSP, 8 * i), operand(argument));
        }
        outgoingAreaBytes = Math.max(outgoingAreaBytes, 8 * arguments.size());
        for (Register saved : RuntimeAbi.SAVED_AROUND_UPCALL) {
            emit(Opcode.PUSH, QWORD, new Physical(saved));
        }
        emit(Opcode.MOV, QWORD, new Physical(Register.RDI), CONTEXT);
        emit(Opcode.MOV, DWORD, new Physical(Register.RSI), new Immediate(h.index()));
        emit(Opcode.LEA, QWORD, RDX, Memory.at(RSP, 8 * RuntimeAbi.SAVED_AROUND_UPCALL.size()));
        emit(Opcode.CALL_INDIRECT, QWORD, Memory.at(CONTEXT, RuntimeAbi.UPCALL));
        for (Register saved : RuntimeAbi.SAVED_AROUND_UPCALL.reversed()) {
            emit(Opcode.POP, QWORD, new Physical(saved));
        }
        emit(Opcode.CMP, DWORD, Memory.at(CONTEXT, RuntimeAbi.UNWIND), new Immediate(0));
        faultJump(Condition.NE, stub(FaultStub.Reason.UNWIND, h.site()));
        if (h.dst() != null) {
            emit(Opcode.MOV, size(h.dst()), v(h.dst()), RAX);
        }
    }

    // ---- Control flow ----

    private void jump(Block target) {
        current.instructions().add(new MachineInstr(Opcode.JMP, null, null, List.of(), null, blocks.get(target).label(),
                        null, null, location));
    }

    private void branch(Instr.Branch b) {
        Cond cond = b.cond();
        Operand left = b.left();
        Operand right = b.right();
        if (left instanceof Imm a && right instanceof Imm c) {
            jump(holds(cond, a.value(), c.value()) ? b.ifTrue() : b.ifFalse());
            return;
        }
        if (left instanceof Imm) {
            left = b.right();
            right = b.left();
            cond = cond.swap();
        }
        if (right instanceof Imm zero && zero.value() == 0 && (cond == Cond.EQ || cond == Cond.NE)) {
            emit(Opcode.TEST, size(left.width()), operand(left), operand(left));
        } else {
            emit(Opcode.CMP, size(left.width()), operand(left), operand(right));
        }
        jcc(condition(cond), blocks.get(b.ifTrue()).label());
        jump(b.ifFalse());
    }

    private static Condition condition(Cond cond) {
        return switch (cond) {
            case EQ -> Condition.E;
            case NE -> Condition.NE;
            case LT -> Condition.L;
            case LE -> Condition.LE;
            case GT -> Condition.G;
            case GE -> Condition.GE;
            case ULT -> Condition.B;
            case ULE -> Condition.BE;
            case UGT -> Condition.A;
            case UGE -> Condition.AE;
        };
    }

    // ---- Helpers ----

    private FaultStub stub(FaultStub.Reason reason, Site site) {
        return new FaultStub(reason, owner(site), site, 0, ' ', false);
    }

    /** Returns the function whose root node reports a fault at {@code site}: the callee for inlined code. */
    private String owner(Site site) {
        return site == null ? function.name() : site.function();
    }

    private void emit(Opcode opcode, OperandSize size, MachineOperand... operands) {
        current.instructions().add(new MachineInstr(opcode, size, null, List.of(operands), null, null, null, null, location));
    }

    private void emit(Opcode opcode, OperandSize size, OperandSize sourceSize, MachineOperand... operands) {
        current.instructions().add(new MachineInstr(opcode, size, sourceSize, List.of(operands), null, null, null, null,
                        location));
    }

    /**
     * Adds an instruction that can fault for the plugin in {@link CodeMode#HARDWARE}: a plugin
     * memory access or a division. {@code stub} is what its fault reports, null in
     * {@link CodeMode#CHECKED}.
     */
    private void emitFaulting(FaultStub stub, Opcode opcode, OperandSize size, OperandSize sourceSize,
                    MachineOperand... operands) {
        current.instructions().add(new MachineInstr(opcode, size, sourceSize, List.of(operands), null, null, null, stub,
                        location));
    }

    private void emit(Opcode opcode, OperandSize size, Condition condition, MachineOperand operand) {
        current.instructions().add(new MachineInstr(opcode, size, null, List.of(operand), condition, null, null, null,
                        location));
    }

    private void jmp(MachineLabel target) {
        current.instructions().add(new MachineInstr(Opcode.JMP, null, null, List.of(), null, target, null, null, location));
    }

    private void jcc(Condition condition, MachineLabel target) {
        current.instructions().add(new MachineInstr(Opcode.JCC, null, null, List.of(), condition, target, null, null,
                        location));
    }

    private void bind(MachineLabel label) {
        current.instructions().add(new MachineInstr(Opcode.BIND, null, null, List.of(), null, label, null, null, location));
    }

    private void faultJump(Condition condition, FaultStub stub) {
        current.instructions().add(new MachineInstr(Opcode.FAULT_JUMP, null, null, List.of(), condition, null, null, stub,
                        location));
    }

    private MachineLabel newLabel(String purpose) {
        return new MachineLabel(function.name() + "." + purpose.replace(' ', '_') + "." + internalLabels++);
    }

    private static Virtual v(VReg register) {
        return new Virtual(register);
    }

    private static MachineOperand operand(Operand operand) {
        return switch (operand) {
            case VReg register -> new Virtual(register);
            case Imm constant -> new Immediate(constant.value());
        };
    }

    private static OperandSize size(VReg register) {
        return size(register.width());
    }

    private static OperandSize size(Width width) {
        return width == Width.I64 ? QWORD : DWORD;
    }

    private static OperandSize sizeOfBytes(int bytes) {
        return switch (bytes) {
            case 1 -> BYTE;
            case 2 -> WORD;
            case 4 -> DWORD;
            default -> QWORD;
        };
    }
}
