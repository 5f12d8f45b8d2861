// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.RawBytes;

/** Loads an int, long, their unsigned forms, a pointer, or the bits of a float. */
@NodeInfo(shortName = "*")
public final class KpcLoadI32Node extends KpcScalarAccessNode {


    public KpcLoadI32Node(KpcExpressionNode address) {
        super(address);
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int from = executeBase(frame);
        int at = from + displacement;
        AddressSpace memory = memory(frame);
        int window = readWindow(memory, at, Integer.BYTES);
        byte[] array = rawArray(memory, window, from, Integer.BYTES);
        return array != null ? RawBytes.getInt(array, from, displacement) : memory.loadI32(this, window, at);
    }
}
