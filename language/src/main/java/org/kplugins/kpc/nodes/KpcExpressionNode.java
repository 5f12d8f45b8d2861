// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.GenerateWrapper;
import com.oracle.truffle.api.instrumentation.InstrumentableNode;
import com.oracle.truffle.api.instrumentation.ProbeNode;
import com.oracle.truffle.api.instrumentation.StandardTags.ExpressionTag;
import com.oracle.truffle.api.instrumentation.Tag;

/**
 * An expression. The typed AST fixes each expression's {@link ValueKind}, and the parent calls
 * only the matching execute method: {@link #executeInt} for integers up to 32 bits, pointers and
 * structs (as the struct's address), {@link #executeLong} for long long, and {@link #executeVoid}
 * for void expressions. A node overrides the methods of the kinds it can produce.
 *
 * <p>An expression with a source section is instrumentable. The node builder tags the node of
 * each C expression with {@link ExpressionTag}; the nodes it adds for conversions, addresses and
 * temporaries stay untagged unless they are the whole expression.
 */
@GenerateWrapper
public abstract class KpcExpressionNode extends KpcNode implements InstrumentableNode {

    private boolean hasExpressionTag;

    public int executeInt(VirtualFrame frame) {
        throw CompilerDirectives.shouldNotReachHere(getClass().getSimpleName() + " has no int value");
    }

    public long executeLong(VirtualFrame frame) {
        throw CompilerDirectives.shouldNotReachHere(getClass().getSimpleName() + " has no long long value");
    }

    public void executeVoid(VirtualFrame frame) {
        throw CompilerDirectives.shouldNotReachHere(getClass().getSimpleName() + " is not a void expression");
    }

    /** Marks this node as the value of a C expression for tools. */
    public final void addExpressionTag() {
        hasExpressionTag = true;
    }

    @Override
    public boolean isInstrumentable() {
        return getSourceSection() != null;
    }

    @Override
    public WrapperNode createWrapper(ProbeNode probe) {
        return new KpcExpressionNodeWrapper(this, probe);
    }

    @Override
    public boolean hasTag(Class<? extends Tag> tag) {
        return tag == ExpressionTag.class && hasExpressionTag;
    }
}
