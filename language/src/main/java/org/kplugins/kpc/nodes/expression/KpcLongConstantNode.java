// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** A long long constant. */
public final class KpcLongConstantNode extends KpcExpressionNode {

    private final long value;

    public KpcLongConstantNode(long value) {
        this.value = value;
    }

    public long value() {
        return value;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        return value;
    }
}
