// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * Copies a struct: {@code size} bytes from the source address to the destination address, with
 * {@code memmove} semantics. Yields the destination address, which is how struct values are
 * carried.
 */
@NodeInfo(shortName = "=")
public final class KpcStructCopyNode extends KpcExpressionNode {

    @Child private KpcExpressionNode destination;
    @Child private KpcExpressionNode source;
    private final int size;

    public KpcStructCopyNode(KpcExpressionNode destination, KpcExpressionNode source, int size) {
        this.destination = destination;
        this.source = source;
        this.size = size;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int to = destination.executeInt(frame);
        int from = source.executeInt(frame);
        // NOTE: AddressSpace.copy is a boundary call that formats its fault description before
        // checking, so struct copies cost far more than scalar stores.
        memory(frame).copy(this, to, from, size);
        return to;
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        executeInt(frame);
    }
}
