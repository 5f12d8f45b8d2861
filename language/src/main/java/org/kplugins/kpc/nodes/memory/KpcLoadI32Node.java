// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Loads an int, long, their unsigned forms, or a pointer. */
@NodeInfo(shortName = "*")
public final class KpcLoadI32Node extends KpcExpressionNode {

    @Child private KpcExpressionNode address;

    public KpcLoadI32Node(KpcExpressionNode address) {
        this.address = address;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int at = address.executeInt(frame);
        return memory(frame).loadI32(this, at);
    }
}
