// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

import org.kplugins.kpc.types.FunctionType;
import org.kplugins.x86.ir.Site;

/**
 * An out-of-line target of a failed check. The emitter places one stub per check at the end of
 * its function. The stub records its own address in the context block and unwinds to the entry
 * trampoline, and the runtime then looks the address up to build the fault.
 *
 * @param reason   which check failed
 * @param function the plugin function that contains the check
 * @param site     where the fault is reported, null for {@link Reason#NATIVE_STACK_OVERFLOW}
 * @param size     the access size in bytes for {@link Reason#READ} and {@link Reason#WRITE}
 * @param operator {@code '/'} or {@code '%'} for {@link Reason#DIVIDE_OVERFLOW}, and for the
 *                 {@link Reason#DIVIDE_BY_ZERO} of a {@link CodeMode#HARDWARE} division, whose
 *                 divide error can also be an overflow
 * @param is64Bit  whether a divide overflow has long long operands
 * @param callType the pointer's function type for {@link Reason#INVALID_FUNCTION_POINTER} and
 *                 {@link Reason#FUNCTION_TYPE_MISMATCH}
 */
public record FaultStub(Reason reason, String function, Site site, int size, char operator, boolean is64Bit,
                FunctionType callType) {

    public FaultStub(Reason reason, String function, Site site, int size, char operator, boolean is64Bit) {
        this(reason, function, site, size, operator, is64Bit, null);
    }

    /** The check a stub belongs to. */
    public enum Reason {
        /** A checked load found a page without read access; the address is in EAX. */
        READ,
        /** A checked store found a page without write access; the address is in EAX. */
        WRITE,
        DIVIDE_BY_ZERO,
        /** {@code INT_MIN / -1} or {@code LLONG_MIN / -1}, or the remainder. */
        DIVIDE_OVERFLOW,
        /** The budget was used up by a call or a loop iteration. */
        WATCHDOG,
        /** A call would place the callee's frame below the bottom of the plugin stack. */
        STACK_OVERFLOW,
        /** A prologue found the native stack of the host thread used up. */
        NATIVE_STACK_OVERFLOW,
        /** An upcall ended with a fault or an exception that the runtime keeps and rethrows. */
        UNWIND,
        /** A call through a pointer that is no token of the function table; the pointer is in EAX. */
        INVALID_FUNCTION_POINTER,
        /** A call through a pointer to a function of another type; the pointer is in EAX. */
        FUNCTION_TYPE_MISMATCH
    }
}
