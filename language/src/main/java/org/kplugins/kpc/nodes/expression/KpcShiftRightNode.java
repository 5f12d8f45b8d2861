// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Arithmetic right shift, for signed values. */
@NodeInfo(shortName = ">>")
public final class KpcShiftRightNode extends KpcShiftNode {

    public KpcShiftRightNode(KpcExpressionNode value, KpcExpressionNode count, boolean countIsLong) {
        super(value, count, countIsLong);
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int a = value.executeInt(frame);
        int n = executeCount(frame);
        return a >> (n & 31);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        long a = value.executeLong(frame);
        int n = executeCount(frame);
        return a >> (n & 63);
    }
}
