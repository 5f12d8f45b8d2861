// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.link;

import java.util.List;
import java.util.Map;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.builtins.HostExport;
import org.kplugins.monitor.link.DataExport;
import org.kplugins.monitor.link.FunctionExport;

/**
 * The resolution of a plugin's undefined symbols: built-in exports, functions of the host's symbol
 * table, and data windows. {@code data} is in declaration order, and a window's index in it is the
 * index of its address in each instance.
 */
public record PluginImports(Map<Function, HostExport> builtins, Map<Function, FunctionExport> functions,
                List<DataImport> data) {

    /** A data window a plugin imports as the global {@code variable}. */
    public record DataImport(Variable variable, DataExport export) {
    }

    /** Returns the index of {@code variable} in {@link #data}, or -1 when it is not imported. */
    public int dataIndex(Variable variable) {
        for (int i = 0; i < data.size(); i++) {
            if (data.get(i).variable() == variable) {
                return i;
            }
        }
        return -1;
    }
}
