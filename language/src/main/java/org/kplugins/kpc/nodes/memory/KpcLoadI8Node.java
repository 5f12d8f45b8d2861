// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Loads a char, signed char, unsigned char or _Bool, sign- or zero-extended to int. */
@NodeInfo(shortName = "*")
public final class KpcLoadI8Node extends KpcExpressionNode {

    @Child private KpcExpressionNode address;
    private final boolean signed;

    public KpcLoadI8Node(KpcExpressionNode address, boolean signed) {
        this.address = address;
        this.signed = signed;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int at = address.executeInt(frame);
        byte value = memory(frame).loadI8(this, at);
        return signed ? value : value & 0xFF;
    }
}
