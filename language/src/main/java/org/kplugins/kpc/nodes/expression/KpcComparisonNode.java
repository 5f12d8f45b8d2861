// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * A comparison of two operands of a common type, int or long long, signed or unsigned; pointers
 * compare unsigned. The result is int 1 or 0.
 */
public abstract class KpcComparisonNode extends KpcExpressionNode {

    @Child private KpcExpressionNode left;
    @Child private KpcExpressionNode right;
    private final boolean operandsAreLong;
    protected final boolean unsigned;

    protected KpcComparisonNode(KpcExpressionNode left, KpcExpressionNode right, boolean operandsAreLong,
                    boolean unsigned) {
        this.left = left;
        this.right = right;
        this.operandsAreLong = operandsAreLong;
        this.unsigned = unsigned;
    }

    protected abstract boolean compare(int a, int b);

    protected abstract boolean compare(long a, long b);

    @Override
    public final int executeInt(VirtualFrame frame) {
        boolean result;
        if (operandsAreLong) {
            long a = left.executeLong(frame);
            long b = right.executeLong(frame);
            result = compare(a, b);
        } else {
            int a = left.executeInt(frame);
            int b = right.executeInt(frame);
            result = compare(a, b);
        }
        return result ? 1 : 0;
    }
}
