// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.local;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.nodes.KpcFunctionRootNode;

/**
 * The plugin-memory address of a local that lives in the function's stack frame (an array, a
 * struct or an address-taken scalar): the frame base plus the local's offset.
 */
public final class KpcFrameAddressNode extends KpcExpressionNode {

    private final int offset;

    public KpcFrameAddressNode(int offset) {
        this.offset = offset;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return frame.getInt(KpcFunctionRootNode.FRAME_BASE_SLOT) + offset;
    }
}
