// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * A comparison of two floats or two doubles, carried as their bits, as IEEE 754 defines it:
 * -0.0 equals +0.0, and a NaN compares unequal to everything, itself included, so only
 * {@code !=} is true for it. The result is int 1 or 0.
 */
public final class KpcFloatingComparisonNode extends KpcExpressionNode {

    @Child private KpcExpressionNode left;
    @Child private KpcExpressionNode right;
    private final BinaryOp op;
    private final boolean operandsAreDouble;

    public KpcFloatingComparisonNode(BinaryOp op, KpcExpressionNode left, KpcExpressionNode right,
                    boolean operandsAreDouble) {
        if (!op.isComparison()) {
            throw new IllegalArgumentException("not a comparison: " + op.spelling);
        }
        this.left = left;
        this.right = right;
        this.op = op;
        this.operandsAreDouble = operandsAreDouble;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        double a;
        double b;
        if (operandsAreDouble) {
            a = Double.longBitsToDouble(left.executeLong(frame));
            b = Double.longBitsToDouble(right.executeLong(frame));
        } else {
            // float to double is exact, so the comparison gives the same result in double.
            a = Float.intBitsToFloat(left.executeInt(frame));
            b = Float.intBitsToFloat(right.executeInt(frame));
        }
        boolean result = switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            default -> a >= b;
        };
        return result ? 1 : 0;
    }
}
