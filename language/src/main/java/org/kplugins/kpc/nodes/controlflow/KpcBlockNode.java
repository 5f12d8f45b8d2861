// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcStatementNode;

/** A compound statement {@code { ... }}, or the steps of a local definition: runs its statements in order. */
@NodeInfo(shortName = "block")
public final class KpcBlockNode extends KpcStatementNode {

    @Children private final KpcStatementNode[] statements;
    /** The labels in each statement, or null when the function does not use goto or the block has no label. */
    private final LabelRanges labels;

    public KpcBlockNode(KpcStatementNode[] statements) {
        this(statements, null);
    }

    public KpcBlockNode(KpcStatementNode[] statements, LabelRanges labels) {
        this.statements = statements;
        this.labels = labels;
    }

    @Override
    @ExplodeLoop
    public void executeVoid(VirtualFrame frame) {
        for (KpcStatementNode statement : statements) {
            statement.executeVoid(frame);
        }
    }

    /** Runs the statement that contains {@code label} from there, then the statements after it. */
    @Override
    @ExplodeLoop
    public void executeFromLabel(VirtualFrame frame, int label) {
        int start = labels.childContaining(label);
        for (int i = 0; i < statements.length; i++) {
            if (i == start && labels.hasLabels(i)) {
                statements[i].executeFromLabel(frame, label);
            } else if (i > start) {
                statements[i].executeVoid(frame);
            }
        }
    }
}
