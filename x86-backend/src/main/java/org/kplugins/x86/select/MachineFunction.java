// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

import java.util.List;
import org.kplugins.x86.ir.IrFunction;

/**
 * A function after instruction selection: its blocks in layout order, the entry first, and the
 * bytes of the outgoing area at the bottom of its native frame, where calls and upcalls put their
 * arguments.
 */
public record MachineFunction(IrFunction ir, List<MachineBlock> blocks, int outgoingAreaBytes) {

    /** Returns the instructions as text, one per line, for tests and debugging. */
    public String render() {
        StringBuilder out = new StringBuilder(ir.name()).append(":\n");
        for (MachineBlock block : blocks) {
            out.append(block).append(":\n");
            for (MachineInstr instruction : block.instructions()) {
                out.append("    ").append(instruction).append('\n');
            }
        }
        return out.toString();
    }
}
