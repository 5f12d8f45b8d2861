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
    /** One past the number of the last label in the then branch; labels from there on are in the else branch. */
    private final int thenLabelsEnd;

    public KpcIfNode(KpcExpressionNode condition, KpcStatementNode thenBranch, KpcStatementNode elseBranch) {
        this(condition, thenBranch, elseBranch, 0);
    }

    /** @param thenLabelsEnd in a function that uses goto, one past the number of the last label in {@code thenBranch} */
    public KpcIfNode(KpcExpressionNode condition, KpcStatementNode thenBranch, KpcStatementNode elseBranch,
                    int thenLabelsEnd) {
        this.condition = condition;
        this.thenBranch = thenBranch;
        this.elseBranch = elseBranch;
        this.thenLabelsEnd = thenLabelsEnd;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        if (profile.profile(condition.executeInt(frame) != 0)) {
            thenBranch.executeVoid(frame);
        } else if (elseBranch != null) {
            elseBranch.executeVoid(frame);
        }
    }

    /** Enters the branch that contains {@code label}; the condition is not evaluated. */
    @Override
    public void executeFromLabel(VirtualFrame frame, int label) {
        if (label < thenLabelsEnd) {
            thenBranch.executeFromLabel(frame, label);
        } else {
            elseBranch.executeFromLabel(frame, label);
        }
    }
}
