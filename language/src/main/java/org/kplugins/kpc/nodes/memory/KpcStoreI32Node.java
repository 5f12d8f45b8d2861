// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Stores an int, long, pointer or the bits of a float. Evaluates the address, then the value, which is already converted to
 * the target type, and yields the value stored.
 */
@NodeInfo(shortName = "=")
public final class KpcStoreI32Node extends KpcMemoryAccessNode {

    @Child private KpcExpressionNode address;
    @Child private KpcExpressionNode value;

    public KpcStoreI32Node(KpcExpressionNode address, KpcExpressionNode value) {
        this.address = address;
        this.value = value;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int at = address.executeInt(frame);
        int stored = value.executeInt(frame);
        AddressSpace memory = memory(frame);
        memory.storeI32(this, writeWindow(memory, at, Integer.BYTES), at, stored);
        return stored;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        executeInt(frame);
    }
}
