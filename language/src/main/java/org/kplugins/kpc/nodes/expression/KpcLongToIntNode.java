// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Keeps the low 32 bits of a long long operand; the builder truncates further for narrower types. */
public final class KpcLongToIntNode extends KpcExpressionNode {

    @Child private KpcExpressionNode operand;

    public KpcLongToIntNode(KpcExpressionNode operand) {
        this.operand = operand;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return (int) operand.executeLong(frame);
    }
}
