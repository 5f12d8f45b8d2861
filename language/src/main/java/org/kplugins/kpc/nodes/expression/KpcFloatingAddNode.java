// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.types.FloatingArithmetic;

/** Floating addition of two floats or two doubles, carried as their bits; see {@link FloatingArithmetic}. */
@NodeInfo(shortName = "+")
public final class KpcFloatingAddNode extends KpcBinaryNode {

    public KpcFloatingAddNode(KpcExpressionNode left, KpcExpressionNode right) {
        super(left, right);
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int a = left.executeInt(frame);
        int b = right.executeInt(frame);
        return FloatingArithmetic.addFloat(a, b);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        long a = left.executeLong(frame);
        long b = right.executeLong(frame);
        return FloatingArithmetic.addDouble(a, b);
    }
}
