// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** {@code !x}: int 1 when the int-valued scalar operand is 0, else 0. */
@NodeInfo(shortName = "!")
public final class KpcLogicalNotNode extends KpcExpressionNode {

    @Child private KpcExpressionNode operand;

    public KpcLogicalNotNode(KpcExpressionNode operand) {
        this.operand = operand;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return operand.executeInt(frame) == 0 ? 1 : 0;
    }
}
