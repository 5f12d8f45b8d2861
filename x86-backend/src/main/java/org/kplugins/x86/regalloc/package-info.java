// SPDX-License-Identifier: Apache-2.0
/**
 * Linear-scan register allocation (Poletto and Sarkar, 1999) over the allocatable registers of
 * {@link org.kplugins.x86.select.RuntimeAbi}. {@link org.kplugins.x86.regalloc.Liveness} gives each
 * virtual register one interval over the linear order of the machine instructions, and
 * {@link org.kplugins.x86.regalloc.LinearScan} assigns registers, spilling whole intervals to
 * slots of the native stack frame, which plugin memory accesses cannot reach.
 */
package org.kplugins.x86.regalloc;
