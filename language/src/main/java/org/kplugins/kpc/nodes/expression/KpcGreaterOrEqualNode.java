// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Greater than or equal. Yields int 1 or 0. */
@NodeInfo(shortName = ">=")
public final class KpcGreaterOrEqualNode extends KpcComparisonNode {

    public KpcGreaterOrEqualNode(KpcExpressionNode left, KpcExpressionNode right, boolean operandsAreLong, boolean unsigned) {
        super(left, right, operandsAreLong, unsigned);
    }

    @Override
    protected boolean compare(int a, int b) {
        return unsigned ? Integer.compareUnsigned(a, b) >= 0 : a >= b;
    }

    @Override
    protected boolean compare(long a, long b) {
        return unsigned ? Long.compareUnsigned(a, b) >= 0 : a >= b;
    }
}
