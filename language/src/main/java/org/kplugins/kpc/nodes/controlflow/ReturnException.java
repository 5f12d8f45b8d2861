// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.nodes.ControlFlowException;

/** Thrown by {@code return} after it stored the value in the function's return slot; caught by the function's root node. One shared instance: it carries no state. */
public final class ReturnException extends ControlFlowException {

    private static final long serialVersionUID = 1L;

    public static final ReturnException INSTANCE = new ReturnException();

    private ReturnException() {
    }
}
