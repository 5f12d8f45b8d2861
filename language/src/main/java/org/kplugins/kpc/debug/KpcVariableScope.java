// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.debug;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.Frame;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import java.util.ArrayList;
import java.util.List;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.runtime.KpcMemberNames;
import org.kplugins.kpc.runtime.PluginInstance;

/**
 * An interop scope of C variables, as {@code NodeLibrary.getScope} returns it: a function's
 * parameters and visible locals, whose parent is the scope of the plugin's globals. Members are
 * read when a tool requests them, so a debugger shows the values of the moment.
 *
 * <p>As interop requires of scopes, the members are this scope's variables followed by all
 * members of the parent, and a name in this scope hides the same name in the parent.
 */
@ExportLibrary(InteropLibrary.class)
final class KpcVariableScope implements TruffleObject {

    private final String name;
    private final List<CVariable> variables;
    /** The frame of the function call, or null for the globals or when no frame is known. */
    private final Frame frame;
    /** The plugin instance whose memory contains the values, or null when no frame is known. */
    private final PluginInstance instance;
    private final KpcVariableScope parent;

    KpcVariableScope(String name, List<CVariable> variables, Frame frame, PluginInstance instance,
                    KpcVariableScope parent) {
        this.name = name;
        this.variables = variables;
        this.frame = frame;
        this.instance = instance;
        this.parent = parent;
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
        return new KpcMemberNames(memberNames());
    }

    private List<String> memberNames() {
        List<String> names = new ArrayList<>();
        for (CVariable variable : variables) {
            names.add(variable.name());
        }
        if (parent != null) {
            names.addAll(parent.memberNames());
        }
        return names;
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberReadable(String member) {
        if (find(member) != null) {
            return instance != null;
        }
        return parent != null && parent.isMemberReadable(member);
    }

    @ExportMessage
    @TruffleBoundary
    Object readMember(String member) throws UnknownIdentifierException {
        CVariable variable = find(member);
        if (variable == null && parent != null) {
            return parent.readMember(member);
        }
        if (variable == null || instance == null) {
            throw UnknownIdentifierException.create(member);
        }
        return variable.read(frame, instance);
    }

    private CVariable find(String member) {
        for (CVariable variable : variables) {
            if (variable.name().equals(member)) {
                return variable;
            }
        }
        return null;
    }

    @ExportMessage
    boolean hasScopeParent() {
        return parent != null;
    }

    @ExportMessage
    Object getScopeParent() throws UnsupportedMessageException {
        if (parent == null) {
            throw UnsupportedMessageException.create();
        }
        return parent;
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
        return name;
    }
}
