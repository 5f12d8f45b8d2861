// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Widens an int-valued operand to long long: sign-extends signed types, zero-extends unsigned ones and pointers. */
public final class KpcIntToLongNode extends KpcExpressionNode {

    @Child private KpcExpressionNode operand;
    private final boolean signed;

    public KpcIntToLongNode(KpcExpressionNode operand, boolean signed) {
        this.operand = operand;
        this.signed = signed;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        int value = operand.executeInt(frame);
        return signed ? value : Integer.toUnsignedLong(value);
    }
}
