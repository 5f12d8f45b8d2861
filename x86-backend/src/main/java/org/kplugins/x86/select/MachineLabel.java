// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

/** A jump target in machine code: the start of a block, or a position inside an instruction pattern. */
public final class MachineLabel {

    private final String name;

    public MachineLabel(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
