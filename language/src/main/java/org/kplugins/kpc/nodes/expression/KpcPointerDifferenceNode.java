// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** {@code p - q} on pointers: the 32-bit wrapping byte difference divided by the element size, as int. */
@NodeInfo(shortName = "-")
public final class KpcPointerDifferenceNode extends KpcBinaryNode {

    private final int elementSize;

    public KpcPointerDifferenceNode(KpcExpressionNode left, KpcExpressionNode right, int elementSize) {
        super(left, right);
        assert elementSize > 0 : elementSize;
        this.elementSize = elementSize;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int a = left.executeInt(frame);
        int b = right.executeInt(frame);
        return (a - b) / elementSize;
    }
}
