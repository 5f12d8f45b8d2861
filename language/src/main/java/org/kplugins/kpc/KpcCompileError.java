// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc;

import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.interop.ExceptionType;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import com.oracle.truffle.api.source.SourceSection;
import org.kplugins.kpc.diagnostics.CompileException;

/**
 * A plugin that does not compile or link, as the host sees it: a syntax error
 * ({@code PolyglotException.isSyntaxError()}) whose message is every diagnostic rendered, exactly
 * as {@link CompileException#getMessage()} renders them.
 */
@ExportLibrary(InteropLibrary.class)
public final class KpcCompileError extends AbstractTruffleException {

    private static final long serialVersionUID = 1L;

    private final transient SourceSection location;

    /** @param location the first diagnostic's source section, or null when it has none */
    public KpcCompileError(CompileException cause, SourceSection location) {
        super(cause.getMessage());
        this.location = location;
    }

    @ExportMessage
    ExceptionType getExceptionType() {
        return ExceptionType.PARSE_ERROR;
    }

    @ExportMessage
    boolean hasSourceLocation() {
        return location != null;
    }

    @ExportMessage(name = "getSourceLocation")
    SourceSection sourceLocation() throws com.oracle.truffle.api.interop.UnsupportedMessageException {
        if (location == null) {
            throw com.oracle.truffle.api.interop.UnsupportedMessageException.create();
        }
        return location;
    }
}
