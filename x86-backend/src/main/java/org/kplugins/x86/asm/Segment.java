// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import java.util.Locale;

/**
 * A segment override of a memory operand. In 64-bit mode the processor ignores the ES, CS, SS and
 * DS overrides and adds the base of FS or GS to the address, so the assembler offers only those
 * two.
 */
public enum Segment {
    FS(0x64),
    GS(0x65);

    private final int prefix;

    Segment(int prefix) {
        this.prefix = prefix;
    }

    /** Returns the segment override prefix byte. */
    public int prefix() {
        return prefix;
    }

    /** Returns the register name as objdump prints it before an address, {@code fs} or {@code gs}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
