// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

import java.util.ArrayList;
import java.util.List;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.x86.asm.Condition;
import org.kplugins.x86.asm.OperandSize;
import org.kplugins.x86.ir.VReg;

/**
 * One x86-64 instruction whose register operands may still be virtual. {@code size} is the
 * operation size, {@code sourceSize} the source size of movzx and movsx, {@code condition} the
 * condition of jcc, setcc and fault jumps, {@code target} the label of a jump or bind,
 * {@code callee} the function of a call, and {@code stub} the stub of a fault jump. A call's
 * {@code stub} names the call site for a native stack overflow in the callee. In
 * {@link CodeMode#HARDWARE} a plugin memory access (MOV, MOVZX32, MOVZX, MOVSX) or a division
 * (IDIV, DIV) has as {@code stub} what its own fault reports, and no jump goes to that stub.
 * {@code location} is the source location the instruction came from, for the line table.
 */
public record MachineInstr(Opcode opcode, OperandSize size, OperandSize sourceSize, List<MachineOperand> operands,
                Condition condition, MachineLabel target, String callee, FaultStub stub, SourceLocation location) {

    public MachineInstr {
        if (operands.size() != opcode.operandCount()) {
            throw new IllegalArgumentException(opcode + " takes " + opcode.operandCount() + " operands, not "
                            + operands.size() + ": " + operands);
        }
    }

    /** Returns the virtual register the instruction writes, or null. */
    public VReg def() {
        for (int i = 0; i < operands.size(); i++) {
            if (opcode.role(i) != Opcode.Role.USE && operands.get(i) instanceof MachineOperand.Virtual v) {
                return v.register();
            }
        }
        return null;
    }

    /** Returns the virtual registers the instruction reads, including those of memory operands. */
    public List<VReg> uses() {
        List<VReg> uses = new ArrayList<>(2);
        for (int i = 0; i < operands.size(); i++) {
            MachineOperand operand = operands.get(i);
            if (operand instanceof MachineOperand.Virtual v && opcode.role(i) != Opcode.Role.DEF) {
                uses.add(v.register());
            } else if (operand instanceof MachineOperand.Memory m) {
                addVirtual(m.base(), uses);
                addVirtual(m.index(), uses);
            }
        }
        return uses;
    }

    private static void addVirtual(MachineOperand operand, List<VReg> out) {
        if (operand instanceof MachineOperand.Virtual v) {
            out.add(v.register());
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(opcode.name().toLowerCase(java.util.Locale.ROOT));
        if (condition != null) {
            text.append('.').append(condition.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (size != null) {
            text.append(' ').append(size.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!operands.isEmpty()) {
            text.append(' ').append(operands);
        }
        if (target != null) {
            text.append(' ').append(target);
        }
        if (callee != null) {
            text.append(' ').append(callee);
        }
        if (stub != null) {
            text.append(" -> ").append(stub.reason());
        }
        return text.toString();
    }
}
