// SPDX-License-Identifier: Apache-2.0
/**
 * The x86-64 assembler of the backend: registers, operand sizes, memory operands, condition codes,
 * labels with rel8/rel32 fix-ups, the code buffer, and one method per instruction form that
 * lowering and register allocation emit. {@link org.kplugins.x86.asm.X86Encoder} owns the
 * encoding forms (REX, ModRM, SIB, displacements, immediates) and labels, and
 * {@link org.kplugins.x86.asm.X86Assembler} the instructions. The package does not depend on KPC.
 * It turns instructions into bytes and rejects operands that x86-64 cannot encode.
 */
package org.kplugins.x86.asm;
