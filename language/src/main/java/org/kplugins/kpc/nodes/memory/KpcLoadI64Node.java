// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.RawBytes;

/** Loads a long long, an unsigned long long, or the bits of a double. */
@NodeInfo(shortName = "*")
public final class KpcLoadI64Node extends KpcScalarAccessNode {


    public KpcLoadI64Node(KpcExpressionNode address) {
        super(address);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        int from = executeBase(frame);
        int at = from + displacement;
        AddressSpace memory = memory(frame);
        int window = readWindow(memory, at, Long.BYTES);
        byte[] array = rawArray(memory, window, from, Long.BYTES);
        return array != null ? RawBytes.getLong(array, from, displacement) : memory.loadI64(this, window, at);
    }
}
