// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import java.util.List;
import org.kplugins.kpc.KpcContext;
import org.kplugins.kpc.KpcLanguage;

/**
 * The top scope of a context, which {@code Context.getBindings("kpc")} shows: the exported
 * functions of the plugin instance evaluated most recently, or no members before the first.
 */
@ExportLibrary(InteropLibrary.class)
public final class KpcScope implements TruffleObject {

    private final KpcContext context;

    public KpcScope(KpcContext context) {
        this.context = context;
    }

    @ExportMessage
    boolean isScope() {
        return true;
    }

    @ExportMessage
    boolean hasMembers() {
        return true;
    }

    @ExportMessage
    @TruffleBoundary
    Object getMembers(@SuppressWarnings("unused") boolean includeInternal) {
        PluginInstance plugin = context.lastPlugin();
        return new KpcMemberNames(plugin == null ? List.of() : plugin.program().exportNames());
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberReadable(String member) {
        PluginInstance plugin = context.lastPlugin();
        return plugin != null && plugin.function(member) != null;
    }

    @ExportMessage
    @TruffleBoundary
    Object readMember(String member) throws UnknownIdentifierException {
        PluginInstance plugin = context.lastPlugin();
        KpcFunction function = plugin == null ? null : plugin.function(member);
        if (function == null) {
            throw UnknownIdentifierException.create(member);
        }
        return function;
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
    Object toDisplayString(@SuppressWarnings("unused") boolean allowSideEffects) {
        return "global";
    }
}
