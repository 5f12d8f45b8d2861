// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Addition, wrapping on overflow for signed and unsigned types alike. */
@NodeInfo(shortName = "+")
public final class KpcAddNode extends KpcBinaryNode {

    public KpcAddNode(KpcExpressionNode left, KpcExpressionNode right) {
        super(left, right);
    }

    public KpcExpressionNode left() {
        return left;
    }

    public KpcExpressionNode right() {
        return right;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int a = left.executeInt(frame);
        int b = right.executeInt(frame);
        return a + b;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        long a = left.executeLong(frame);
        long b = right.executeLong(frame);
        return a + b;
    }
}
