// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.List;

/**
 * A whole plugin in IR: its defined functions, and every host call of the program in the order of
 * {@link Instr.HostCall#index()}, with the function that makes it.
 */
public record IrProgram(List<IrFunction> functions, List<HostCallSite> hostCalls, boolean budgetEnabled) {

    /** A host call and the function it is in, for the upcall. */
    public record HostCallSite(String function, Instr.HostCall call) {
    }
}
