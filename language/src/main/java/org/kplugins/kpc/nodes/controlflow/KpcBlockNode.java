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

    public KpcBlockNode(KpcStatementNode[] statements) {
        this.statements = statements;
    }

    @Override
    @ExplodeLoop
    public void executeVoid(VirtualFrame frame) {
        for (KpcStatementNode statement : statements) {
            statement.executeVoid(frame);
        }
    }
}
