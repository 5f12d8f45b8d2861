// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.emit;

import static org.kplugins.x86.asm.OperandSize.DWORD;
import static org.kplugins.x86.asm.OperandSize.QWORD;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.x86.asm.AluOperation;
import org.kplugins.x86.asm.Condition;
import org.kplugins.x86.asm.Label;
import org.kplugins.x86.asm.Memory;
import org.kplugins.x86.asm.OperandSize;
import org.kplugins.x86.asm.Register;
import org.kplugins.x86.asm.ScalarOperation;
import org.kplugins.x86.asm.Segment;
import org.kplugins.x86.asm.ShiftOperation;
import org.kplugins.x86.asm.XmmRegister;
import org.kplugins.x86.ir.VReg;
import org.kplugins.x86.ir.Width;
import org.kplugins.x86.regalloc.Allocation;
import org.kplugins.x86.select.CodeMode;
import org.kplugins.x86.select.FaultStub;
import org.kplugins.x86.select.MachineBlock;
import org.kplugins.x86.select.MachineFunction;
import org.kplugins.x86.select.MachineInstr;
import org.kplugins.x86.select.MachineLabel;
import org.kplugins.x86.select.MachineOperand;
import org.kplugins.x86.select.RuntimeAbi;

/**
 * Encodes the allocated machine functions of one plugin into a single piece of code: the entry
 * trampoline first, then each function with its prologue, body, epilogue and fault stubs.
 *
 * <p>A spilled virtual register is an 8-byte slot below the saved registers in the native frame,
 * {@code [rbp - 8 * (saved + slot + 1)]}. An instruction that cannot take a slot where the
 * allocator put one gets the value through R11, and a spilled base or index of a memory operand is
 * reloaded into R10 first.
 *
 * <p>Native frame of a function, from high to low addresses: the caller's outgoing area (the
 * stack pointer and arguments), the return address, the saved RBP (where RBP points), the saved
 * allocatable registers, the spill slots, and the outgoing area of this function's own calls at
 * RSP. The plugin addresses nothing of it.
 *
 * <p>In {@link CodeMode#HARDWARE} every memory operand with base R15 gets a GS override, and the
 * emitter records the offset of each instruction that carries a stub of its own (a plugin memory
 * access or a division) in {@link NativeCode#hardwareSites()}. That offset is the one of the
 * access itself, after any reload of a spilled address register and before any store of the
 * loaded value into a spill slot.
 */
public final class CodeEmitter {

    private static final Register SCRATCH = Register.R11;
    /**
     * The largest native frame, in bytes, whose prologue compares the stack pointer before the
     * frame grows. The reserve below the native stack limit has room for such a frame.
     */
    private static final int SMALL_NATIVE_FRAME = 4096;
    private static final Register RELOAD = Register.R10;
    /** Length of {@code lea r11, [rip + disp32]}, which starts every stub so that it records its own address. */
    private static final int LEA_RIP_LENGTH = 7;

    /** A location after allocation: a register, a memory operand (a spill slot or plugin memory), or a constant. */
    private sealed interface Location {
    }

    private record InRegister(Register register) implements Location {
    }

    private record InMemory(Memory memory) implements Location {
    }

    private record Constant(long value) implements Location {
    }

    private final ListingAssembler out = new ListingAssembler();
    private final Map<String, Label> functionLabels = new HashMap<>();
    private final Map<Integer, FaultStub> faultStubs = new HashMap<>();
    private final Map<Integer, FaultStub> callReturns = new HashMap<>();
    private final Map<Integer, FaultStub> hardwareSites = new HashMap<>();
    private final CodeMode mode;
    private final List<Map.Entry<Label, FaultStub>> pendingStubs = new ArrayList<>();
    private Label faultExit;

    // State of the function being emitted.
    private Allocation allocation;
    private int savedRegisters;
    private Map<MachineLabel, Label> labels;
    private Label epilogue;

    private CodeEmitter(CodeMode mode) {
        this.mode = mode;
    }

