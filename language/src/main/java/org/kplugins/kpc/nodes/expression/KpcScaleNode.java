// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import java.util.concurrent.ConcurrentHashMap;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * Multiplication by a constant of the form 2^n + 1 or 2^n - 1, such as 3 for a struct of three
 * bytes, keeping the low 32 or 64 bits.
 *
 * <p>Graal rewrites {@code x * 3} into {@code (x << 1) + x}, which its loop analysis does not
 * take for an induction variable, so the memory checks of {@code &p[i]} stay inside a loop over
 * {@code i}. Read from an array element, the factor is a loop-invariant load instead of a
 * constant, and the product stays a multiplication that the loop analysis follows.
 */
@NodeInfo(shortName = "*")
public final class KpcScaleNode extends KpcExpressionNode {

    /** One single-element array per factor, shared so that compiled code loads each factor once. */
    private static final ConcurrentHashMap<Long, long[]> FACTOR_CELLS = new ConcurrentHashMap<>();

    @Child private KpcExpressionNode operand;
    /** The factor in element 0. Partial evaluation folds the reference but not the element. */
    private final long[] factorCell;

    private KpcScaleNode(KpcExpressionNode operand, long factor) {
        this.operand = operand;
        this.factorCell = FACTOR_CELLS.computeIfAbsent(factor, value -> new long[] {value});
    }

    /**
     * Returns a node for {@code left * right}: a scale node when one operand is a constant that
     * Graal would turn into a shift and an add, a {@link KpcMultiplyNode} otherwise.
     */
    public static KpcExpressionNode multiply(KpcExpressionNode left, KpcExpressionNode right) {
        if (isConstant(left) && isConstant(right)) {
            return new KpcMultiplyNode(left, right);
        }
        Long rightFactor = awkwardFactor(right);
        if (rightFactor != null) {
            return new KpcScaleNode(left, rightFactor);
        }
        Long leftFactor = awkwardFactor(left);
        if (leftFactor != null) {
            return new KpcScaleNode(right, leftFactor);
        }
        return new KpcMultiplyNode(left, right);
    }

    private static boolean isConstant(KpcExpressionNode node) {
        return node instanceof KpcIntConstantNode || node instanceof KpcLongConstantNode;
    }

    /** Returns the value of a constant operand above 2 of the form 2^n ± 1, or null. */
    private static Long awkwardFactor(KpcExpressionNode node) {
        long value;
        if (node instanceof KpcIntConstantNode constant) {
            value = constant.value();
        } else if (node instanceof KpcLongConstantNode constant) {
            value = constant.value();
        } else {
            return null;
        }
        boolean awkward = value > 2 && (Long.bitCount(value - 1) == 1 || Long.bitCount(value + 1) == 1);
        return awkward ? value : null;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return operand.executeInt(frame) * (int) factorCell[0];
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        return operand.executeLong(frame) * factorCell[0];
    }
}
