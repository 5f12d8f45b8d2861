// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.source.SourceSection;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * The base of every KPC node. A node carries the source section of the construct it was built
 * from, so fault reports and guest stack frames point at the faulting expression. Nodes hold no
 * per-instance state: the plugin instance is frame argument 0 of every KPC function call.
 */
public abstract class KpcNode extends Node {

    private SourceSection sourceSection;

    @Override
    public final SourceSection getSourceSection() {
        return sourceSection;
    }

    /** Sets the source section; the node builder calls it once, before the node runs. */
    public final void setSourceSection(SourceSection section) {
        this.sourceSection = section;
    }

    /** Returns the plugin instance that the current call runs in. */
    protected static PluginInstance instance(VirtualFrame frame) {
        return CompilerDirectives.castExact(frame.getArguments()[0], PluginInstance.class);
    }

    /** Returns the address space of the plugin instance that the current call runs in. */
    protected static AddressSpace memory(VirtualFrame frame) {
        return instance(frame).memory();
    }
}
