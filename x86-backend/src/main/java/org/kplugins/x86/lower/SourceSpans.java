// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.lower;

import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * The source spans that the Truffle tier gives its nodes, computed the same way, so that a fault
 * in native code reports the line and column the Truffle tier reports for it.
 */
final class SourceSpans {

    private SourceSpans() {
    }

    /**
     * Returns the span of the operator token of a binary expression or assignment that spans
     * {@code whole}: the last {@code spelling} before the right operand starts. Falls back to the
     * whole expression when the operator is not found there, for example in a macro expansion.
     * This is where a division or an assignment faults in both tiers.
     */
    static SourceLocation operator(SourceLocation whole, SourceLocation rightOperand, String spelling) {
        if (whole == null || rightOperand == null || rightOperand.file() != whole.file()) {
            return whole;
        }
        String text = whole.file().text();
        int index = text.lastIndexOf(spelling, rightOperand.offset() - 1);
        if (index < whole.offset() || index + spelling.length() > rightOperand.offset()) {
            return whole;
        }
        // Line and column stay those of the whole expression, as in the Truffle tier; the report
        // takes them from the offset.
        return new SourceLocation(whole.file(), whole.line(), whole.column(), index, spelling.length());
    }
}
