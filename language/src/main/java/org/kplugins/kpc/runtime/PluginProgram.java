// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.link.PluginImports;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * A compiled and linked plugin: its layout, the functions it exports to the host (the defined
 * functions that are not static) in source order, and the host data windows it imports, which
 * each instance maps. It also says how each instance creates its address space. Shared by every instance
 * created from the same source, and by every context of an engine that uses the same symbol table.
 *
 * <p>{@code currentTier} returns the tier that calls from the host run in now: {@code truffle},
 * {@code native}, {@code emulated (checked)} or {@code emulated (hardware)}. Only in the auto tier
 * does the value change, once, when a hot plugin moves to machine code.
 */
public record PluginProgram(String name, PluginLayout layout, Map<String, FunctionEntry> exports,
                List<PluginImports.DataImport> dataImports, MemoryFactory memoryFactory, Supplier<String> currentTier) {

    /** Creates the empty address space of a new instance; the Truffle tier backs it with a byte array. */
    @FunctionalInterface
    public interface MemoryFactory {
        AddressSpace create(String pluginName, int segmentLimit);
    }

    /** A program of the Truffle tier, whose instances keep their memory in a Java byte array. */
    public PluginProgram(String name, PluginLayout layout, Map<String, FunctionEntry> exports,
                    List<PluginImports.DataImport> dataImports) {
        this(name, layout, exports, dataImports, AddressSpace::new, () -> KpcLanguage.TRUFFLE_TIER);
    }

    public List<String> exportNames() {
        return List.copyOf(exports.keySet());
    }
}
