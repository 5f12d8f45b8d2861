// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.builtins;

import com.oracle.truffle.api.nodes.Node;
import java.io.ByteArrayOutputStream;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Formats the output of {@code printk} as the kernel's printk and C's printf do, for the
 * conversions KPC supports: {@code %d %i %u %x %X %c %s %p %%}, each integer conversion also with
 * the length modifiers {@code l} (32 bits under ILP32) and {@code ll} (64 bits). A conversion may
 * have the flags {@code -} and {@code 0}, a width (a number or {@code *}) and a precision. An
 * unknown conversion, or one without a matching argument, is printed as written.
 *
 * <p>Output is bytes: {@code %s} copies the plugin string's bytes unchanged.
 */
public final class PrintkFormatter {

    /** Longest string that {@code %s} reads, in bytes, so a missing NUL cannot run over all memory. */
    public static final int MAX_STRING_LENGTH = 1 << 20;

    private final AddressSpace memory;
    private final Node location;
    private final long[] arguments;
    private int nextArgument;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /**
     * @param arguments the variadic arguments after the format, each sign-extended to long when
     *                  its type has 32 bits or fewer
     * @param location  the calling node, so that {@code %s} of a bad pointer faults there
     */
    public PrintkFormatter(AddressSpace memory, Node location, long[] arguments) {
        this.memory = memory;
        this.location = location;
        this.arguments = arguments;
    }

    /** Formats the NUL-terminated format string at {@code formatAddress}, returning the output bytes. */
    public byte[] format(int formatAddress) {
        String format = memory.readCString(location, formatAddress, MAX_STRING_LENGTH);
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                out.write(c);
                i++;
            } else {
                i = conversion(format, i);
            }
        }
        return out.toByteArray();
    }

    /** Formats the conversion that starts at the {@code %} at {@code start}; returns the index after it. */
    private int conversion(String format, int start) {
        int i = start + 1;
        boolean leftAlign = false;
        boolean zeroPad = false;
        while (i < format.length() && (format.charAt(i) == '-' || format.charAt(i) == '0')) {
            if (format.charAt(i) == '-') {
                leftAlign = true;
            } else {
                zeroPad = true;
            }
            i++;
        }

        int width = 0;
        if (i < format.length() && format.charAt(i) == '*') {
            if (nextArgument >= arguments.length) {
                return literal(format, start, i + 1);
            }
            width = (int) arguments[nextArgument++];
            if (width < 0) {
                leftAlign = true;
                width = -width;
            }
            i++;
        } else {
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                width = width * 10 + (format.charAt(i) - '0');
                i++;
            }
        }

        int precision = -1;
        if (i < format.length() && format.charAt(i) == '.') {
            i++;
            precision = 0;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                precision = precision * 10 + (format.charAt(i) - '0');
                i++;
            }
        }

        int longs = 0;
        while (i < format.length() && format.charAt(i) == 'l' && longs < 2) {
            longs++;
            i++;
        }
        if (i >= format.length()) {
            return literal(format, start, i);
        }

        char conversion = format.charAt(i);
        int end = i + 1;
        if (conversion == '%' && longs == 0) {
            out.write('%');
            return end;
        }
        if ("diuxXcsp".indexOf(conversion) < 0 || longs > 0 && "diuxX".indexOf(conversion) < 0) {
            return literal(format, start, end);
        }
        if (nextArgument >= arguments.length) {
            return literal(format, start, end);
        }
        long argument = arguments[nextArgument++];
        boolean wide = longs == 2;

        String text;
        boolean numeric = true;
        switch (conversion) {
            case 'd', 'i' -> text = Long.toString(wide ? argument : (int) argument);
            case 'u' -> text = wide ? Long.toUnsignedString(argument) : Integer.toUnsignedString((int) argument);
            case 'x' -> text = wide ? Long.toHexString(argument) : Integer.toHexString((int) argument);
            case 'X' -> text = (wide ? Long.toHexString(argument) : Integer.toHexString((int) argument)).toUpperCase();
            case 'p' -> {
                text = String.format("0x%08x", (int) argument);
                numeric = false;
            }
            case 'c' -> {
                text = String.valueOf((char) (argument & 0xFF));
                numeric = false;
            }
            default -> {
                String s = memory.readCString(location, (int) argument, MAX_STRING_LENGTH);
                text = precision >= 0 && precision < s.length() ? s.substring(0, precision) : s;
                numeric = false;
            }
        }
        if (numeric && precision >= 0) {
            text = applyPrecision(text, precision);
        }
        pad(text, width, leftAlign, zeroPad && numeric && precision < 0);
        return end;
    }

    /** Pads the digits of a number with zeros to {@code precision} digits, keeping a leading minus. */
    private static String applyPrecision(String text, int precision) {
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        if (precision == 0 && digits.equals("0")) {
            digits = "";
        }
        StringBuilder padded = new StringBuilder();
        for (int n = digits.length(); n < precision; n++) {
            padded.append('0');
        }
        return (negative ? "-" : "") + padded + digits;
    }

    private void pad(String text, int width, boolean leftAlign, boolean zeroPad) {
        int fill = width - text.length();
        if (leftAlign) {
            write(text);
            repeat(' ', fill);
        } else if (zeroPad) {
            int signLength = text.startsWith("-") ? 1 : 0;
            write(text.substring(0, signLength));
            repeat('0', fill);
            write(text.substring(signLength));
        } else {
            repeat(' ', fill);
            write(text);
        }
    }

    private int literal(String format, int start, int end) {
        write(format.substring(start, end));
        return end;
    }

    private void repeat(char c, int count) {
        for (int n = 0; n < count; n++) {
            out.write(c);
        }
    }

    /** Writes chars 0-255 as the bytes of the same value. */
    private void write(String text) {
        for (int n = 0; n < text.length(); n++) {
            out.write(text.charAt(n));
        }
    }
}
