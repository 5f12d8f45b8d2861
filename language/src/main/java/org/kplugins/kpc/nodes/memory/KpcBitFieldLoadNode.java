// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.types.StructType;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Reads a bit-field: loads its whole storage unit at {@code address} and extracts the bits,
 * sign-extending a signed bit-field. Yields an int, or a long for a long long bit-field.
 */
@NodeInfo(shortName = ".")
public final class KpcBitFieldLoadNode extends KpcMemoryAccessNode {

    @Child private KpcExpressionNode address;
    private final StructType.BitField bits;

    public KpcBitFieldLoadNode(KpcExpressionNode address, StructType.BitField bits) {
        this.address = address;
        this.bits = bits;
    }

    /** Loads the storage unit as 64 bits, zero-extended. */
    static long loadUnit(KpcMemoryAccessNode node, AddressSpace memory, int at, int unitSize) {
        int window = node.readWindow(memory, at, unitSize);
        return switch (unitSize) {
            case 1 -> memory.loadI8(node, window, at) & 0xFFL;
            case 2 -> memory.loadI16(node, window, at) & 0xFFFFL;
            case 4 -> memory.loadI32(node, window, at) & 0xFFFF_FFFFL;
            default -> memory.loadI64(node, window, at);
        };
    }

    /** Extracts the bit-field's value from its unit, sign- or zero-extended to 64 bits. */
    static long extract(long unit, StructType.BitField bits) {
        int shiftLeft = 64 - bits.bitOffset() - bits.width();
        long top = unit << shiftLeft;
        return bits.signed() ? top >> (64 - bits.width()) : top >>> (64 - bits.width());
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return (int) executeLong(frame);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        int at = address.executeInt(frame);
        return extract(loadUnit(this, memory(frame), at, bits.unitSize()), bits);
    }
}
