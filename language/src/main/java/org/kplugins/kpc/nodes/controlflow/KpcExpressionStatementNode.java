// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.nodes.KpcStatementNode;

/** An expression evaluated for its effects; the builder makes the expression void first. */
public final class KpcExpressionStatementNode extends KpcStatementNode {

    @Child private KpcExpressionNode expression;

    public KpcExpressionStatementNode(KpcExpressionNode expression) {
        this.expression = expression;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        expression.executeVoid(frame);
    }
}
