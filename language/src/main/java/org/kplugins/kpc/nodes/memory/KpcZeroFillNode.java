// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Sets {@code size} bytes at an address to zero, for local definitions whose initializer does not
 * cover the whole object. Objects of up to {@link #UNROLLED_LIMIT} bytes are cleared with 4-byte
 * and 1-byte stores, larger ones with one bulk fill.
 */
public final class KpcZeroFillNode extends KpcExpressionNode {

    /** Largest size, in bytes, cleared with individual stores instead of a bulk fill. */
    static final int UNROLLED_LIMIT = 64;

    @Child private KpcExpressionNode address;
    private final int size;

    public KpcZeroFillNode(KpcExpressionNode address, int size) {
        this.address = address;
        this.size = size;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        int at = address.executeInt(frame);
        AddressSpace memory = memory(frame);
        if (size <= UNROLLED_LIMIT) {
            clearUnrolled(memory, at);
        } else {
            memory.fill(this, at, (byte) 0, size);
        }
    }

    @ExplodeLoop
    private void clearUnrolled(AddressSpace memory, int at) {
        int words = size / 4;
        for (int i = 0; i < words; i++) {
            memory.storeI32(this, at + 4 * i, 0);
        }
        for (int i = words * 4; i < size; i++) {
            memory.storeI8(this, at + i, (byte) 0);
        }
    }
}
