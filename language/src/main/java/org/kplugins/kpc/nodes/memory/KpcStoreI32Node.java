// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.RawBytes;

/**
 * Stores an int, long, pointer or the bits of a float. Evaluates the address, then the value, which is already converted to
 * the target type, and yields the value stored.
 */
@NodeInfo(shortName = "=")
public final class KpcStoreI32Node extends KpcScalarAccessNode {

    @Child private KpcExpressionNode value;

    public KpcStoreI32Node(KpcExpressionNode address, KpcExpressionNode value) {
        super(address);
        this.value = value;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int to = executeBase(frame);
        int at = to + displacement;
        int stored = value.executeInt(frame);
        AddressSpace memory = memory(frame);
        int window = writeWindow(memory, at, Integer.BYTES);
        byte[] array = rawArray(memory, window, to, Integer.BYTES);
        if (array != null) {
            RawBytes.putInt(array, to, displacement, stored);
        } else {
            memory.storeI32(this, window, at, stored);
        }
        return stored;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        executeInt(frame);
    }
}