    /** Emits the trampoline and {@code functions}, each with the allocation at the same index, in {@code mode}. */
    public static NativeCode emit(List<MachineFunction> functions, List<Allocation> allocations, CodeMode mode) {
        CodeEmitter emitter = new CodeEmitter(mode);
        for (MachineFunction function : functions) {
            emitter.functionLabels.put(function.ir().name(), emitter.out.newLabel(function.ir().name()));
        }
        int entry = emitter.out.position();
        emitter.trampoline();
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (int i = 0; i < functions.size(); i++) {
            MachineFunction function = functions.get(i);
            offsets.put(function.ir().name(), emitter.out.position());
            emitter.function(function, allocations.get(i));
        }
        return new NativeCode(emitter.out.finish(), entry, offsets, emitter.faultStubs, emitter.callReturns, mode,
                        emitter.hardwareSites);
    }

    /**
     * {@code long enter(context, function, arguments)}, called by the runtime under the System V
     * ABI. It saves the callee-saved registers, loads the three reserved registers from the context,
     * records its RSP for unwinding, copies the argument block ({@code [count, stack pointer,
     * arguments...]}, 8 bytes each) into an outgoing area and calls the function. A fault stub jumps
     * to {@code fault exit}, which stores the stub's address and the faulting address and unwinds.
     */
    private void trampoline() {
        out.locate(null, null);
        Label copy = out.newLabel("copy arguments");
        Label call = out.newLabel("call function");
        Label leave = out.newLabel("leave");
        faultExit = out.newLabel("fault exit");

        out.push(Register.RBP);
        out.mov(QWORD, Register.RBP, Register.RSP);
        for (Register saved : List.of(Register.RBX, Register.R12, Register.R13, Register.R14, Register.R15)) {
            out.push(saved);
        }
        // The outer entry's RSP, for an entry made from an upcall; it also aligns RSP to 16 bytes.
        out.mov(QWORD, SCRATCH, Memory.at(Register.RDI, RuntimeAbi.ENTRY_RSP));
        out.push(SCRATCH);
        out.mov(QWORD, RuntimeAbi.CONTEXT_REGISTER, Register.RDI);
        out.mov(QWORD, RuntimeAbi.MEMORY_BASE_REGISTER, Memory.at(RuntimeAbi.CONTEXT_REGISTER, RuntimeAbi.MEMORY_BASE));
        out.mov(QWORD, RuntimeAbi.PAGE_TABLE_REGISTER, Memory.at(RuntimeAbi.CONTEXT_REGISTER, RuntimeAbi.PAGE_TABLE));
        out.mov(QWORD, Memory.at(RuntimeAbi.CONTEXT_REGISTER, RuntimeAbi.ENTRY_RSP), Register.RSP);

        out.mov(QWORD, Register.RCX, Memory.at(Register.RDX, 0));
        out.lea(QWORD, Register.RAX, Memory.indexed(Register.RCX, 8, 15));
        out.alu(AluOperation.AND, QWORD, Register.RAX, -16);
        out.alu(AluOperation.SUB, QWORD, Register.RSP, Register.RAX);
        out.alu(AluOperation.XOR, DWORD, Register.RAX, Register.RAX);
        out.bind(copy);
        out.alu(AluOperation.CMP, QWORD, Register.RAX, Register.RCX);
        out.jcc(Condition.AE, call);
        out.mov(QWORD, SCRATCH, Memory.at(Register.RDX, Register.RAX, 8, 8));
        out.mov(QWORD, Memory.at(Register.RSP, Register.RAX, 8, 0), SCRATCH);
        out.alu(AluOperation.ADD, QWORD, Register.RAX, 1);
        out.jmp(copy);
        out.bind(call);
        out.call(Register.RSI);
        out.bind(leave);
        out.mov(QWORD, Register.RSP, Memory.at(RuntimeAbi.CONTEXT_REGISTER, RuntimeAbi.ENTRY_RSP));
        out.pop(SCRATCH);
        out.mov(QWORD, Memory.at(RuntimeAbi.CONTEXT_REGISTER, RuntimeAbi.ENTRY_RSP), SCRATCH);
        for (Register saved : List.of(Register.R15, Register.R14, Register.R13, Register.R12, Register.RBX)) {
            out.pop(saved);
        }
        out.pop(Register.RBP);
        out.ret();

        out.bind(faultExit);
        out.mov(QWORD, Memory.at(RuntimeAbi.CONTEXT_REGISTER, RuntimeAbi.FAULT_PC), SCRATCH);
        out.mov(QWORD, Memory.at(RuntimeAbi.CONTEXT_REGISTER, RuntimeAbi.FAULT_ADDRESS), Register.RAX);
        out.jmp(leave);
    }

