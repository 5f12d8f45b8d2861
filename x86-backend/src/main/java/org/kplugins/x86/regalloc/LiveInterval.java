// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.regalloc;

import org.kplugins.x86.ir.VReg;

/**
 * The positions over which a virtual register contains a value that a later instruction may read:
 * from {@code start} to {@code end}, both inclusive, in the linear numbering of
 * {@link Liveness}. One interval covers every live position, holes included, which is
 * conservative but never too short.
 */
public record LiveInterval(VReg register, int start, int end) {
}
