// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Loads a short or unsigned short, sign- or zero-extended to int. */
@NodeInfo(shortName = "*")
public final class KpcLoadI16Node extends KpcExpressionNode {

    @Child private KpcExpressionNode address;
    private final boolean signed;

    public KpcLoadI16Node(KpcExpressionNode address, boolean signed) {
        this.address = address;
        this.signed = signed;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int at = address.executeInt(frame);
        short value = memory(frame).loadI16(this, at);
        return signed ? value : value & 0xFFFF;
    }
}
