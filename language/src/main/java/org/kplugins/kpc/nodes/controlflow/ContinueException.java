// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.nodes.ControlFlowException;

/** Thrown by {@code continue}, caught by the innermost loop. One shared instance: it carries no state. */
public final class ContinueException extends ControlFlowException {

    private static final long serialVersionUID = 1L;

    public static final ContinueException INSTANCE = new ContinueException();

    private ContinueException() {
    }
}
