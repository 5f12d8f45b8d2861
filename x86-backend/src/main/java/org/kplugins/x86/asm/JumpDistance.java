// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

/** The displacement size of a jump to a label. */
public enum JumpDistance {
    /** A short jump: 8-bit displacement, reaching -128 to +127 bytes from the end of the jump. */
    SHORT,
    /** A near jump: 32-bit displacement. */
    NEAR
}
