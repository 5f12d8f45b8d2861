// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.nodes.Node;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.monitor.fault.Access;
import org.kplugins.monitor.fault.FaultKind;
import org.kplugins.monitor.fault.FaultReport;
import org.kplugins.monitor.fault.PluginFault;

/**
 * Builds the faults that the KPC nodes raise themselves; memory faults come from the address
 * space. Callers throw the result after {@code CompilerDirectives.transferToInterpreter()}, so the
 * message building stays out of compiled code.
 */
public final class Faults {

    private Faults() {
    }

    @TruffleBoundary
    public static PluginFault divisionByZero(Node location, PluginInstance instance) {
        return raise(FaultKind.DIVIDE_ERROR, "division by zero", location, instance);
    }

    /**
     * Builds the fault for {@code INT_MIN / -1} and {@code INT_MIN % -1}, and their 64-bit forms
     * with {@code LLONG_MIN}, which x86's idiv traps.
     *
     * @param operator {@code '/'} or {@code '%'}, named in the detail
     * @param is64Bit  whether the operands are long long, so that the dividend is LLONG_MIN
     */
    @TruffleBoundary
    public static PluginFault divisionOverflow(Node location, PluginInstance instance, char operator, boolean is64Bit) {
        String dividend = is64Bit ? "LLONG_MIN" : "INT_MIN";
        return raise(FaultKind.DIVIDE_ERROR, dividend + " " + operator + " -1 overflows", location, instance);
    }

    @TruffleBoundary
    public static PluginFault stackOverflow(Node location, PluginInstance instance) {
        return raise(FaultKind.STACK_OVERFLOW, "stack of " + instance.stackSize() + " bytes (kpc.StackSize) exhausted", location,
                        instance);
    }

    /**
     * The Java thread ran out of stack before the plugin stack did, which deep recursion in the
     * interpreter can cause when the plugin stack is large.
     */
    @TruffleBoundary
    public static PluginFault hostStackOverflow(Node location, PluginInstance instance) {
        return raise(FaultKind.STACK_OVERFLOW, "call nesting exceeds the host thread's stack", location, instance);
    }

    @TruffleBoundary
    public static PluginFault budgetUsedUp(Node location, PluginInstance instance) {
        if (instance.isCallExpired()) {
            // Machine code stops a timed-out call through its step counter, so its fault arrives here.
            return callTimedOut(location, instance);
        }
        long budget = instance.budget();
        return raise(FaultKind.WATCHDOG, "budget of " + budget + (budget == 1 ? " step" : " steps") + " (kpc.Budget) used up",
                        location, instance);
    }

    /** Builds the fault of a call from the host that ran past kpc.CallTimeout, at the step where it stopped. */
    @TruffleBoundary
    public static PluginFault callTimedOut(Node location, PluginInstance instance) {
        return raise(FaultKind.TIMEOUT, "call ran longer than the call timeout of " + instance.callTimeoutMillis() + " ms",
                        location, instance);
    }

    /** Builds the fault for a call through a function pointer that is no entry of the plugin's function table. */
    @TruffleBoundary
    public static PluginFault invalidFunctionPointer(Node location, PluginInstance instance, int pointer,
                    FunctionType callType) {
        String detail = pointer == 0 ? "call through a null function pointer"
                        : "call through " + FaultReport.formatAddress(pointer) + ", which is not the address of a"
                                        + " function of the plugin";
        return PluginFault.raise(FaultKind.INVALID_FUNCTION_POINTER, detail + " (called as '"
                        + new PointerType(callType).spelling() + "')", Integer.toUnsignedLong(pointer), Access.EXECUTE,
                        0, location, instance.name());
    }

    /** Builds the fault for a call through a pointer to a function whose type is not the call's. */
    @TruffleBoundary
    public static PluginFault functionTypeMismatch(Node location, PluginInstance instance, int pointer,
                    FunctionTable.Entry target, FunctionType callType) {
        String detail = "call through a pointer of type '" + new PointerType(callType).spelling() + "' to '"
                        + target.type().prototype(target.name()) + "'";
        return PluginFault.raise(FaultKind.INVALID_FUNCTION_POINTER, detail, Integer.toUnsignedLong(pointer),
                        Access.EXECUTE, 0, location, instance.name());
    }

    /**
     * Builds the fault of an exception that the emulated CPU raised in machine code where the
     * backend emits nothing that could raise it: undecodable bytes, a fetch from a page without
     * execute permission, or an access that the MMU refused outside any plugin access. The MMU
     * stopped code that was wrong; the report names the function the host called.
     */
    @TruffleBoundary
    public static PluginFault machineException(Node location, PluginInstance instance, boolean invalidOpcode,
                    boolean fetch, String detail) {
        FaultKind kind = invalidOpcode ? FaultKind.INVALID_OPCODE : fetch ? FaultKind.PAGE_NOT_EXECUTABLE
                        : FaultKind.GENERAL_PROTECTION;
        return raise(kind, detail, location, instance);
    }

    private static PluginFault raise(FaultKind kind, String detail, Node location, PluginInstance instance) {
        return PluginFault.raise(kind, detail, FaultReport.NO_ADDRESS, Access.NONE, 0, location, instance.name());
    }
}
