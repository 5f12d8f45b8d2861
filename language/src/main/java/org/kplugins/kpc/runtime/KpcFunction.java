// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Cached;
import com.oracle.truffle.api.dsl.Specialization;
import com.oracle.truffle.api.interop.ArityException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import com.oracle.truffle.api.nodes.DirectCallNode;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import java.util.List;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.monitor.fault.PluginFault;

/**
 * An exported function of one plugin instance, as the host sees it: executable with the
 * arguments described in {@link HostArguments}.
 */
@ExportLibrary(InteropLibrary.class)
public final class KpcFunction implements TruffleObject {

    final PluginInstance instance;
    final FunctionEntry entry;

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

    /**
     * Calls the function. A call whose parameters are all integers and whose arguments are all
     * boxed Integer or Long values takes a path that the compiler can inline into the host's call
     * site: no mapping, no boundary, the callee called directly. Every other call converts and maps
     * its arguments as {@link HostArguments} describes.
     */
    @ExportMessage
    static final class Execute {

        @Specialization(guards = {"function.entry.callTarget() == cachedTarget", "cachedDirect",
                        "hasIntegerArguments(arguments, cachedConversions)"}, limit = "3")
        static Object doDirect(KpcFunction function, Object[] arguments,
                        @Cached("function.entry.callTarget()") CallTarget cachedTarget,
                        @Cached("function.entry.isDirectlyCallable()") boolean cachedDirect,
                        @Cached(value = "function.entry.argumentConversions()", dimensions = 1) int[] cachedConversions,
                        @Cached("function.entry.resultConversion()") int cachedResultConversion,
                        @Cached("create(cachedTarget)") DirectCallNode callNode) {
            PluginInstance instance = function.instance;
            Object[] frameArguments = HostArguments.toDirectFrameArguments(instance, arguments, cachedConversions);
            instance.beginDirectCall();
            try {
                return HostArguments.toDirectHostValue(callNode.call(frameArguments), cachedResultConversion);
            } catch (PluginFault fault) {
                instance.recordFault();
                throw fault;
            } finally {
                instance.endDirectCall();
            }
        }

        @Specialization(replaces = "doDirect")
        static Object doGeneric(KpcFunction function, Object[] arguments) throws ArityException, UnsupportedTypeException {
            return function.instance.callFromHost(function.entry, arguments);
        }

        @ExplodeLoop
        static boolean hasIntegerArguments(Object[] arguments, int[] conversions) {
            if (arguments.length != conversions.length) {
                return false;
            }
            for (int i = 0; i < conversions.length; i++) {
                Object argument = arguments[i];
                if (!(argument instanceof Integer) && !(argument instanceof Long)) {
                    return false;
                }
            }
            return true;
        }
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
