// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.emit;

import java.util.ArrayList;
import java.util.List;
import org.kplugins.x86.asm.Register;
import org.kplugins.x86.ir.IrFunction;
import org.kplugins.x86.ir.IrProgram;
import org.kplugins.x86.regalloc.Allocation;
import org.kplugins.x86.regalloc.LinearScan;
import org.kplugins.x86.select.CodeMode;
import org.kplugins.x86.select.InstructionSelector;
import org.kplugins.x86.select.MachineFunction;

/** The back end after lowering: instruction selection, register allocation and emission of a whole program. */
public final class X86Compiler {

    private X86Compiler() {
    }

    /** Compiles {@code program} to machine code in {@link CodeMode#CHECKED}. */
    public static NativeCode compile(IrProgram program, List<Register> registers) {
        return compile(program, registers, CodeMode.CHECKED);
    }

    /**
     * Compiles {@code program} to machine code in {@code mode}.
     *
     * @param registers the registers the allocator may use, normally
     *                  {@link org.kplugins.x86.select.RuntimeAbi#ALLOCATABLE}; tests pass fewer to
     *                  force spills
     * @param mode      the checks the code carries; the program must have been lowered in the
     *                  same mode ({@link org.kplugins.x86.lower.ProgramLowering#lower})
     * @throws IllegalStateException in {@link CodeMode#HARDWARE} if the program was lowered for
     *                               {@link CodeMode#CHECKED}, whose loop versioning walks the
     *                               page table
     */
    public static NativeCode compile(IrProgram program, List<Register> registers, CodeMode mode) {
        List<MachineFunction> functions = new ArrayList<>();
        List<Allocation> allocations = new ArrayList<>();
        for (IrFunction function : program.functions()) {
            MachineFunction machine = InstructionSelector.select(program, function, mode);
            functions.add(machine);
            allocations.add(LinearScan.allocate(machine, registers));
        }
        return CodeEmitter.emit(functions, allocations, mode);
    }
}
