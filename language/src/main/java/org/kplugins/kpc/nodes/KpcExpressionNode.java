// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;

/**
 * An expression. The typed AST fixes each expression's {@link ValueKind}, and the parent calls
 * only the matching execute method: {@link #executeInt} for integers up to 32 bits, pointers and
 * structs (as the struct's address), {@link #executeLong} for long long, and {@link #executeVoid}
 * for void expressions. A node overrides the methods of the kinds it can produce.
 */
public abstract class KpcExpressionNode extends KpcNode {

    public int executeInt(VirtualFrame frame) {
        throw CompilerDirectives.shouldNotReachHere(getClass().getSimpleName() + " has no int value");
    }

    public long executeLong(VirtualFrame frame) {
        throw CompilerDirectives.shouldNotReachHere(getClass().getSimpleName() + " has no long long value");
    }

    public void executeVoid(VirtualFrame frame) {
        throw CompilerDirectives.shouldNotReachHere(getClass().getSimpleName() + " is not a void expression");
    }
}
