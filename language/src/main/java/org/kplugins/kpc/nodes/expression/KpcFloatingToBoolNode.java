// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * Converts a float or double, carried as its bits, to _Bool or to a truth value: int 0 for +0.0
 * and -0.0, else 1, NaN included.
 */
public final class KpcFloatingToBoolNode extends KpcExpressionNode {

    @Child private KpcExpressionNode operand;
    private final boolean operandIsDouble;

    public KpcFloatingToBoolNode(KpcExpressionNode operand, boolean operandIsDouble) {
        this.operand = operand;
        this.operandIsDouble = operandIsDouble;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        if (operandIsDouble) {
            return (operand.executeLong(frame) & Long.MAX_VALUE) != 0 ? 1 : 0;
        }
        return (operand.executeInt(frame) & Integer.MAX_VALUE) != 0 ? 1 : 0;
    }
}
