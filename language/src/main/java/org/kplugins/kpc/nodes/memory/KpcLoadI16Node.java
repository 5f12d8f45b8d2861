// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.RawBytes;

/** Loads a short or unsigned short, sign- or zero-extended to int. */
@NodeInfo(shortName = "*")
public final class KpcLoadI16Node extends KpcScalarAccessNode {

    private final boolean signed;

    public KpcLoadI16Node(KpcExpressionNode address, boolean signed) {
        super(address);
        this.signed = signed;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int from = executeBase(frame);
        int at = from + displacement;
        AddressSpace memory = memory(frame);
        int window = readWindow(memory, at, Short.BYTES);
        byte[] array = rawArray(memory, window, from, Short.BYTES);
        short value = array != null ? RawBytes.getShort(array, from, displacement) : memory.loadI16(this, window, at);
        return signed ? value : value & 0xFFFF;
    }
}
