// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

/**
 * The set of isolation checks that the machine code carries. The lowering, the instruction
 * selector and the emitter take the mode, and the IR must be lowered in the mode it is compiled in.
 */
public enum CodeMode {
    /**
     * Software isolation: every plugin memory access that the compiler cannot prove allowed checks
     * the page table first, and every division checks its divisor, each jumping to a fault stub.
     * The code runs on the host processor or on the emulated CPU.
     */
    CHECKED,
    /**
     * Hardware isolation, for the emulated CPU only. Plugin memory accesses carry no page-table
     * check and go through GS, so the emulated segment limit and page table reject a stray access.
     * A division has no divisor check, because its div or idiv raises the divide error itself.
     * Merged checks and store groups are off, and loop versioning walks no page table: it only
     * makes a loop's stack check once and lets its addresses grow by their stride. Budget steps,
     * plugin and native stack checks, function-pointer checks and upcalls stay as in
     * {@link #CHECKED}. The register
     * and context-block conventions of this mode are in {@link RuntimeAbi}, and
     * {@link org.kplugins.x86.emit.NativeCode#hardwareSites()} maps each instruction that can fault
     * to what the fault reports.
     */
    HARDWARE
}
