// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.nodes.KpcStatementNode;

/**
 * {@code switch}: evaluates the selector, finds the statement index of the matching case label,
 * or of {@code default}, and runs the body's statements from there to the end or to a
 * {@code break}, so execution falls through the labels that follow as in C.
 */
@NodeInfo(shortName = "switch")
public final class KpcSwitchNode extends KpcStatementNode {

    @Child private KpcExpressionNode selector;
    private final boolean selectorIsLong;
    @CompilationFinal(dimensions = 1) private final long[] caseValues;
    @CompilationFinal(dimensions = 1) private final int[] caseStatementIndexes;
    /** Statement index of {@code default}, or -1 without one. */
    private final int defaultIndex;
    @Children private final KpcStatementNode[] statements;
    /** The labels in each statement of the body, or null when the function does not use goto or the body has no label. */
    private final LabelRanges labels;

    public KpcSwitchNode(KpcExpressionNode selector, boolean selectorIsLong, long[] caseValues,
                    int[] caseStatementIndexes, int defaultIndex, KpcStatementNode[] statements) {
        this(selector, selectorIsLong, caseValues, caseStatementIndexes, defaultIndex, statements, null);
    }

    public KpcSwitchNode(KpcExpressionNode selector, boolean selectorIsLong, long[] caseValues,
                    int[] caseStatementIndexes, int defaultIndex, KpcStatementNode[] statements, LabelRanges labels) {
        this.labels = labels;
        this.selector = selector;
        this.selectorIsLong = selectorIsLong;
        this.caseValues = caseValues;
        this.caseStatementIndexes = caseStatementIndexes;
        this.defaultIndex = defaultIndex;
        this.statements = statements;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        long value = selectorIsLong ? selector.executeLong(frame) : selector.executeInt(frame);
        int start = findStart(value);
        if (start < 0) {
            return;
        }
        try {
            executeFrom(frame, start);
        } catch (BreakException e) {
            // break leaves the switch.
        }
    }

    /** Case values of an int selector are compared in 32 bits, so unsigned int cases match their bit pattern. */
    @ExplodeLoop
    private int findStart(long value) {
        for (int i = 0; i < caseValues.length; i++) {
            boolean match = selectorIsLong ? caseValues[i] == value : (int) caseValues[i] == (int) value;
            if (match) {
                return caseStatementIndexes[i];
            }
        }
        return defaultIndex;
    }

    @ExplodeLoop
    private void executeFrom(VirtualFrame frame, int start) {
        for (int i = 0; i < statements.length; i++) {
            if (i >= start) {
                statements[i].executeVoid(frame);
            }
        }
    }

    /** Runs the body from {@code label} without evaluating the selector; {@code break} leaves the switch. */
    @Override
    public void executeFromLabel(VirtualFrame frame, int label) {
        try {
            executeFromLabelIn(frame, labels.childContaining(label), label);
        } catch (BreakException e) {
            // break leaves the switch.
        }
    }

    @ExplodeLoop
    private void executeFromLabelIn(VirtualFrame frame, int start, int label) {
        for (int i = 0; i < statements.length; i++) {
            if (i == start && labels.hasLabels(i)) {
                statements[i].executeFromLabel(frame, label);
            } else if (i > start) {
                statements[i].executeVoid(frame);
            }
        }
    }
}
