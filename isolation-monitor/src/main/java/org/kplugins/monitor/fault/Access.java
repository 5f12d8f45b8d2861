// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.fault;

/** The kind of memory access that faulted, or {@link #NONE} for faults that are not accesses. */
public enum Access {
    READ,
    WRITE,
    /** Instruction fetch: a call through a function pointer, and any fetch in the x86 tiers. */
    EXECUTE,
    NONE
}
