// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import org.graalvm.polyglot.PolyglotException;

/**
 * A plugin call that used up its execution budget. {@link KpcMain} prints the fault's report and
 * then the kpc options that set the budget.
 */
final class BudgetFaultException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BudgetFaultException(PolyglotException fault) {
        super(fault.getMessage(), fault);
    }

    /** Returns the fault as the plugin raised it. */
    PolyglotException fault() {
        return (PolyglotException) getCause();
    }
}