    private void function(MachineFunction function, Allocation functionAllocation) {
        String name = function.ir().name();
        allocation = functionAllocation;
        savedRegisters = allocation.usedRegisters().size();
        labels = new IdentityHashMap<>();
        epilogue = out.newLabel(name + ".epilogue");
        for (MachineBlock block : function.blocks()) {
            labels.put(block.label(), out.newLabel(block.label().name()));
        }

        int saved = 8 * savedRegisters;
        int total = saved + 8 * allocation.slotCount() + function.outgoingAreaBytes();
        int frame = ((total + 15) & -16) - saved;

        // Prologue: the native stack check comes before the frame grows.
        out.locate(name, function.ir().location());
        out.bind(functionLabels.get(name));
        out.push(Register.RBP);
        out.mov(QWORD, Register.RBP, Register.RSP);
        if (total <= SMALL_NATIVE_FRAME) {
            out.alu(AluOperation.CMP, QWORD, Register.RSP, Memory.at(RuntimeAbi.CONTEXT_REGISTER, RuntimeAbi.NATIVE_STACK_LIMIT));
        } else {
            // A large frame (many call arguments need a large outgoing area) could pass below the
            // limit and past the reserve, so the check compares the stack pointer after the frame.
            out.lea(QWORD, SCRATCH, Memory.at(Register.RSP, -total));
            out.alu(AluOperation.CMP, QWORD, SCRATCH, Memory.at(RuntimeAbi.CONTEXT_REGISTER, RuntimeAbi.NATIVE_STACK_LIMIT));
        }
        Label nativeStack = out.newLabel(name + ".native stack");
        out.jcc(Condition.B, nativeStack);
        pendingStubs.add(Map.entry(nativeStack, new FaultStub(FaultStub.Reason.NATIVE_STACK_OVERFLOW, name, null, 0, ' ',
                        false)));
        for (Register register : allocation.usedRegisters()) {
            out.push(register);
        }
        if (frame > 0) {
            out.alu(AluOperation.SUB, QWORD, Register.RSP, frame);
        }

        List<MachineBlock> blocks = function.blocks();
        for (int b = 0; b < blocks.size(); b++) {
            MachineBlock block = blocks.get(b);
            out.bind(labels.get(block.label()));
            MachineLabel next = b + 1 < blocks.size() ? blocks.get(b + 1).label() : null;
            List<MachineInstr> instructions = block.instructions();
            for (int i = 0; i < instructions.size(); i++) {
                MachineInstr instruction = instructions.get(i);
                out.locate(name, instruction.location());
                if (isBranchAroundNext(instructions, i, next)) {
                    // jcc next; jmp other becomes jcc-not other, falling through to the next block.
                    MachineInstr jump = instructions.get(i + 1);
                    out.jcc(instruction.condition().negate(), label(jump.target()));
                    i++;
                    continue;
                }
                boolean last = b + 1 == blocks.size() && i + 1 == instructions.size();
                instruction(instruction, next, last);
            }
        }

        out.locate(name, null);
        out.bind(epilogue);
        if (savedRegisters > 0) {
            out.lea(QWORD, Register.RSP, Memory.at(Register.RBP, -saved));
        } else {
            out.mov(QWORD, Register.RSP, Register.RBP);
        }
        for (Register register : allocation.usedRegisters().reversed()) {
            out.pop(register);
        }
        out.pop(Register.RBP);
        out.ret();
        stubs();
    }

    /** Emits the function's fault stubs: each records its own address and unwinds through the fault exit. */
    private void stubs() {
        for (Map.Entry<Label, FaultStub> pending : pendingStubs) {
            Label label = pending.getKey();
            FaultStub stub = pending.getValue();
            out.bind(label);
            faultStubs.put(label.position(), stub);
            out.lea(QWORD, SCRATCH, Memory.ripRelative(-LEA_RIP_LENGTH));
            if (stub.reason() == FaultStub.Reason.NATIVE_STACK_OVERFLOW) {
                out.mov(QWORD, Register.RAX, Memory.at(Register.RBP, 8));
                out.mov(QWORD, Memory.at(RuntimeAbi.CONTEXT_REGISTER, RuntimeAbi.FAULT_RETURN_ADDRESS), Register.RAX);
            }
            out.jmp(faultExit);
        }
        pendingStubs.clear();
    }

    // ---- Instructions ----

