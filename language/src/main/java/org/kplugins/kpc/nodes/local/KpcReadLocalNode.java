// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.local;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * Reads a scalar local, parameter or builder temporary that lives in a frame slot: an Int slot for
 * values up to 32 bits and pointers, a Long slot for long long.
 */
public final class KpcReadLocalNode extends KpcExpressionNode {

    private final int slot;

    public KpcReadLocalNode(int slot) {
        this.slot = slot;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return frame.getInt(slot);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        return frame.getLong(slot);
    }
}
