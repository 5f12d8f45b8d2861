// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.types.FloatingArithmetic;

/** Negation of a float or double, carried as its bits: flips the sign bit, of zeros and NaNs too. */
@NodeInfo(shortName = "-")
public final class KpcFloatingNegateNode extends KpcExpressionNode {

    @Child private KpcExpressionNode operand;

    public KpcFloatingNegateNode(KpcExpressionNode operand) {
        this.operand = operand;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return FloatingArithmetic.negateFloat(operand.executeInt(frame));
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        return FloatingArithmetic.negateDouble(operand.executeLong(frame));
    }
}