    private void instruction(MachineInstr instruction, MachineLabel next, boolean last) {
        OperandSize size = instruction.size();
        List<MachineOperand> operands = instruction.operands();
        if (instruction.stub() != null && isHardwareSite(instruction.opcode())) {
            hardwareSite(instruction);
            return;
        }
        switch (instruction.opcode()) {
            case MOV -> move(size, resolve(operands.get(0)), resolve(operands.get(1)));
            case MOVZX32 -> zeroExtend32(resolve(operands.get(0)), resolve(operands.get(1)));
            case MOVZX, MOVSX -> extend(instruction, resolve(operands.get(0)), resolve(operands.get(1)));
            case LEA -> {
                Memory address = ((InMemory) resolve(operands.get(1))).memory();
                withRegisterDestination(size, resolve(operands.get(0)), register -> out.lea(size, register, address));
            }
            case LEA_SUM -> leaSum(size, operands);
            case ADD -> alu(AluOperation.ADD, size, resolve(operands.get(0)), resolve(operands.get(1)));
            case SUB -> alu(AluOperation.SUB, size, resolve(operands.get(0)), resolve(operands.get(1)));
            case AND -> alu(AluOperation.AND, size, resolve(operands.get(0)), resolve(operands.get(1)));
            case OR -> alu(AluOperation.OR, size, resolve(operands.get(0)), resolve(operands.get(1)));
            case XOR -> alu(AluOperation.XOR, size, resolve(operands.get(0)), resolve(operands.get(1)));
            case CMP -> alu(AluOperation.CMP, size, resolve(operands.get(0)), resolve(operands.get(1)));
            case TEST -> test(size, resolve(operands.get(0)), resolve(operands.get(1)));
            case IMUL -> multiply(size, resolve(operands.get(0)), resolve(operands.get(1)));
            case IMUL3 -> {
                Location source = resolve(operands.get(1));
                long factor = ((MachineOperand.Immediate) operands.get(2)).value();
                withRegisterDestination(size, resolve(operands.get(0)), register -> {
                    switch (source) {
                        case InRegister r -> out.imul(size, register, r.register(), factor);
                        case InMemory m -> out.imul(size, register, m.memory(), factor);
                        case Constant c -> throw new IllegalStateException("imul of two constants: " + instruction);
                    }
                });
            }
            case SHL -> shift(ShiftOperation.SHL, size, resolve(operands.get(0)), operands.get(1));
            case SHR -> shift(ShiftOperation.SHR, size, resolve(operands.get(0)), operands.get(1));
            case SAR -> shift(ShiftOperation.SAR, size, resolve(operands.get(0)), operands.get(1));
            case NEG -> {
                switch (resolve(operands.get(0))) {
                    case InRegister r -> out.neg(size, r.register());
                    case InMemory m -> out.neg(size, m.memory());
                    case Constant c -> throw new IllegalStateException("neg of a constant: " + instruction);
                }
            }
            case NOT -> {
                switch (resolve(operands.get(0))) {
                    case InRegister r -> out.not(size, r.register());
                    case InMemory m -> out.not(size, m.memory());
                    case Constant c -> throw new IllegalStateException("not of a constant: " + instruction);
                }
            }
            case SETCC -> out.setcc(instruction.condition(), ((InRegister) resolve(operands.get(0))).register());
            case SIGN_EXTEND_ACCUMULATOR -> out.signExtendAccumulator(size);
            case IDIV, DIV -> {
                boolean signed = instruction.opcode() == org.kplugins.x86.select.Opcode.IDIV;
                switch (resolve(operands.get(0))) {
                    case InRegister r -> {
                        if (signed) {
                            out.idiv(size, r.register());
                        } else {
                            out.div(size, r.register());
                        }
                    }
                    case InMemory m -> {
                        if (signed) {
                            out.idiv(size, m.memory());
                        } else {
                            out.div(size, m.memory());
                        }
                    }
                    case Constant c -> throw new IllegalStateException("division by a constant operand: " + instruction);
                }
            }
            case MOVD_TO_XMM -> out.movd(size, xmm(operands.get(0)), gp(operands.get(1)));
            case MOVD_FROM_XMM -> out.movd(size, gp(operands.get(0)), xmm(operands.get(1)));
            case ADDS -> out.scalar(ScalarOperation.ADD, size, xmm(operands.get(0)), xmm(operands.get(1)));
            case SUBS -> out.scalar(ScalarOperation.SUB, size, xmm(operands.get(0)), xmm(operands.get(1)));
            case MULS -> out.scalar(ScalarOperation.MUL, size, xmm(operands.get(0)), xmm(operands.get(1)));
            case DIVS -> out.scalar(ScalarOperation.DIV, size, xmm(operands.get(0)), xmm(operands.get(1)));
            case UCOMIS -> out.ucomis(size, xmm(operands.get(0)), xmm(operands.get(1)));
            case CVTSI2S -> out.cvtsi2s(size, xmm(operands.get(0)), instruction.sourceSize(), gp(operands.get(1)));
            case CVTTS2SI -> out.cvtts2si(size, gp(operands.get(0)), instruction.sourceSize(), xmm(operands.get(1)));
            case CVTSS2SD -> out.cvtss2sd(xmm(operands.get(0)), xmm(operands.get(1)));
            case CVTSD2SS -> out.cvtsd2ss(xmm(operands.get(0)), xmm(operands.get(1)));
            case JCC -> out.jcc(instruction.condition(), label(instruction.target()));
            case JMP -> {
                if (instruction.target() != next) {
                    out.jmp(label(instruction.target()));
                }
            }
            case BIND -> out.bind(label(instruction.target()));
            case FAULT_JUMP -> {
                Label stub = out.newLabel(instruction.stub().function() + "." + instruction.stub().reason());
                pendingStubs.add(Map.entry(stub, instruction.stub()));
                if (instruction.condition() == null) {
                    out.jmp(stub);
                } else {
                    out.jcc(instruction.condition(), stub);
                }
            }
            case CALL -> {
                out.call(functionLabels.get(instruction.callee()));
                callReturns.put(out.position(), instruction.stub());
            }
            case CALL_INDIRECT -> {
                out.call(((InMemory) resolve(operands.get(0))).memory());
                if (instruction.stub() != null) {
                    // A call of a plugin function through its function pointer.
                    callReturns.put(out.position(), instruction.stub());
                }
            }
            case PUSH -> out.push(((InRegister) resolve(operands.get(0))).register());
            case POP -> out.pop(((InRegister) resolve(operands.get(0))).register());
            case RETURN -> {
                if (!last) {
                    out.jmp(epilogue);
                }
            }
        }
    }

