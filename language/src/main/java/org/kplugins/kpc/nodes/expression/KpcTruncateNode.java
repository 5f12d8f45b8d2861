// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * Converts an int-valued operand to an 8- or 16-bit type: keeps the low bits and sign-extends or
 * zero-extends them, so the value is normalized to the target type's range.
 */
public final class KpcTruncateNode extends KpcExpressionNode {

    @Child private KpcExpressionNode operand;
    private final int bits;
    private final boolean signed;

    public KpcTruncateNode(KpcExpressionNode operand, int bits, boolean signed) {
        assert bits == 8 || bits == 16 : bits;
        this.operand = operand;
        this.bits = bits;
        this.signed = signed;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int value = operand.executeInt(frame);
        if (bits == 8) {
            return signed ? (byte) value : value & 0xFF;
        }
        return signed ? (short) value : value & 0xFFFF;
    }
}
