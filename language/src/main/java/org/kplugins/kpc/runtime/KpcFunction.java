// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.ArityException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import java.util.List;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FunctionType;

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

    /**
     * Returns the function's C prototype without parameter names, with typedef names resolved and
     * without the qualifiers of the parameters and the result themselves, which are not part of a
     * C function type. For example {@code int transcode(const uint8_t *const in, uint8_t *out,
     * const uint32_t width, uint32_t height)} shows as {@code int transcode(const unsigned char *,
     * unsigned char *, unsigned int, unsigned int)}. The kpc launcher compares this text to the
     * prototype it calls.
     */
    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(@SuppressWarnings("unused") boolean allowSideEffects) {
        FunctionType type = entry.type();
        List<CType> parameters = type.parameterTypes().stream().map(CType::unqualified).toList();
        return new FunctionType(type.returnType().unqualified(), parameters, type.isVariadic()).prototype(entry.name());
    }
}
