// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Stores the low 16 bits of an int-valued value: a short. Evaluates the address, then the value, which is already converted to
 * the target type, and yields the value stored.
 */
@NodeInfo(shortName = "=")
public final class KpcStoreI16Node extends KpcMemoryAccessNode {

    @Child private KpcExpressionNode address;
    @Child private KpcExpressionNode value;

    public KpcStoreI16Node(KpcExpressionNode address, KpcExpressionNode value) {
        this.address = address;
        this.value = value;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int at = address.executeInt(frame);
        int stored = value.executeInt(frame);
        AddressSpace memory = memory(frame);
        memory.storeI16(this, writeWindow(memory, at, Short.BYTES), at, (short) stored);
        return stored;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        executeInt(frame);
    }
}
