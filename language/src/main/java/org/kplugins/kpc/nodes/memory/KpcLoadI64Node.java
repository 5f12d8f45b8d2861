// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Loads a long long or unsigned long long. */
@NodeInfo(shortName = "*")
public final class KpcLoadI64Node extends KpcExpressionNode {

    @Child private KpcExpressionNode address;

    public KpcLoadI64Node(KpcExpressionNode address) {
        this.address = address;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        int at = address.executeInt(frame);
        return memory(frame).loadI64(this, at);
    }
}
