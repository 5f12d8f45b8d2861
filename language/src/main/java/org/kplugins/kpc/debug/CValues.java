// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.debug;

import org.kplugins.kpc.runtime.KpcPointer;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Converts C values to the interop values that tools show. Integer types up to 32 bits are
 * Integer, except unsigned int and unsigned long, which are Long so that values above INT_MAX stay
 * positive; long long and unsigned long long are Long (the latter in two's complement); float and
 * double are Float and Double of the same bits; pointers are {@link KpcPointer}; structs and arrays are views that read their members and elements when
 * a tool requests them.
 *
 * <p>Reads go through {@link AddressSpace#hostRead}, so they never fault: a value on a page that
 * is not present shows as an {@link UnreadableValue}.
 */
final class CValues {

    /** The maximum number of characters of its string that a pointer to char shows. */
    static final int STRING_PREVIEW_LIMIT = 64;

    private CValues() {
    }

    /**
     * Converts the content of a frame slot: an Integer for an Int slot, a Long for a Long slot, or
     * something else when the function has not yet written the slot.
     */
    static Object fromSlot(CType type, Object slotValue, AddressSpace memory) {
        if (slotValue instanceof Integer value) {
            return fromBits(type, value, memory);
        }
        if (slotValue instanceof Long value) {
            return fromBits(type, value, memory);
        }
        return new UnreadableValue("not set yet");
    }

    /** Reads a value of {@code type} at {@code address}; a struct or array becomes a view. */
    static Object fromMemory(CType type, AddressSpace memory, int address) {
        if (type instanceof StructType struct) {
            return new KpcStructView(struct, memory, address);
        }
        if (type instanceof ArrayType array) {
            return new KpcArrayView(array, memory, address);
        }
        if (type.isScalar()) {
            byte[] bytes = new byte[type.size()];
            try {
                memory.hostRead(address, bytes, 0, bytes.length);
            } catch (IllegalArgumentException e) {
                return UnreadableValue.at(address);
            }
            long bits = 0;
            for (int i = bytes.length - 1; i >= 0; i--) {
                bits = (bits << 8) | (bytes[i] & 0xFF);
            }
            return fromBits(type, bits, memory);
        }
        return new UnreadableValue("values of type '" + type.spelling() + "' are not shown");
    }

    /** Converts the low {@code type.size()} bytes of {@code bits} to the value of {@code type}. */
    static Object fromBits(CType type, long bits, AddressSpace memory) {
        if (type instanceof PointerType pointer) {
            int address = (int) bits;
            return new KpcPointer(address, isChar(pointer.pointee()) ? stringAt(memory, address, STRING_PREVIEW_LIMIT) : null);
        }
        if (type instanceof FloatingType floating) {
            return floating.isDouble() ? (Object) Double.longBitsToDouble(bits) : (Object) Float.intBitsToFloat((int) bits);
        }
        if (type instanceof IntegerType integer) {
            if (integer.isBool()) {
                return bits != 0 ? 1 : 0;
            }
            return switch (integer.size()) {
                case 1 -> integer.isSigned() ? (int) (byte) bits : (int) bits & 0xFF;
                case 2 -> integer.isSigned() ? (int) (short) bits : (int) bits & 0xFFFF;
                case 4 -> integer.isSigned() ? (Object) (int) bits : (Object) (bits & 0xFFFF_FFFFL);
                default -> bits;
            };
        }
        return new UnreadableValue("values of type '" + type.spelling() + "' are not shown");
    }

    static boolean isChar(CType type) {
        return type instanceof IntegerType integer && integer.size() == 1 && !integer.isBool();
    }

    /**
     * Returns the NUL-terminated string at {@code address} as a quoted C literal, as a debugger
     * shows the target of a {@code char *}: at most {@code limit} characters, with {@code ...}
     * after the closing quote when the string is longer or runs into an unreadable page. Returns
     * null when the first byte is not readable.
     */
    static String stringAt(AddressSpace memory, int address, int limit) {
        StringBuilder literal = new StringBuilder("\"");
        byte[] one = new byte[1];
        for (int i = 0; i < limit; i++) {
            try {
                memory.hostRead(address + i, one, 0, 1);
            } catch (IllegalArgumentException e) {
                return i == 0 ? null : literal.append("\"...").toString();
            }
            int c = one[0] & 0xFF;
            if (c == 0) {
                return literal.append('"').toString();
            }
            appendEscaped(literal, c);
        }
        return literal.append("\"...").toString();
    }

    /** Appends character {@code c} (0 to 255) as C writes it inside a string literal. */
    private static void appendEscaped(StringBuilder literal, int c) {
        switch (c) {
            case '"' -> literal.append("\\\"");
            case '\\' -> literal.append("\\\\");
            case '\n' -> literal.append("\\n");
            case '\t' -> literal.append("\\t");
            case '\r' -> literal.append("\\r");
            default -> {
                if (c < 0x20 || c >= 0x7F) {
                    literal.append(String.format("\\%03o", c));
                } else {
                    literal.append((char) c);
                }
            }
        }
    }
}
