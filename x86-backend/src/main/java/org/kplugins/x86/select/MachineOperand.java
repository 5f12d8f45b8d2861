// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

import org.kplugins.x86.asm.Register;
import org.kplugins.x86.asm.XmmRegister;
import org.kplugins.x86.ir.VReg;

/** An operand of a {@link MachineInstr}: a virtual or physical register, an XMM register, an immediate, or memory. */
public sealed interface MachineOperand {

    /** A virtual register, which the allocator replaces by a register or a spill slot. */
    record Virtual(VReg register) implements MachineOperand {
        @Override
        public String toString() {
            return register.toString();
        }
    }

    /** A physical register that the instruction pattern needs (a scratch or a reserved register). */
    record Physical(Register register) implements MachineOperand {
        @Override
        public String toString() {
            return register.toString();
        }
    }

    /** An XMM register, which only instruction patterns use: the allocator assigns none. */
    record Xmm(XmmRegister register) implements MachineOperand {
        @Override
        public String toString() {
            return register.text();
        }
    }

    record Immediate(long value) implements MachineOperand {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /**
     * Memory at {@code base + index * scale + displacement}. Base and index are {@link Virtual} or
     * {@link Physical} or null, and at most one of them is virtual, so that the emitter needs one
     * scratch register when that one is spilled.
     */
    record Memory(MachineOperand base, MachineOperand index, int scale, int displacement) implements MachineOperand {

        public Memory {
            if (base instanceof Virtual && index instanceof Virtual) {
                throw new IllegalArgumentException("memory operand with two virtual registers: " + base + " and " + index);
            }
        }

        public static Memory at(MachineOperand base, int displacement) {
            return new Memory(base, null, 1, displacement);
        }

        @Override
        public String toString() {
            return "[" + base + (index == null ? "" : "+" + index + "*" + scale) + "+" + displacement + "]";
        }
    }

    static Virtual of(VReg register) {
        return new Virtual(register);
    }

    static Physical of(Register register) {
        return new Physical(register);
    }
}
