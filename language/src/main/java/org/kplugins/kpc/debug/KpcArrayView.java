// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.debug;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.InvalidArrayIndexException;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.monitor.memory.AddressSpace;

/** An array variable in plugin memory as tools see it: its elements are read when a tool requests them. */
@ExportLibrary(InteropLibrary.class)
final class KpcArrayView implements TruffleObject {

    /** The maximum number of elements that the display string lists. */
    private static final int DISPLAY_LIMIT = 16;

    private final ArrayType type;
    private final AddressSpace memory;
    private final int address;

    KpcArrayView(ArrayType type, AddressSpace memory, int address) {
        this.type = type;
        this.memory = memory;
        this.address = address;
    }

    @ExportMessage
    boolean hasArrayElements() {
        return true;
    }

    @ExportMessage
    long getArraySize() {
        return type.length();
    }

    @ExportMessage
    boolean isArrayElementReadable(long index) {
        return index >= 0 && index < type.length();
    }

    @ExportMessage
    @TruffleBoundary
    Object readArrayElement(long index) throws InvalidArrayIndexException {
        if (!isArrayElementReadable(index)) {
            throw InvalidArrayIndexException.create(index);
        }
        return element((int) index);
    }

    private Object element(int index) {
        return CValues.fromMemory(type.element(), memory, address + index * type.element().size());
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
     * Returns the elements as gdb prints an array, {@code {1, 2, 3}}, with at most
     * {@link #DISPLAY_LIMIT} of them; a char array shows as the string it holds,
     * up to its NUL or its end.
     */
    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        if (CValues.isChar(type.element())) {
            String text = CValues.stringAt(memory, address,
                            Math.min(type.length(), CValues.STRING_PREVIEW_LIMIT));
            if (text != null) {
                return text;
            }
        }
        StringBuilder text = new StringBuilder("{");
        int shown = Math.min(type.length(), DISPLAY_LIMIT);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(InteropLibrary.getUncached().toDisplayString(element(i), allowSideEffects));
        }
        if (shown < type.length()) {
            text.append(", ...");
        }
        return text.append('}').toString();
    }
}
