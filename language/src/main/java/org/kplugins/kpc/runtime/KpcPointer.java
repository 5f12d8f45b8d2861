// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import org.kplugins.kpc.KpcLanguage;

/**
 * A C pointer value outside plugin code: the result of a function that returns a pointer, or the
 * value of a pointer variable that a debugger shows. It is an interop pointer whose
 * {@code asPointer} is the unsigned 32-bit plugin address, and NULL is also an interop null.
 * Passed back to a pointer parameter it is that address again.
 */
@ExportLibrary(InteropLibrary.class)
public final class KpcPointer implements TruffleObject {

    private final int address;
    /** Text that a debugger shows after the address, such as the string a char pointer points to, or null. */
    private final String target;

    /**
     * @param address the plugin address
     * @param target  text shown after the address, such as the quoted string that a
     *                {@code char *} points to, or null
     */
    public KpcPointer(int address, String target) {
        this.address = address;
        this.target = target;
    }

    /** Returns the plugin address. */
    public int address() {
        return address;
    }

    @ExportMessage
    boolean isPointer() {
        return true;
    }

    @ExportMessage
    long asPointer() {
        return Integer.toUnsignedLong(address);
    }

    @ExportMessage
    boolean isNull() {
        return address == 0;
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<KpcLanguage> getLanguage() {
        return KpcLanguage.class;
    }

    /** Returns the address as {@code 0x} and 8 hex digits, as printk's {@code %p} prints it, then the target if any. */
    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(@SuppressWarnings("unused") boolean allowSideEffects) {
        String hex = String.format("0x%08x", address);
        return target == null ? hex : hex + " " + target;
    }
}
