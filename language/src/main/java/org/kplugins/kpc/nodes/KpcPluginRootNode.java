// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.RootNode;
import org.kplugins.kpc.KpcContext;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.runtime.PluginProgram;

/**
 * The root that evaluating a KPC source yields: each execution creates a new instance of the
 * plugin, makes its functions the context's bindings, and returns it to the host.
 */
public final class KpcPluginRootNode extends RootNode {

    private final PluginProgram program;

    public KpcPluginRootNode(KpcLanguage language, PluginProgram program) {
        super(language);
        this.program = program;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        return instantiate(KpcContext.get(this));
    }

    @TruffleBoundary
    private PluginInstance instantiate(KpcContext context) {
        PluginInstance instance = PluginInstance.create(program, context);
        context.setLastPlugin(instance);
        return instance;
    }

    @Override
    public String getName() {
        return "plugin " + program.name();
    }
}
