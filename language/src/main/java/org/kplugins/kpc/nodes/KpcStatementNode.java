// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.GenerateWrapper;
import com.oracle.truffle.api.instrumentation.InstrumentableNode;
import com.oracle.truffle.api.instrumentation.ProbeNode;
import com.oracle.truffle.api.instrumentation.StandardTags.RootBodyTag;
import com.oracle.truffle.api.instrumentation.StandardTags.StatementTag;
import com.oracle.truffle.api.instrumentation.Tag;

/**
 * A statement: executed for its effects. break, continue, goto and return leave it by exception.
 *
 * <p>A statement with a source section is instrumentable. The node builder tags each C statement
 * except compound statements with {@link StatementTag}, which debuggers step and break on, and
 * a function's body with {@link RootBodyTag}. Tools wrap a node only once they attach, so code
 * run without a tool has no wrappers.
 */
@GenerateWrapper
public abstract class KpcStatementNode extends KpcNode implements InstrumentableNode {

    private boolean hasStatementTag;
    private boolean hasRootBodyTag;

    public abstract void executeVoid(VirtualFrame frame);

    /**
     * Runs this statement from the label numbered {@code label}, which lies inside it, and then on
     * to its end, as a goto to that label does. Only the statements of a function that uses goto
     * and that contain a label override it (see
     * {@link org.kplugins.kpc.nodes.controlflow.KpcGotoDispatchNode}).
     */
    public void executeFromLabel(VirtualFrame frame, int label) {
        throw CompilerDirectives.shouldNotReachHere(getClass().getSimpleName() + " contains no label " + label);
    }

    /** Marks this node as a C statement for tools. */
    public final void addStatementTag() {
        hasStatementTag = true;
    }

    /** Marks this node as the body of its function, which runs once the parameters are stored. */
    public final void addRootBodyTag() {
        hasRootBodyTag = true;
    }

    @Override
    public boolean isInstrumentable() {
        return getSourceSection() != null;
    }

    @Override
    public WrapperNode createWrapper(ProbeNode probe) {
        return new KpcStatementNodeWrapper(this, probe);
    }

    @Override
    public boolean hasTag(Class<? extends Tag> tag) {
        return (tag == StatementTag.class && hasStatementTag) || (tag == RootBodyTag.class && hasRootBodyTag);
    }
}
