// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.debug;

import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import org.kplugins.kpc.KpcLanguage;

/** The value that a tool shows in place of a C value that cannot be read, with the reason in angle brackets. */
@ExportLibrary(InteropLibrary.class)
final class UnreadableValue implements TruffleObject {

    private final String reason;

    UnreadableValue(String reason) {
        this.reason = reason;
    }

    /** Returns the value shown for an object on a page that is not present or beyond the segment limit. */
    static UnreadableValue at(int address) {
        return new UnreadableValue(String.format("cannot read memory at 0x%08x", address));
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
        return "<" + reason + ">";
    }
}
