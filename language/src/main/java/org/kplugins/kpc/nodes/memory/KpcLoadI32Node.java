// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;

/** Loads an int, long, their unsigned forms, a pointer, or the bits of a float. */
@NodeInfo(shortName = "*")
public final class KpcLoadI32Node extends KpcMemoryAccessNode {

    @Child private KpcExpressionNode address;

    public KpcLoadI32Node(KpcExpressionNode address) {
        this.address = address;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int at = address.executeInt(frame);
        AddressSpace memory = memory(frame);
        return memory.loadI32(this, readWindow(memory, at, Integer.BYTES), at);
    }
}
