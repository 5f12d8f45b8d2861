// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import java.util.List;
import java.util.Map;
import org.kplugins.kpc.link.PluginImports;

/**
 * A compiled and linked plugin: its layout, the functions it exports to the host (the defined
 * functions that are not static) in source order, and the host data windows it imports, which each
 * instance maps. Shared by every instance created from the same source, and by every context of an
 * engine that uses the same symbol table.
 */
public record PluginProgram(String name, PluginLayout layout, Map<String, FunctionEntry> exports,
                List<PluginImports.DataImport> dataImports) {

    public List<String> exportNames() {
        return List.copyOf(exports.keySet());
    }
}
