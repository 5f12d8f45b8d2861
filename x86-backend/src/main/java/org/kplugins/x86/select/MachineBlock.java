// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

import java.util.ArrayList;
import java.util.List;

/** The machine instructions of one IR block, with the label at its start and the blocks it can go to. */
public final class MachineBlock {

    private final MachineLabel label;
    private final List<MachineInstr> instructions = new ArrayList<>();
    private final List<MachineBlock> successors = new ArrayList<>();

    MachineBlock(MachineLabel label) {
        this.label = label;
    }

    public MachineLabel label() {
        return label;
    }

    public List<MachineInstr> instructions() {
        return instructions;
    }

    public List<MachineBlock> successors() {
        return successors;
    }

    @Override
    public String toString() {
        return label.name();
    }
}
