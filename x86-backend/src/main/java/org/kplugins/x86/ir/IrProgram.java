// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.List;

/**
 * A whole plugin in IR: its defined functions, every host call of the program in the order of
 * {@link Instr.HostCall#index()} with the function that makes it, and the function types whose
 * index is the {@link Instr.IndirectCall#signature()} of calls through pointers of that type.
 */
public record IrProgram(List<IrFunction> functions, List<HostCallSite> hostCalls, boolean budgetEnabled,
                List<org.kplugins.kpc.types.FunctionType> signatures) {

    /** A host call and the function it is in, for the upcall. */
    public record HostCallSite(String function, Instr.HostCall call) {
    }
}
