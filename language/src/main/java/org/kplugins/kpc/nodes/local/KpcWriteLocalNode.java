// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.local;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * Stores a value in a frame slot and yields it, as C assignment does. The value must already be
 * converted to the variable's type.
 */
@NodeInfo(shortName = "=")
public final class KpcWriteLocalNode extends KpcExpressionNode {

    private final int slot;
    private final boolean isLong;
    @Child private KpcExpressionNode value;

    public KpcWriteLocalNode(int slot, boolean isLong, KpcExpressionNode value) {
        this.slot = slot;
        this.isLong = isLong;
        this.value = value;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int result = value.executeInt(frame);
        frame.setInt(slot, result);
        return result;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        long result = value.executeLong(frame);
        frame.setLong(slot, result);
        return result;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        if (isLong) {
            executeLong(frame);
        } else {
            executeInt(frame);
        }
    }
}
