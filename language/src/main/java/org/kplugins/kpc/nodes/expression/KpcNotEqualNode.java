// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/** Inequality. Yields int 1 or 0. */
@NodeInfo(shortName = "!=")
public final class KpcNotEqualNode extends KpcComparisonNode {

    public KpcNotEqualNode(KpcExpressionNode left, KpcExpressionNode right, boolean operandsAreLong, boolean unsigned) {
        super(left, right, operandsAreLong, unsigned);
    }

    @Override
    protected boolean compare(int a, int b) {
        return a != b;
    }

    @Override
    protected boolean compare(long a, long b) {
        return a != b;
    }
}
