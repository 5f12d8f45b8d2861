// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.frame.VirtualFrame;

/** A statement: executed for its effects. break, continue and return leave it by exception. */
public abstract class KpcStatementNode extends KpcNode {

    public abstract void executeVoid(VirtualFrame frame);
}
