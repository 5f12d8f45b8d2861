// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.call;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * A call of the host export {@code void kp_free(void *ptr)}. A pointer that is not a live block
 * raises GENERAL_PROTECTION at this call.
 */
@NodeInfo(shortName = "kp_free")
public final class KpcFreeNode extends KpcExpressionNode {

    @Child private KpcExpressionNode pointer;

    public KpcFreeNode(KpcExpressionNode pointer) {
        this.pointer = pointer;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        int address = pointer.executeInt(frame);
        instance(frame).heap().free(this, address);
    }
}
