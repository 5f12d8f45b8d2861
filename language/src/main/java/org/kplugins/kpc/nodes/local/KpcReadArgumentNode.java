// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.local;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * Reads parameter {@code index} (0-based) from the frame arguments, where it follows the plugin
 * instance as an Integer or a Long.
 */
public final class KpcReadArgumentNode extends KpcExpressionNode {

    private final int index;

    public KpcReadArgumentNode(int index) {
        this.index = index;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return (Integer) frame.getArguments()[index + 1];
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        return (Long) frame.getArguments()[index + 1];
    }
}
