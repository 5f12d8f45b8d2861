// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import com.oracle.truffle.api.profiles.CountingConditionProfile;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** {@code a && b} on int-valued truth values: evaluates b only when a is nonzero, yields 1 or 0. */
@NodeInfo(shortName = "&&")
public final class KpcLogicalAndNode extends KpcExpressionNode {

    @Child private KpcExpressionNode left;
    @Child private KpcExpressionNode right;
    private final CountingConditionProfile evaluateRight = CountingConditionProfile.create();

    public KpcLogicalAndNode(KpcExpressionNode left, KpcExpressionNode right) {
        this.left = left;
        this.right = right;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        if (evaluateRight.profile(left.executeInt(frame) != 0)) {
            return right.executeInt(frame) != 0 ? 1 : 0;
        }
        return 0;
    }
}
