// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;

/** Loads a long long, an unsigned long long, or the bits of a double. */
@NodeInfo(shortName = "*")
public final class KpcLoadI64Node extends KpcMemoryAccessNode {

    @Child private KpcExpressionNode address;

    public KpcLoadI64Node(KpcExpressionNode address) {
        this.address = address;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        int at = address.executeInt(frame);
        AddressSpace memory = memory(frame);
        return memory.loadI64(this, readWindow(memory, at, Long.BYTES), at);
    }
}
