// SPDX-License-Identifier: Apache-2.0
/**
 * The intermediate representation between the typed KPC syntax tree and x86-64 instruction
 * selection.
 *
 * <p>An {@link org.kplugins.x86.ir.IrFunction} is a control-flow graph of
 * {@link org.kplugins.x86.ir.Block}s. Each block is a list of {@link org.kplugins.x86.ir.Instr}s
 * that ends in exactly one terminator: {@link org.kplugins.x86.ir.Instr.Jump},
 * {@link org.kplugins.x86.ir.Instr.Branch} or {@link org.kplugins.x86.ir.Instr.Return}.
 * Instructions are three-address code over virtual registers ({@link org.kplugins.x86.ir.VReg}),
 * which are not in SSA form: a local variable is one virtual register that several instructions
 * assign. An operand is a virtual register or an {@link org.kplugins.x86.ir.Imm} constant.
 *
 * <p>Values have two widths ({@link org.kplugins.x86.ir.Width}). {@code I32} carries every C type
 * up to 32 bits and pointers, normalized to the type's range as the Truffle tier's Java ints are
 * (an {@code unsigned char} holds 0 to 255, a {@code signed char} -128 to 127), and {@code I64}
 * carries {@code long long}. Arithmetic wraps. {@link org.kplugins.x86.ir.Instr.Convert} is the
 * only integer instruction that changes width or range. A float is the {@code I32} of its IEEE
 * bits and a double the {@code I64} of its bits, as in the Truffle tier's slots;
 * {@link org.kplugins.x86.ir.Instr.FloatBinary}, {@link org.kplugins.x86.ir.Instr.FloatCompare}
 * and {@link org.kplugins.x86.ir.Instr.FloatConvert} read those bits as floating values, and
 * loads, stores, moves and calls carry them unchanged.
 *
 * <p>Plugin memory is reached only through {@link org.kplugins.x86.ir.Instr.Load} and
 * {@link org.kplugins.x86.ir.Instr.Store} on 32-bit plugin addresses. A checked access is tested
 * against the plugin's page table before it happens. An unchecked access is one that the lowering
 * proves allowed: at a constant offset inside the function's own frame on the plugin stack, which is
 * always mapped and writable, or at a constant address in the plugin's static data.
 * Every instruction that can fault names a {@link org.kplugins.x86.ir.Site}: the source location
 * whose report the fault gets, the same location the Truffle tier reports.
 *
 * <p>Calls between plugin functions ({@link org.kplugins.x86.ir.Instr.Call}) carry the caller's
 * frame base, which becomes the callee's plugin stack pointer, and each call and each loop
 * back-edge ({@link org.kplugins.x86.ir.Instr.BudgetStep}) costs one step of the execution budget.
 * Calls to the host ({@link org.kplugins.x86.ir.Instr.HostCall}) leave the machine code through
 * the runtime's upcall.
 *
 * <p>After lowering and {@link org.kplugins.x86.ir.Inliner inlining}, the
 * {@link org.kplugins.x86.ir.Optimizer} merges straight-line blocks, numbers values within each
 * block to propagate copies and drop recomputed pure operations, moves pure loop-invariant
 * operations into a preheader before the loop, versions simple counted loops, and removes
 * assignments that no path reads. No pass moves a load, store, call, budget step or any
 * instruction that can fault, so every fault keeps its site and every budget step its place.
 * Loop versioning runs such a loop as one of two copies: one with every check, and one without the
 * page-table checks of accesses whose whole range {@link org.kplugins.x86.ir.Instr.PagesAllowed}
 * has found allowed before the loop, and without the budget steps that
 * {@link org.kplugins.x86.ir.Instr.BudgetReserve} took for the whole loop before it, so that the
 * loop cannot run out of budget. Code for hardware isolation keeps its accesses, and its copy has
 * only the addresses that grow by their stride and the budget taken before the loop.
 */
package org.kplugins.x86.ir;
