// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import com.oracle.truffle.api.profiles.CountingConditionProfile;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.nodes.KpcStatementNode;

/** {@code if (c) a else b}; the condition is an int-valued truth value and the else branch may be null. */
@NodeInfo(shortName = "if")
public final class KpcIfNode extends KpcStatementNode {

    @Child private KpcExpressionNode condition;
    @Child private KpcStatementNode thenBranch;
    @Child private KpcStatementNode elseBranch;
    private final CountingConditionProfile profile = CountingConditionProfile.create();

    public KpcIfNode(KpcExpressionNode condition, KpcStatementNode thenBranch, KpcStatementNode elseBranch) {
        this.condition = condition;
        this.thenBranch = thenBranch;
        this.elseBranch = elseBranch;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        if (profile.profile(condition.executeInt(frame) != 0)) {
            thenBranch.executeVoid(frame);
        } else if (elseBranch != null) {
            elseBranch.executeVoid(frame);
        }
    }
}
