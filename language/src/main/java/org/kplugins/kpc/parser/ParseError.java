// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

/**
 * Unwinds the parser to the nearest recovery point (the enclosing statement, declaration or
 * external declaration) after a syntax error has been reported to the sink. It never escapes
 * {@link Parser#parseTranslationUnit()}.
 */
final class ParseError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Whether the error is "nesting too deep". Only the outermost recovery point recovers from
     * it, by skipping the whole statement or external declaration, because the tokens after the
     * error still close the levels that were too deep.
     */
    final boolean nestingTooDeep;

    ParseError() {
        this(false);
    }

    ParseError(boolean nestingTooDeep) {
        super(null, null, false, false);
        this.nestingTooDeep = nestingTooDeep;
    }
}
