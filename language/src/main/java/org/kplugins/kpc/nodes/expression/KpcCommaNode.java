// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * {@code a, b}: evaluates the void expression {@code a} for its effects, then yields {@code b}.
 * The builder also uses it to sequence the steps of ++, -- and compound assignments.
 */
@NodeInfo(shortName = ",")
public final class KpcCommaNode extends KpcExpressionNode {

    @Child private KpcExpressionNode effect;
    @Child private KpcExpressionNode value;

    public KpcCommaNode(KpcExpressionNode effect, KpcExpressionNode value) {
        this.effect = effect;
        this.value = value;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        effect.executeVoid(frame);
        return value.executeInt(frame);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        effect.executeVoid(frame);
        return value.executeLong(frame);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        effect.executeVoid(frame);
        value.executeVoid(frame);
    }
}
