// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.Frame;
import com.oracle.truffle.api.frame.MaterializedFrame;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.interop.NodeLibrary;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.source.SourceSection;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * The base of every KPC node. A node carries the source section of the construct it was built
 * from, so fault reports and guest stack frames point at the faulting expression. Nodes hold no
 * per-instance state: the plugin instance is frame argument 0 of every KPC function call.
 *
 * <p>For every node of a function, {@link NodeLibrary#getScope} returns the variables in scope at
 * its source position, which is what a debugger shows when it stops there.
 */
@ExportLibrary(NodeLibrary.class)
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

    @ExportMessage
    final boolean hasScope(@SuppressWarnings("unused") Frame frame) {
        return getRootNode() instanceof KpcFunctionRootNode;
    }

    @ExportMessage
    final Object getScope(Frame frame, @SuppressWarnings("unused") boolean nodeEnter) throws UnsupportedMessageException {
        return scope(frame == null ? null : frame.materialize());
    }

    @TruffleBoundary
    private Object scope(MaterializedFrame frame) throws UnsupportedMessageException {
        if (!(getRootNode() instanceof KpcFunctionRootNode root)) {
            throw UnsupportedMessageException.create();
        }
        SourceSection section = getEncapsulatingSourceSection();
        int offset = section == null || !section.isAvailable() ? -1 : section.getCharIndex();
        return root.variables().scopeAt(offset, frame);
    }
}
