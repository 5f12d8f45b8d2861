// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.call;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** A call of the host export {@code void *kp_alloc(size_t size)}: a block of the plugin heap, or NULL. */
@NodeInfo(shortName = "kp_alloc")
public final class KpcAllocNode extends KpcExpressionNode {

    @Child private KpcExpressionNode size;

    public KpcAllocNode(KpcExpressionNode size) {
        this.size = size;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int bytes = size.executeInt(frame);
        return instance(frame).heap().allocate(bytes);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        executeInt(frame);
    }
}
