// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import org.kplugins.monitor.link.FunctionExport;

/** The host code that a {@link Instr.HostCall} runs on the Java side of the upcall. */
public sealed interface HostTarget {

    /**
     * {@code printk(format, ...)}: argument 0 is the format, {@code is64Bit[i]} gives the width of
     * argument i + 1, and {@code isDouble[i]} whether it is a double's bits.
     */
    record Printk(boolean[] is64Bit, boolean[] isDouble) implements HostTarget {
    }

    /** {@code vprintk(format, ap)}: argument 0 is the format and argument 1 the {@code va_list}. */
    record Vprintk() implements HostTarget {
    }

    /** {@code kp_alloc(size)}. */
    record Alloc() implements HostTarget {
    }

    /** {@code kp_free(pointer)}. */
    record Free() implements HostTarget {
    }

    /**
     * A function of the host's symbol table. The conversions are the codes of
     * {@code KpcHostFunctionCallNode}, one per argument and one for the result.
     */
    record TableFunction(FunctionExport export, int[] argumentConversions, int resultConversion) implements HostTarget {
    }

    /**
     * The host function that a function pointer points to: argument 0 is the pointer, and
     * {@code is64Bit[i]} gives the width of argument i + 1 and {@code isDouble[i]} whether it is a
     * double's bits. The runtime finds the function in the
     * plugin's function table.
     */
    record IndirectHost(boolean[] is64Bit, boolean[] isDouble) implements HostTarget {
    }

    /** A struct copy of {@code size} bytes from argument 1 to argument 0, with memmove semantics; yields argument 0. */
    record MemoryCopy(int size) implements HostTarget {
    }
}
