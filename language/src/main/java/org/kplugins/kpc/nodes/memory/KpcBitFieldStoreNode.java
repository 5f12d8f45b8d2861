// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.types.StructType;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Writes a bit-field: evaluates the address, then the value, loads the storage unit, replaces the
 * bit-field's bits with the low bits of the value and stores the unit back. Yields the value the
 * bit-field now holds, truncated and sign- or zero-extended, which is what C gives as the value
 * of an assignment to a bit-field. The value is an int, or a long for a long long bit-field.
 */
@NodeInfo(shortName = "=")
public final class KpcBitFieldStoreNode extends KpcMemoryAccessNode {

    @Child private KpcExpressionNode address;
    @Child private KpcExpressionNode value;
    private final StructType.BitField bits;
    private final boolean valueIsLong;

    public KpcBitFieldStoreNode(KpcExpressionNode address, KpcExpressionNode value, StructType.BitField bits,
                    boolean valueIsLong) {
        this.address = address;
        this.value = value;
        this.bits = bits;
        this.valueIsLong = valueIsLong;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return (int) executeLong(frame);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        executeLong(frame);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        int at = address.executeInt(frame);
        long stored = valueIsLong ? value.executeLong(frame) : value.executeInt(frame);
        AddressSpace memory = memory(frame);
        int unitSize = bits.unitSize();
        // The read takes the full check, because this node speculates on the write window.
        long unit = switch (unitSize) {
            case 1 -> memory.loadI8(this, at) & 0xFFL;
            case 2 -> memory.loadI16(this, at) & 0xFFFFL;
            case 4 -> memory.loadI32(this, at) & 0xFFFF_FFFFL;
            default -> memory.loadI64(this, at);
        };
        long mask = (bits.width() == 64 ? -1L : (1L << bits.width()) - 1) << bits.bitOffset();
        long updated = (unit & ~mask) | ((stored << bits.bitOffset()) & mask);
        int window = writeWindow(memory, at, unitSize);
        switch (unitSize) {
            case 1 -> memory.storeI8(this, window, at, (byte) updated);
            case 2 -> memory.storeI16(this, window, at, (short) updated);
            case 4 -> memory.storeI32(this, window, at, (int) updated);
            default -> memory.storeI64(this, window, at, updated);
        }
        return KpcBitFieldLoadNode.extract(updated, bits);
    }
}
