// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.fault;

/**
 * The class of a plugin fault. The constant names are stable: hosts and tests match on them
 * through the {@code kind} member of {@link PluginFault}. {@link #description()} is the text that
 * fault reports show.
 */
public enum FaultKind {
    /**
     * An access beyond the segment limit, or a bad pointer handed to a host function such as
     * {@code kp_free}.
     */
    GENERAL_PROTECTION("general-protection fault"),
    /** An access to a page that is not mapped. */
    PAGE_NOT_PRESENT("page fault (page not present)"),
    /** A plugin write to a page mapped without {@link org.kplugins.monitor.memory.PageFlags#WRITABLE}. */
    PAGE_NOT_WRITABLE("page fault (write to read-only page)"),
    /** Integer division by zero, or {@code INT_MIN / -1}. */
    DIVIDE_ERROR("divide error"),
    /** The plugin stack is exhausted. */
    STACK_OVERFLOW("stack fault (stack overflow)"),
    /** The plugin used up its execution budget. */
    WATCHDOG("watchdog (execution budget exceeded)"),
    /** A call from the host ran longer than the wall-clock time its host allows (kpc.CallTimeout). */
    TIMEOUT("watchdog (call timed out)"),
    /**
     * A call through a function pointer that is null, is not the address of a function of the
     * plugin, or points to a function of another type than the call's.
     */
    INVALID_FUNCTION_POINTER("general-protection fault (invalid function pointer)"),
    /** Instruction fetch from a page without execute permission. Reserved for the x86 tiers. */
    PAGE_NOT_EXECUTABLE("page fault (page not executable)"),
    /** An undefined instruction. Reserved for the x86 tiers. */
    INVALID_OPCODE("invalid opcode");

    private final String description;

    FaultKind(String description) {
        this.description = description;
    }

    /** Returns the text that fault reports show for this kind, for example "divide error". */
    public String description() {
        return description;
    }
}
