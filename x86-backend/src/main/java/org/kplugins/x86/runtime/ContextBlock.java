// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.kplugins.x86.select.RuntimeAbi;

/**
 * The native context block of one plugin instance, laid out as {@link RuntimeAbi} describes,
 * followed by the argument block of a call from the host: the number of 8-byte slots, then the
 * stack pointer and the arguments.
 */
final class ContextBlock {

    private final MemorySegment block;
    private final long argumentsOffset;

    /**
     * @param memoryBase the address of plugin address 0 in R15: its native address, or 0 for
     *                   hardware-isolation code, which reaches plugin memory through GS
     * @param upcall     the native upcall stub, or the emulated CPU's upcall gate
     */
    ContextBlock(long memoryBase, MemorySegment pageTable, long upcall, MemorySegment functionTable,
                    int[] dataImports, int maxParameters) {
        this.argumentsOffset = (RuntimeAbi.DATA_IMPORTS + 4L * dataImports.length + 7) & -8;
        this.block = Arena.ofAuto().allocate(argumentsOffset + 8L * (maxParameters + 2), 16);
        block.set(JAVA_LONG, RuntimeAbi.MEMORY_BASE, memoryBase);
        block.set(JAVA_LONG, RuntimeAbi.PAGE_TABLE, pageTable.address());
        block.set(JAVA_LONG, RuntimeAbi.UPCALL, upcall);
        block.set(JAVA_LONG, RuntimeAbi.FUNCTION_TABLE, functionTable.address());
        for (int i = 0; i < dataImports.length; i++) {
            block.set(JAVA_INT, RuntimeAbi.DATA_IMPORTS + 4L * i, dataImports[i]);
        }
    }

    long address() {
        return block.address();
    }

    /** Returns the block's memory, which the emulated CPU maps. */
    MemorySegment segment() {
        return block;
    }

    long argumentsAddress() {
        return block.address() + argumentsOffset;
    }

    /** Resets the fields of a call from the host: the budget, the native stack limit and the fault fields. */
    void prepare(long budget, long nativeStackLimit) {
        block.set(JAVA_LONG, RuntimeAbi.BUDGET, budget);
        block.set(JAVA_LONG, RuntimeAbi.NATIVE_STACK_LIMIT, nativeStackLimit);
        block.set(JAVA_LONG, RuntimeAbi.FAULT_PC, 0);
        block.set(JAVA_INT, RuntimeAbi.UNWIND, 0);
    }

    /**
     * Makes the running call fault at its next step: a negative counter stays negative however
     * many steps the code subtracts before it reads it. Another thread calls it, and the code's
     * subtraction is not atomic, so that caller repeats the write until the call has returned.
     */
    void stopSteps() {
        block.set(JAVA_LONG, RuntimeAbi.BUDGET, Long.MIN_VALUE / 2);
    }

    /**
     * Writes the argument block: the stack pointer, then each argument as an 8-byte slot. The
     * arguments are the C arguments of {@code frameArguments}, which start at index 1, each an
     * Integer or a Long.
     */
    void setArguments(int stackPointer, Object[] frameArguments) {
        int count = frameArguments.length - 1;
        block.set(JAVA_LONG, argumentsOffset, count + 1);
        block.set(JAVA_LONG, argumentsOffset + 8, stackPointer);
        for (int i = 0; i < count; i++) {
            Object argument = frameArguments[i + 1];
            long value = argument instanceof Long number ? number : (Integer) argument;
            block.set(JAVA_LONG, argumentsOffset + 16 + 8L * i, value);
        }
    }

    long faultPc() {
        return block.get(JAVA_LONG, RuntimeAbi.FAULT_PC);
    }

    int faultAddress() {
        return (int) block.get(JAVA_LONG, RuntimeAbi.FAULT_ADDRESS);
    }

    long faultReturnAddress() {
        return block.get(JAVA_LONG, RuntimeAbi.FAULT_RETURN_ADDRESS);
    }

    /** Makes plugin code unwind when the current upcall returns. */
    void requestUnwind() {
        block.set(JAVA_INT, RuntimeAbi.UNWIND, 1);
    }
}
