// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** A constant of up to 32 bits: an integer constant or a fixed address (global, string literal). */
public final class KpcIntConstantNode extends KpcExpressionNode {

    private final int value;

    public KpcIntConstantNode(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return value;
    }
}