    private static boolean isHardwareSite(org.kplugins.x86.select.Opcode opcode) {
        return switch (opcode) {
            case MOV, MOVZX32, MOVZX, MOVSX, IDIV, DIV -> true;
            default -> false;
        };
    }

    /**
     * Emits a plugin memory access or a division of {@link CodeMode#HARDWARE} code and records the
     * offset of the instruction that can fault. A spilled address register is reloaded, a spilled
     * or 64-bit constant value to store goes to R11, and only then is the offset taken. A value
     * loaded into R11 for a spilled destination is stored after the access.
     */
    private void hardwareSite(MachineInstr instruction) {
        OperandSize size = instruction.size();
        FaultStub stub = instruction.stub();
        List<MachineOperand> operands = instruction.operands();
        switch (instruction.opcode()) {
            case IDIV, DIV -> {
                // The divisor is a register or a spill slot, never plugin memory, so nothing comes before the division.
                Location divisor = resolve(operands.get(0));
                boolean signed = instruction.opcode() == org.kplugins.x86.select.Opcode.IDIV;
                hardwareSites.put(out.position(), stub);
                switch (divisor) {
                    case InRegister r -> {
                        if (signed) {
                            out.idiv(size, r.register());
                        } else {
                            out.div(size, r.register());
                        }
                    }
                    case InMemory m -> {
                        if (signed) {
                            out.idiv(size, m.memory());
                        } else {
                            out.div(size, m.memory());
                        }
                    }
                    case Constant c -> throw new IllegalStateException("division by a constant operand: " + instruction);
                }
            }
            default -> {
                if (operands.get(0) instanceof MachineOperand.Memory target) {
                    store(instruction, target, resolve(operands.get(1)));
                } else {
                    load(instruction, resolve(operands.get(0)), ((InMemory) resolve(operands.get(1))).memory());
                }
            }
        }
    }

