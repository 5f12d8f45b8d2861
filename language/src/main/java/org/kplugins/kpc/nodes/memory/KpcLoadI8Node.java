// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;

/** Loads a char, signed char, unsigned char or _Bool, sign- or zero-extended to int. */
@NodeInfo(shortName = "*")
public final class KpcLoadI8Node extends KpcMemoryAccessNode {

    @Child private KpcExpressionNode address;
    private final boolean signed;

    public KpcLoadI8Node(KpcExpressionNode address, boolean signed) {
        this.address = address;
        this.signed = signed;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int at = address.executeInt(frame);
        AddressSpace memory = memory(frame);
        byte value = memory.loadI8(this, readWindow(memory, at, Byte.BYTES), at);
        return signed ? value : value & 0xFF;
    }
}
