// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.runtime.Faults;

/** Signed remainder, with the sign of the dividend. A zero divisor and INT_MIN % -1 raise DIVIDE_ERROR, as the x86 idiv instruction does. */
@NodeInfo(shortName = "%")
public final class KpcRemainderNode extends KpcBinaryNode {

    public KpcRemainderNode(KpcExpressionNode left, KpcExpressionNode right) {
        super(left, right);
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int a = left.executeInt(frame);
        int b = right.executeInt(frame);
        if (b == 0) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.divisionByZero(this, instance(frame));
        }
        if (a == Integer.MIN_VALUE && b == -1) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.divisionOverflow(this, instance(frame), '%', false);
        }
        return a % b;
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        long a = left.executeLong(frame);
        long b = right.executeLong(frame);
        if (b == 0) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.divisionByZero(this, instance(frame));
        }
        if (a == Long.MIN_VALUE && b == -1) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.divisionOverflow(this, instance(frame), '%', true);
        }
        return a % b;
    }
}
