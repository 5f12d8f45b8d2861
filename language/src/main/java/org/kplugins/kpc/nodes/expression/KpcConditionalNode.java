// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import com.oracle.truffle.api.profiles.CountingConditionProfile;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** {@code c ? a : b}: the condition is an int-valued truth value, and both branches have the result's kind. */
@NodeInfo(shortName = "?:")
public final class KpcConditionalNode extends KpcExpressionNode {

    @Child private KpcExpressionNode condition;
    @Child private KpcExpressionNode whenTrue;
    @Child private KpcExpressionNode whenFalse;
    private final CountingConditionProfile profile = CountingConditionProfile.create();

    public KpcConditionalNode(KpcExpressionNode condition, KpcExpressionNode whenTrue, KpcExpressionNode whenFalse) {
        this.condition = condition;
        this.whenTrue = whenTrue;
        this.whenFalse = whenFalse;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return profile.profile(condition.executeInt(frame) != 0) ? whenTrue.executeInt(frame) : whenFalse.executeInt(frame);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        return profile.profile(condition.executeInt(frame) != 0) ? whenTrue.executeLong(frame) : whenFalse.executeLong(frame);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        if (profile.profile(condition.executeInt(frame) != 0)) {
            whenTrue.executeVoid(frame);
        } else {
            whenFalse.executeVoid(frame);
        }
    }
}