    /** Emits a plugin memory load of {@link CodeMode#HARDWARE} code; see {@link #hardwareSite}. */
    private void load(MachineInstr instruction, Location dst, Memory source) {
        OperandSize size = instruction.size();
        org.kplugins.x86.select.Opcode opcode = instruction.opcode();
        withRegisterDestination(size, dst, register -> {
            hardwareSites.put(out.position(), instruction.stub());
            switch (opcode) {
                case MOV -> out.mov(size, register, source);
                // A 32-bit load clears the upper half of the register.
                case MOVZX32 -> out.mov(DWORD, register, source);
                case MOVZX -> out.movzx(size, register, instruction.sourceSize(), source);
                case MOVSX -> out.movsx(size, register, instruction.sourceSize(), source);
                default -> throw new IllegalStateException("not a load: " + instruction);
            }
        });
    }

    /** Emits a plugin memory store of {@link CodeMode#HARDWARE} code; see {@link #hardwareSite}. */
    private void store(MachineInstr instruction, MachineOperand.Memory target, Location value) {
        OperandSize size = instruction.size();
        if (instruction.opcode() != org.kplugins.x86.select.Opcode.MOV) {
            throw new IllegalStateException("not a store: " + instruction);
        }
        if (value instanceof InMemory slot) {
            out.mov(size, SCRATCH, slot.memory());
            value = new InRegister(SCRATCH);
        } else if (value instanceof Constant constant && size == QWORD && constant.value() != (int) constant.value()) {
            out.mov(QWORD, SCRATCH, constant.value());
            value = new InRegister(SCRATCH);
        }
        Memory address = memory(target);
        hardwareSites.put(out.position(), instruction.stub());
        switch (value) {
            case InRegister r -> out.mov(size, address, r.register());
            case Constant c -> out.mov(size, address, c.value());
            case InMemory m -> throw new IllegalStateException("unreachable");
        }
    }

    /** Returns whether instructions i and i + 1 are a jcc to the next block and a jmp elsewhere. */
    private static boolean isBranchAroundNext(List<MachineInstr> instructions, int i, MachineLabel next) {
        if (i + 1 >= instructions.size() || next == null) {
            return false;
        }
        MachineInstr branch = instructions.get(i);
        MachineInstr jump = instructions.get(i + 1);
        return branch.opcode() == org.kplugins.x86.select.Opcode.JCC && branch.target() == next
                        && jump.opcode() == org.kplugins.x86.select.Opcode.JMP && jump.target() != next;
    }

    /** Returns the assembler label of a block or of a label inside an instruction pattern. */
    private Label label(MachineLabel target) {
        return labels.computeIfAbsent(target, label -> out.newLabel(label.name()));
    }

    private void move(OperandSize size, Location dst, Location src) {
        switch (dst) {
            case InRegister d -> {
                switch (src) {
                    case InRegister s -> {
                        if (s.register() != d.register()) {
                            out.mov(size, d.register(), s.register());
                        }
                    }
                    case InMemory s -> out.mov(size, d.register(), s.memory());
                    case Constant s -> out.mov(size, d.register(), s.value());
                }
            }
            case InMemory d -> {
                switch (src) {
                    case InRegister s -> out.mov(size, d.memory(), s.register());
                    case InMemory s -> {
                        out.mov(size, SCRATCH, s.memory());
                        out.mov(size, d.memory(), SCRATCH);
                    }
                    case Constant s -> {
                        if (size == QWORD && s.value() != (int) s.value()) {
                            out.mov(QWORD, SCRATCH, s.value());
                            out.mov(QWORD, d.memory(), SCRATCH);
                        } else {
                            out.mov(size, d.memory(), s.value());
                        }
                    }
                }
            }
            case Constant d -> throw new IllegalStateException("mov to a constant");
        }
    }

    /** Zero-extends 32 bits into a 64-bit location: a 32-bit register write clears the upper half. */
    private void zeroExtend32(Location dst, Location src) {
        if (src instanceof Constant constant) {
            move(QWORD, dst, new Constant(constant.value() & 0xFFFF_FFFFL));
            return;
        }
        withRegisterDestination(QWORD, dst, register -> {
            if (src instanceof InRegister s && s.register() == register) {
                // Not a no-op: a 32-bit mov clears the upper half, which move() would skip.
                out.mov(DWORD, register, register);
            } else {
                move(DWORD, new InRegister(register), src);
            }
        });
    }

