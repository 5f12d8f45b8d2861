// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

/** The width of a value in a virtual register: every C type up to 32 bits and pointers, or long long. */
public enum Width {
    I32(4),
    I64(8);

    /** Size in bytes. */
    public final int bytes;

    Width(int bytes) {
        this.bytes = bytes;
    }
}
