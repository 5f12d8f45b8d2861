// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.regalloc;

import java.util.List;
import org.kplugins.x86.asm.Register;
import org.kplugins.x86.ir.VReg;

/**
 * The location of each virtual register of a function: {@code registers[id]}, or spill slot
 * {@code slots[id]} of the native frame when the register is null. Slots are 8 bytes each and
 * numbered from 0. {@code usedRegisters} lists the allocatable registers the function writes,
 * which its prologue saves.
 */
public record Allocation(Register[] registers, int[] slots, int slotCount, List<Register> usedRegisters) {

    /** Returns the register of {@code register}, or null when it is spilled. */
    public Register registerOf(VReg register) {
        return registers[register.id()];
    }

    /** Returns the spill slot of {@code register}, or -1 when it has a register. */
    public int slotOf(VReg register) {
        return slots[register.id()];
    }
}
