// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.ArityException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import org.kplugins.kpc.KpcLanguage;

/**
 * An exported function of one plugin instance, as the host sees it: executable with the
 * arguments described in {@link HostArguments}.
 */
@ExportLibrary(InteropLibrary.class)
public final class KpcFunction implements TruffleObject {

    private final PluginInstance instance;
    private final FunctionEntry entry;

    KpcFunction(PluginInstance instance, FunctionEntry entry) {
        this.instance = instance;
        this.entry = entry;
    }

    public FunctionEntry entry() {
        return entry;
    }

    @ExportMessage
    boolean isExecutable() {
        return true;
    }

    @ExportMessage
    Object execute(Object[] arguments) throws ArityException, UnsupportedTypeException {
        return instance.callFromHost(entry, arguments);
    }

    @ExportMessage
    boolean hasExecutableName() {
        return true;
    }

    @ExportMessage
    Object getExecutableName() {
        return entry.name();
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<KpcLanguage> getLanguage() {
        return KpcLanguage.class;
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(@SuppressWarnings("unused") boolean allowSideEffects) {
        return entry.type().prototype(entry.name());
    }
}
