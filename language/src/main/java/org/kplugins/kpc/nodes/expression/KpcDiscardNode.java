// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.nodes.ValueKind;

/** Evaluates an int or long long expression for its effects and drops the value: a cast to void. */
public final class KpcDiscardNode extends KpcExpressionNode {

    @Child private KpcExpressionNode operand;
    private final boolean operandIsLong;

    public KpcDiscardNode(KpcExpressionNode operand, ValueKind operandKind) {
        this.operand = operand;
        this.operandIsLong = operandKind == ValueKind.LONG;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        if (operandIsLong) {
            operand.executeLong(frame);
        } else {
            operand.executeInt(frame);
        }
    }
}
