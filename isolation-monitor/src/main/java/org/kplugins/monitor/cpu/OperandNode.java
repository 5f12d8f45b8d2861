// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.Node;

/**
 * A general-purpose operand of a translated instruction: a register frame slot, an immediate or
 * a memory operand. Values are zero-extended from the access size.
 */
abstract class OperandNode extends Node {

    abstract long read(VirtualFrame frame, CpuState state, int size);

    abstract void write(VirtualFrame frame, CpuState state, int size, long value);

    /** Returns the node of a decoded operand; {@code next} is the code offset after the instruction, for RIP. */
    static OperandNode of(Operand operand, X86Machine machine, int instructionOffset, int next) {
        return switch (operand) {
            case Operand.Gpr g -> new RegisterOperand(g.number(), g.highByte());
            case Operand.Imm i -> new ImmediateOperand(i.value());
            case Operand.Mem m -> new MemoryOperand(m, machine, instructionOffset, next);
            case Operand.Xmm x -> throw new IllegalArgumentException("xmm" + x.number() + " is not a general-purpose operand");
        };
    }

    static final class RegisterOperand extends OperandNode {
        final int number;
        private final boolean highByte;

        RegisterOperand(int number, boolean highByte) {
            this.number = number;
            this.highByte = highByte;
        }

        @Override
        long read(VirtualFrame frame, CpuState state, int size) {
            long value = frame.getLong(number);
            if (highByte) {
                return (value >>> 8) & 0xFF;
            }
            return value & Flags.mask(size);
        }

        @Override
        void write(VirtualFrame frame, CpuState state, int size, long value) {
            writeRegister(frame, number, size, highByte, value);
        }
    }

    /** Writes a register as x86-64 does: a 32-bit write clears the upper half, 8 and 16-bit writes keep the other bits. */
    static void writeRegister(VirtualFrame frame, int number, int size, boolean highByte, long value) {
        switch (size) {
            case 8 -> frame.setLong(number, value);
            case 4 -> frame.setLong(number, value & 0xFFFF_FFFFL);
            case 2 -> frame.setLong(number, (frame.getLong(number) & ~0xFFFFL) | (value & 0xFFFF));
            default -> {
                long old = frame.getLong(number);
                frame.setLong(number, highByte ? (old & ~0xFF00L) | ((value & 0xFF) << 8) : (old & ~0xFFL) | (value & 0xFF));
            }
        }
    }

    static final class ImmediateOperand extends OperandNode {
        private final long value;

        ImmediateOperand(long value) {
            this.value = value;
        }

        @Override
        long read(VirtualFrame frame, CpuState state, int size) {
            return value & Flags.mask(size);
        }

        @Override
        void write(VirtualFrame frame, CpuState state, int size, long newValue) {
            throw new IllegalStateException("write to an immediate");
        }
    }
}
