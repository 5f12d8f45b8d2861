// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcStatementNode;
import org.kplugins.kpc.nodes.local.KpcWriteLocalNode;

/** {@code return}: stores the value, if any, in the return slot and leaves the function. */
@NodeInfo(shortName = "return")
public final class KpcReturnNode extends KpcStatementNode {

    /** Writes the return slot, or null for {@code return;}. */
    @Child private KpcWriteLocalNode storeValue;

    public KpcReturnNode(KpcWriteLocalNode storeValue) {
        this.storeValue = storeValue;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        if (storeValue != null) {
            storeValue.executeVoid(frame);
        }
        throw ReturnException.INSTANCE;
    }
}
