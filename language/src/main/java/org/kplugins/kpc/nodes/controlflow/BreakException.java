// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.nodes.ControlFlowException;

/** Thrown by {@code break}, caught by the innermost loop or switch. One shared instance: it carries no state. */
public final class BreakException extends ControlFlowException {

    private static final long serialVersionUID = 1L;

    public static final BreakException INSTANCE = new BreakException();

    private BreakException() {
    }
}
