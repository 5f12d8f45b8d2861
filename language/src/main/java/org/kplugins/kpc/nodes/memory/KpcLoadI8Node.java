// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.RawBytes;

/** Loads a char, signed char, unsigned char or _Bool, sign- or zero-extended to int. */
@NodeInfo(shortName = "*")
public final class KpcLoadI8Node extends KpcScalarAccessNode {

    private final boolean signed;

    public KpcLoadI8Node(KpcExpressionNode address, boolean signed) {
        super(address);
        this.signed = signed;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int from = executeBase(frame);
        int at = from + displacement;
        AddressSpace memory = memory(frame);
        int window = readWindow(memory, at, Byte.BYTES);
        byte[] array = rawArray(memory, window, from, Byte.BYTES);
        byte value = array != null ? RawBytes.getByte(array, from, displacement) : memory.loadI8(this, window, at);
        return signed ? value : value & 0xFF;
    }
}