    private void extend(MachineInstr instruction, Location dst, Location src) {
        OperandSize size = instruction.size();
        OperandSize from = instruction.sourceSize();
        boolean signed = instruction.opcode() == org.kplugins.x86.select.Opcode.MOVSX;
        withRegisterDestination(size, dst, register -> {
            switch (src) {
                case InRegister s -> {
                    if (signed) {
                        out.movsx(size, register, from, s.register());
                    } else {
                        out.movzx(size, register, from, s.register());
                    }
                }
                case InMemory s -> {
                    if (signed) {
                        out.movsx(size, register, from, s.memory());
                    } else {
                        out.movzx(size, register, from, s.memory());
                    }
                }
                case Constant s -> throw new IllegalStateException("extension of a constant: " + instruction);
            }
        });
    }

    /**
     * Emits {@code lea D, [A + B + displacement]}. A spilled A is reloaded into R10 and a spilled B
     * into R11. The lea reads both before it writes, so R11 may also stand for a spilled D.
     */
    private void leaSum(OperandSize size, List<MachineOperand> operands) {
        Register left = registerOrReload(size, resolve(operands.get(1)), RELOAD);
        Register right = registerOrReload(size, resolve(operands.get(2)), SCRATCH);
        int displacement = (int) ((MachineOperand.Immediate) operands.get(3)).value();
        Memory sum = Memory.at(left, right, 1, displacement);
        withRegisterDestination(size, resolve(operands.get(0)), register -> out.lea(size, register, sum));
    }

    private Register registerOrReload(OperandSize size, Location location, Register reload) {
        return switch (location) {
            case InRegister r -> r.register();
            case InMemory m -> {
                out.mov(size, reload, m.memory());
                yield reload;
            }
            case Constant c -> throw new IllegalStateException("lea of a constant operand: " + c.value());
        };
    }

    /** Runs {@code body} on the destination register, or on R11 followed by a store when the destination is a slot. */
    private void withRegisterDestination(OperandSize size, Location dst, java.util.function.Consumer<Register> body) {
        switch (dst) {
            case InRegister d -> body.accept(d.register());
            case InMemory d -> {
                body.accept(SCRATCH);
                out.mov(size, d.memory(), SCRATCH);
            }
            case Constant d -> throw new IllegalStateException("write to a constant");
        }
    }

    private void alu(AluOperation op, OperandSize size, Location dst, Location src) {
        if (dst instanceof Constant constant) {
            // Only cmp reads a constant first operand; the instruction pattern never writes one.
            out.mov(size, SCRATCH, constant.value());
            dst = new InRegister(SCRATCH);
        }
        if (src instanceof Constant constant && size == QWORD && constant.value() != (int) constant.value()) {
            out.mov(QWORD, SCRATCH, constant.value());
            src = new InRegister(SCRATCH);
        }
        switch (dst) {
            case InRegister d -> {
                switch (src) {
                    case InRegister s -> out.alu(op, size, d.register(), s.register());
                    case InMemory s -> out.alu(op, size, d.register(), s.memory());
                    case Constant s -> out.alu(op, size, d.register(), s.value());
                }
            }
            case InMemory d -> {
                switch (src) {
                    case InRegister s -> out.alu(op, size, d.memory(), s.register());
                    case InMemory s -> {
                        out.mov(size, SCRATCH, s.memory());
                        out.alu(op, size, d.memory(), SCRATCH);
                    }
                    case Constant s -> out.alu(op, size, d.memory(), s.value());
                }
            }
            case Constant d -> throw new IllegalStateException("unreachable");
        }
    }

    private void test(OperandSize size, Location a, Location b) {
        if (a instanceof InMemory && b instanceof InRegister) {
            Location swap = a;
            a = b;
            b = swap;
        }
        if (a instanceof InMemory && b instanceof InMemory m) {
            out.mov(size, SCRATCH, m.memory());
            b = new InRegister(SCRATCH);
        }
        switch (a) {
            case InRegister d -> {
                switch (b) {
                    case InRegister s -> out.test(size, d.register(), s.register());
                    case InMemory s -> out.test(size, s.memory(), d.register());
                    case Constant s -> out.test(size, d.register(), s.value());
                }
            }
            case InMemory d -> {
                switch (b) {
                    case InRegister s -> out.test(size, d.memory(), s.register());
                    case Constant s -> out.test(size, d.memory(), s.value());
                    case InMemory s -> throw new IllegalStateException("unreachable");
                }
            }
            case Constant d -> throw new IllegalStateException("test of a constant");
        }
    }

