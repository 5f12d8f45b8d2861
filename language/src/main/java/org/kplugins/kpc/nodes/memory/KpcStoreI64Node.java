// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Stores a long long or the bits of a double. Evaluates the address, then the value, which is already converted to
 * the target type, and yields the value stored.
 */
@NodeInfo(shortName = "=")
public final class KpcStoreI64Node extends KpcMemoryAccessNode {

    @Child private KpcExpressionNode address;
    @Child private KpcExpressionNode value;

    public KpcStoreI64Node(KpcExpressionNode address, KpcExpressionNode value) {
        this.address = address;
        this.value = value;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        int at = address.executeInt(frame);
        long stored = value.executeLong(frame);
        AddressSpace memory = memory(frame);
        memory.storeI64(this, writeWindow(memory, at, Long.BYTES), at, stored);
        return stored;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        executeLong(frame);
    }
}
