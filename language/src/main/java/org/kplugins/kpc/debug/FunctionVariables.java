// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.debug;

import com.oracle.truffle.api.frame.Frame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.kpc.runtime.PluginInstance;

/**
 * The variables of one function that tools can show: its parameters, its locals with the source
 * ranges where their names are in scope, and the plugin's globals. The node builder fills it in;
 * {@link #scopeAt} builds the scope a debugger shows at a node.
 */
public final class FunctionVariables {

    private final String functionName;
    private final List<CVariable> parameters;
    private final List<CVariable> locals;
    private final List<CVariable> globals;

    /**
     * @param parameters the parameters in order
     * @param locals     the locals, each with the source range of its scope
     * @param globals    the plugin's defined globals, shared by all its functions
     */
    public FunctionVariables(String functionName, List<CVariable> parameters, List<CVariable> locals,
                    List<CVariable> globals) {
        this.functionName = functionName;
        this.parameters = List.copyOf(parameters);
        this.locals = List.copyOf(locals);
        this.globals = List.copyOf(globals);
    }

    /**
     * Returns the interop scope of the function at character offset {@code offset} of its source:
     * the parameters and the locals whose names are in scope there. An inner declaration hides an
     * outer one of the same name, as in C. The scope's parent contains the globals.
     *
     * @param offset the start of the current node's source section, or -1 when it has none, which
     *               shows the parameters only
     * @param frame  the function's frame, or null to list the names without values
     */
    public Object scopeAt(int offset, Frame frame) {
        Map<String, CVariable> byName = new LinkedHashMap<>();
        for (CVariable parameter : parameters) {
            byName.put(parameter.name(), parameter);
        }
        List<CVariable> inScope = new ArrayList<>();
        for (CVariable local : locals) {
            if (local.isInScopeAt(offset)) {
                inScope.add(local);
            }
        }
        // Later declarations start later, and the innermost of two visible names starts last.
        inScope.sort(Comparator.comparingInt(CVariable::scopeStart));
        for (CVariable local : inScope) {
            byName.remove(local.name());
            byName.put(local.name(), local);
        }
        PluginInstance instance = frame == null ? null : (PluginInstance) frame.getArguments()[0];
        KpcVariableScope globalScope = new KpcVariableScope("globals", globals, null, instance, null);
        return new KpcVariableScope(functionName, new ArrayList<>(byName.values()), frame, instance, globalScope);
    }
}
