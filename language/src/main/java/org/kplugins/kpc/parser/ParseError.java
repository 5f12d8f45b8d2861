// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

/**
 * Unwinds the parser to the nearest recovery point (the enclosing statement, declaration or
 * external declaration) after a syntax error has been reported to the sink. It never escapes
 * {@link Parser#parseTranslationUnit()}.
 */
final class ParseError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ParseError() {
        super(null, null, false, false);
    }
}
