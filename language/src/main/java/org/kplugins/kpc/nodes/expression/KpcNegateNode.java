// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Negation, wrapping: the negation of INT_MIN is INT_MIN. */
@NodeInfo(shortName = "-")
public final class KpcNegateNode extends KpcExpressionNode {

    @Child private KpcExpressionNode operand;

    public KpcNegateNode(KpcExpressionNode operand) {
        this.operand = operand;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return -operand.executeInt(frame);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        return -operand.executeLong(frame);
    }
}
