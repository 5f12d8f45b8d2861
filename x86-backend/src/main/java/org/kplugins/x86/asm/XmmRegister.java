// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

/** The SSE registers XMM0 to XMM15; the 4-bit number goes into ModRM (low 3 bits) and a REX bit. */
public enum XmmRegister {
    XMM0, XMM1, XMM2, XMM3, XMM4, XMM5, XMM6, XMM7, XMM8, XMM9, XMM10, XMM11, XMM12, XMM13, XMM14, XMM15;

    /** Returns the 4-bit register number, 0 to 15. */
    public int encoding() {
        return ordinal();
    }

    /** Returns the name that objdump prints, {@code xmm0} to {@code xmm15}. */
    public String text() {
        return "xmm" + ordinal();
    }
}
