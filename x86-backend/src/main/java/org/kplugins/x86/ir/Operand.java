// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

/** An instruction operand: a virtual register or a constant. */
public sealed interface Operand permits VReg, Imm {

    Width width();
}
