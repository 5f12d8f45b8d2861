// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.runtime.Faults;

/** Unsigned division. Division by zero raises DIVIDE_ERROR. */
@NodeInfo(shortName = "/")
public final class KpcUnsignedDivideNode extends KpcBinaryNode {

    public KpcUnsignedDivideNode(KpcExpressionNode left, KpcExpressionNode right) {
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
        return Integer.divideUnsigned(a, b);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        long a = left.executeLong(frame);
        long b = right.executeLong(frame);
        if (b == 0) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.divisionByZero(this, instance(frame));
        }
        return Long.divideUnsigned(a, b);
    }
}
