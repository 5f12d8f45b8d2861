// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.LoopNode;
import com.oracle.truffle.api.nodes.NodeInfo;
import com.oracle.truffle.api.nodes.RepeatingNode;
import com.oracle.truffle.api.profiles.BranchProfile;
import com.oracle.truffle.api.profiles.CountingConditionProfile;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.nodes.KpcStatementNode;
import org.kplugins.kpc.nodes.StepBudget;

/**
 * {@code while}, {@code do ... while} and {@code for} (whose init runs before this node). The
 * iterations run in a Truffle {@link LoopNode}, so a long-running loop is compiled by on-stack
 * replacement. Each iteration costs one step of the execution budget when the budget is enabled,
 * and a budget that goes negative raises the WATCHDOG fault at this loop.
 */
@NodeInfo(shortName = "loop")
public final class KpcLoopNode extends KpcStatementNode {

    @Child private LoopNode loop;

    /**
     * @param condition int-valued truth value, or null for a loop without one ({@code for (;;)})
     * @param step      void expression run after the body and after {@code continue}, or null
     * @param testFirst false for {@code do ... while}, which tests after the body
     */
    public KpcLoopNode(KpcExpressionNode condition, KpcStatementNode body, KpcExpressionNode step, boolean testFirst,
                    boolean budgetEnabled) {
        this.loop = Truffle.getRuntime().createLoopNode(new Iteration(condition, body, step, testFirst, budgetEnabled));
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        loop.execute(frame);
    }

    /**
     * Finishes the iteration that a goto to {@code label} entered, outside the {@link LoopNode},
     * then lets the loop node run the later iterations unless that iteration ended the loop.
     */
    @Override
    public void executeFromLabel(VirtualFrame frame, int label) {
        Iteration iteration = (Iteration) loop.getRepeatingNode();
        if (iteration.executeRepeatingFromLabel(frame, label)) {
            loop.execute(frame);
        }
    }

    /** One iteration: test, body, step, budget. Returns false to leave the loop. */
    private static final class Iteration extends KpcStatementNode implements RepeatingNode {

        @Child private KpcExpressionNode condition;
        @Child private KpcStatementNode body;
        @Child private KpcExpressionNode step;
        private final boolean testFirst;
        /** Counts this node's steps of the budget, or null when the budget is off. */
        @Child private StepBudget steps;
        private final BranchProfile breakTaken = BranchProfile.create();
        private final BranchProfile continueTaken = BranchProfile.create();
        /** Counts how often the condition holds, from which Graal estimates the iterations per loop entry. */
        private final CountingConditionProfile conditionProfile = CountingConditionProfile.create();

        Iteration(KpcExpressionNode condition, KpcStatementNode body, KpcExpressionNode step, boolean testFirst,
                        boolean budgetEnabled) {
            this.condition = condition;
            this.body = body;
            this.step = step;
            this.testFirst = testFirst;
            this.steps = budgetEnabled ? new StepBudget() : null;
        }

        @Override
        public boolean executeRepeating(VirtualFrame frame) {
            if (testFirst && !testCondition(frame)) {
                return false;
            }
            try {
                body.executeVoid(frame);
            } catch (BreakException e) {
                breakTaken.enter();
                return false;
            } catch (ContinueException e) {
                continueTaken.enter();
            }
            if (step != null) {
                step.executeVoid(frame);
            }
            if (steps != null) {
                steps.consume(frame, instance(frame), this);
            }
            return testFirst || testCondition(frame);
        }

        /**
         * Runs the rest of an iteration from {@code label} in the body: the body from there, the
         * step and the budget, and for {@code do ... while} the test. Returns whether the loop
         * goes on; a {@code while} or {@code for} loop tests its condition when it does.
         */
        boolean executeRepeatingFromLabel(VirtualFrame frame, int label) {
            try {
                body.executeFromLabel(frame, label);
            } catch (BreakException e) {
                breakTaken.enter();
                return false;
            } catch (ContinueException e) {
                continueTaken.enter();
            }
            if (step != null) {
                step.executeVoid(frame);
            }
            if (steps != null) {
                steps.consume(frame, instance(frame), this);
            }
            return testFirst || testCondition(frame);
        }

        private boolean testCondition(VirtualFrame frame) {
            return condition == null || conditionProfile.profile(condition.executeInt(frame) != 0);
        }

        @Override
        public void executeVoid(VirtualFrame frame) {
            executeRepeating(frame);
        }
    }
}
