// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcStatementNode;
import org.kplugins.kpc.nodes.StepBudget;

/**
 * {@code goto label}: costs one step of the execution budget when the budget is enabled, so a
 * loop made of gotos is bounded like any other loop, stores the label's number in the goto state
 * slot and unwinds to the function's {@link KpcGotoDispatchNode}.
 */
@NodeInfo(shortName = "goto")
public final class KpcGotoNode extends KpcStatementNode {

    private final int stateSlot;
    private final int label;
    /** Counts this node's steps of the budget, or null when the budget is off. */
    @Child private StepBudget steps;

    public KpcGotoNode(int stateSlot, int label, boolean budgetEnabled) {
        this.stateSlot = stateSlot;
        this.label = label;
        this.steps = budgetEnabled ? new StepBudget() : null;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        if (steps != null) {
            steps.consume(frame, instance(frame), this);
        }
        frame.setInt(stateSlot, label);
        throw GotoException.INSTANCE;
    }
}
