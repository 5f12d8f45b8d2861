// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import java.util.List;
import java.util.Map;

/**
 * A compiled and linked plugin: its layout and the functions it exports to the host (the defined
 * functions that are not static), in source order. Shared by every instance created from the same
 * source, and by every context of an engine.
 */
public record PluginProgram(String name, PluginLayout layout, Map<String, FunctionEntry> exports) {

    public List<String> exportNames() {
        return List.copyOf(exports.keySet());
    }
}
