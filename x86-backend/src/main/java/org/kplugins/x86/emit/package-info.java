// SPDX-License-Identifier: Apache-2.0
/**
 * Machine code emission: encodes allocated machine functions with the assembler, adds prologues,
 * epilogues, fault stubs and the entry trampoline, and records the code-offset maps that the
 * runtime needs to report faults and the listing that {@code kpc --dump-x86} prints.
 */
package org.kplugins.x86.emit;
