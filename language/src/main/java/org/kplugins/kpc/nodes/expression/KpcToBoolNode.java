// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Converts a scalar to _Bool, or to a truth value for a condition: int 1 when it is nonzero, else 0. */
public final class KpcToBoolNode extends KpcExpressionNode {

    @Child private KpcExpressionNode operand;
    private final boolean operandIsLong;

    public KpcToBoolNode(KpcExpressionNode operand, boolean operandIsLong) {
        this.operand = operand;
        this.operandIsLong = operandIsLong;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        if (operandIsLong) {
            return operand.executeLong(frame) != 0 ? 1 : 0;
        }
        return operand.executeInt(frame) != 0 ? 1 : 0;
    }
}
