// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.Node;

/**
 * One translated instruction that does not end its basic block. Registers and flags live in the
 * frame slots of {@link MachineRoot}.
 */
abstract class InstructionNode extends Node {

    /** The value {@link #execute} returns when execution goes on with the next instruction. */
    static final long CONTINUE = -1;

    /** Code-segment offset of the instruction, which its exceptions name. */
    final int offset;

    InstructionNode(int offset) {
        this.offset = offset;
    }

    /**
     * Runs the instruction. Returns {@link #CONTINUE}, or a linear address at which execution
     * continues outside this translated region (only calls return one).
     */
    abstract long execute(VirtualFrame frame, CpuState state);

    // ---- Flags in frame slots ----

    static void setFlags(VirtualFrame frame, long kind, long a, long b, long r) {
        frame.setLong(MachineRoot.FLAG_KIND, kind);
        frame.setLong(MachineRoot.FLAG_A, a);
        frame.setLong(MachineRoot.FLAG_B, b);
        frame.setLong(MachineRoot.FLAG_RESULT, r);
    }

    static void setExplicitFlags(VirtualFrame frame, long flags) {
        setFlags(frame, Flags.kind(Flags.EXPLICIT, 8), 0, 0, flags);
    }

    static long packedFlags(VirtualFrame frame) {
        return Flags.packed(frame.getLong(MachineRoot.FLAG_KIND), frame.getLong(MachineRoot.FLAG_A),
                        frame.getLong(MachineRoot.FLAG_B), frame.getLong(MachineRoot.FLAG_RESULT));
    }

    static boolean condition(VirtualFrame frame, int cc) {
        return Flags.condition(cc, frame.getLong(MachineRoot.FLAG_KIND), frame.getLong(MachineRoot.FLAG_A),
                        frame.getLong(MachineRoot.FLAG_B), frame.getLong(MachineRoot.FLAG_RESULT));
    }

    X86Exception exception(int vector) {
        return new X86Exception(vector, 0, 0, offset, 0, 0, 0);
    }
}