    private void multiply(OperandSize size, Location dst, Location src) {
        if (dst instanceof InMemory d) {
            out.mov(size, SCRATCH, d.memory());
            multiplyInto(size, SCRATCH, src);
            out.mov(size, d.memory(), SCRATCH);
        } else {
            multiplyInto(size, ((InRegister) dst).register(), src);
        }
    }

    private void multiplyInto(OperandSize size, Register dst, Location src) {
        switch (src) {
            case InRegister s -> out.imul(size, dst, s.register());
            case InMemory s -> out.imul(size, dst, s.memory());
            case Constant s -> {
                if (s.value() == (int) s.value()) {
                    out.imul(size, dst, dst, s.value());
                } else {
                    out.mov(QWORD, RELOAD, s.value());
                    out.imul(size, dst, RELOAD);
                }
            }
        }
    }

    private void shift(ShiftOperation op, OperandSize size, Location dst, MachineOperand count) {
        if (count instanceof MachineOperand.Immediate immediate) {
            int n = (int) immediate.value();
            switch (dst) {
                case InRegister d -> out.shift(op, size, d.register(), n);
                case InMemory d -> out.shift(op, size, d.memory(), n);
                case Constant d -> throw new IllegalStateException("shift of a constant");
            }
        } else {
            switch (dst) {
                case InRegister d -> out.shiftByCl(op, size, d.register());
                case InMemory d -> out.shiftByCl(op, size, d.memory());
                case Constant d -> throw new IllegalStateException("shift of a constant");
            }
        }
    }

    // ---- Operands ----

    private Location resolve(MachineOperand operand) {
        return switch (operand) {
            case MachineOperand.Virtual v -> {
                Register register = allocation.registerOf(v.register());
                yield register != null ? new InRegister(register) : new InMemory(spillSlot(v.register()));
            }
            case MachineOperand.Physical p -> new InRegister(p.register());
            case MachineOperand.Immediate i -> new Constant(i.value());
            case MachineOperand.Memory m -> new InMemory(memory(m));
            case MachineOperand.Xmm x -> throw new IllegalStateException(x + " is not a general-purpose operand");
        };
    }

    /** Returns the XMM register of an SSE instruction's operand; instruction patterns use only fixed ones. */
    private static XmmRegister xmm(MachineOperand operand) {
        return ((MachineOperand.Xmm) operand).register();
    }

    /** Returns the general-purpose register of an SSE instruction's operand, which the patterns make a scratch register. */
    private static Register gp(MachineOperand operand) {
        return ((MachineOperand.Physical) operand).register();
    }

    private Memory spillSlot(VReg register) {
        int slot = allocation.slotOf(register);
        if (slot < 0) {
            throw new IllegalStateException(register + " has neither a register nor a spill slot");
        }
        return Memory.at(Register.RBP, -8 * (savedRegisters + slot + 1));
    }

    /**
     * Returns the memory operand with its registers, reloading a spilled base or index into R10.
     * In {@link CodeMode#HARDWARE} an operand with base R15 gets the GS override.
     */
    private Memory memory(MachineOperand.Memory m) {
        Register base = addressRegister(m.base());
        Register index = addressRegister(m.index());
        Memory memory;
        if (index == null) {
            memory = base == null ? Memory.absolute(m.displacement()) : Memory.at(base, m.displacement());
        } else {
            memory = base == null ? Memory.indexed(index, m.scale(), m.displacement())
                            : Memory.at(base, index, m.scale(), m.displacement());
        }
        if (mode == CodeMode.HARDWARE && base == RuntimeAbi.MEMORY_BASE_REGISTER) {
            memory = memory.withSegment(Segment.GS);
        }
        return memory;
    }

    private Register addressRegister(MachineOperand operand) {
        return switch (operand) {
            case null -> null;
            case MachineOperand.Physical p -> p.register();
            case MachineOperand.Virtual v -> {
                Register register = allocation.registerOf(v.register());
                if (register != null) {
                    yield register;
                }
                // A 32-bit load zero-extends, as every 32-bit write to a register does.
                out.mov(v.register().width() == Width.I64 ? QWORD : DWORD, RELOAD, spillSlot(v.register()));
                yield RELOAD;
            }
            default -> throw new IllegalStateException("not an address register: " + operand);
        };
    }
}
