// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;

/**
 * A shift. The value has the result's kind, while the count is promoted on its own and may be int
 * or long long. Only the low 5 bits of the count are used for 32-bit values and the low 6 bits
 * for 64-bit values, as x86 masks shift counts.
 */
public abstract class KpcShiftNode extends KpcExpressionNode {

    @Child protected KpcExpressionNode value;
    @Child protected KpcExpressionNode count;
    private final boolean countIsLong;

    protected KpcShiftNode(KpcExpressionNode value, KpcExpressionNode count, boolean countIsLong) {
        this.value = value;
        this.count = count;
        this.countIsLong = countIsLong;
    }

    /** Evaluates the count; the caller masks it, so truncating a long long count is exact. */
    protected final int executeCount(VirtualFrame frame) {
        return countIsLong ? (int) count.executeLong(frame) : count.executeInt(frame);
    }
}
