// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.nodes.ControlFlowException;

/**
 * Thrown by {@code goto} after it stored the target label in the function's goto state slot;
 * caught by the function's {@link KpcGotoDispatchNode}. One shared instance: it carries no state.
 */
public final class GotoException extends ControlFlowException {

    private static final long serialVersionUID = 1L;

    public static final GotoException INSTANCE = new GotoException();

    private GotoException() {
    }
}
