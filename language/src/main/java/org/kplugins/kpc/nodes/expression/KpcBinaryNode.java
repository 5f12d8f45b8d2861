// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * A binary operator whose operands have the same kind as its result: both int or both long long.
 * Subclasses implement {@code executeInt} and {@code executeLong} by calling the same method on
 * both operands, left first.
 */
public abstract class KpcBinaryNode extends KpcExpressionNode {

    @Child protected KpcExpressionNode left;
    @Child protected KpcExpressionNode right;

    protected KpcBinaryNode(KpcExpressionNode left, KpcExpressionNode right) {
        this.left = left;
        this.right = right;
    }
}
