// SPDX-License-Identifier: Apache-2.0
/**
 * Instruction selection: turns each IR instruction into x86-64 machine instructions that still name
 * virtual registers ({@link org.kplugins.x86.select.MachineInstr}), in two-address form. The
 * register allocator then maps each virtual register to a physical register or a spill slot, and
 * the emitter encodes the result. {@link org.kplugins.x86.select.RuntimeAbi} fixes the registers
 * and the context block that the machine code and the runtime agree on.
 */
package org.kplugins.x86.select;
