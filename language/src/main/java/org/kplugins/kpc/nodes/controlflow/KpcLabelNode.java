// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcStatementNode;

/**
 * A label in a function that uses goto. It does nothing: the block that holds it goes on with the
 * statement after it, whether execution reaches it in order or by a goto.
 */
@NodeInfo(shortName = "label")
public final class KpcLabelNode extends KpcStatementNode {

    @Override
    public void executeVoid(VirtualFrame frame) {
    }

    @Override
    public void executeFromLabel(VirtualFrame frame, int label) {
    }
}
