// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * Evaluates {@code effects} in order for their effects, then yields {@code value}. The builder uses
 * it to initialize a compound literal before yielding its address; unlike nested
 * {@link KpcCommaNode}s, a long initializer does not make the tree deep.
 */
@NodeInfo(shortName = ",")
public final class KpcSequenceNode extends KpcExpressionNode {

    @Children private final KpcExpressionNode[] effects;
    @Child private KpcExpressionNode value;

    public KpcSequenceNode(KpcExpressionNode[] effects, KpcExpressionNode value) {
        this.effects = effects;
        this.value = value;
    }

    @ExplodeLoop
    private void runEffects(VirtualFrame frame) {
        for (KpcExpressionNode effect : effects) {
            effect.executeVoid(frame);
        }
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        runEffects(frame);
        return value.executeInt(frame);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        runEffects(frame);
        return value.executeLong(frame);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        runEffects(frame);
        value.executeVoid(frame);
    }
}
