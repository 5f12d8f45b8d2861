// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.List;
import org.kplugins.kpc.link.PluginImports;

/**
 * A whole plugin in IR: its defined functions, every host call of the program in the order of
 * {@link Instr.HostCall#index()} with the function that makes it, the function types whose
 * index is the {@link Instr.IndirectCall#signature()} of calls through pointers of that type, and
 * the host data windows whose index is the {@link Instr.DataImportAddress#index()} of references
 * to them.
 */
public record IrProgram(List<IrFunction> functions, List<HostCallSite> hostCalls, boolean budgetEnabled,
                List<org.kplugins.kpc.types.FunctionType> signatures, List<PluginImports.DataImport> dataImports) {

    /** A host call and the function it is in, for the upcall. */
    public record HostCallSite(String function, Instr.HostCall call) {
    }
}
