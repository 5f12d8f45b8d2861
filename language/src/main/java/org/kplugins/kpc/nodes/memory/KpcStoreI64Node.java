// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.RawBytes;

/**
 * Stores a long long or the bits of a double. Evaluates the address, then the value, which is already converted to
 * the target type, and yields the value stored.
 */
@NodeInfo(shortName = "=")
public final class KpcStoreI64Node extends KpcScalarAccessNode {

    @Child private KpcExpressionNode value;

    public KpcStoreI64Node(KpcExpressionNode address, KpcExpressionNode value) {
        super(address);
        this.value = value;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        int to = executeBase(frame);
        int at = to + displacement;
        long stored = value.executeLong(frame);
        AddressSpace memory = memory(frame);
        int window = writeWindow(memory, at, Long.BYTES);
        byte[] array = rawArray(memory, window, to, Long.BYTES);
        if (array != null) {
            RawBytes.putLong(array, to, displacement, stored);
        } else {
            memory.storeI64(this, window, at, stored);
        }
        return stored;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        executeLong(frame);
    }
}
