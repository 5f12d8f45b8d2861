// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.builtins;

import com.oracle.truffle.api.nodes.Node;
import java.io.ByteArrayOutputStream;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Formats the output of {@code printk} as the kernel's printk and C's printf do, for the
 * conversions KPC supports: {@code %d %i %u %x %X %c %s %p %%}, each integer conversion also with
 * the length modifiers {@code l} (32 bits under ILP32) and {@code ll} (64 bits). A conversion may
 * have the flags {@code -} and {@code 0}, a width (a number or {@code *}) and a precision (a
 * number or {@code .*}). A negative {@code *} width means the {@code -} flag and its absolute
 * value, and a negative {@code .*} precision counts as no precision, as in C. An unknown
 * conversion, or one without a matching argument, is printed as written.
 *
 * <p>Output is bytes: {@code %s} copies the plugin string's bytes unchanged. With a precision,
 * {@code %s} reads at most that many bytes, so the string needs no NUL within them.
 *
 * <p>The host allocates the output, so the plugin cannot make it unbounded:
 * <ul>
 *   <li>A width above {@link #MAX_FIELD_WIDTH} counts as {@code MAX_FIELD_WIDTH}, and so does the
 *       precision of an integer conversion, so one conversion pads with at most that many spaces
 *       or zeros. The precision of {@code %s} is a maximum length and is not clamped.
 *   <li>One call produces at most {@link #MAX_OUTPUT_LENGTH} bytes. Formatting stops when the
 *       output reaches that length: the rest of the format is dropped and its arguments are not
 *       read, so a bad {@code %s} pointer after that point does not fault.
 * </ul>
 */
public final class PrintkFormatter {

    /** Maximum length in bytes that {@code %s} reads, so a missing NUL cannot run over all memory. */
    public static final int MAX_STRING_LENGTH = 1 << 20;

    /** Largest field width, and largest precision of an integer conversion, that takes effect. */
    public static final int MAX_FIELD_WIDTH = 4096;

    /** Maximum number of bytes one printk call writes; the output is cut at this length. */
    public static final int MAX_OUTPUT_LENGTH = 1 << 20;

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

    /**
     * Formats the NUL-terminated format string at {@code formatAddress}, returning the output bytes:
     * at most {@link #MAX_OUTPUT_LENGTH} of them.
     */
    public byte[] format(int formatAddress) {
        String format = memory.readCString(location, formatAddress, MAX_STRING_LENGTH);
        int i = 0;
        while (i < format.length() && !outputFull()) {
            char c = format.charAt(i);
            if (c != '%') {
                write(c);
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
            // The argument is an int; its absolute value is taken as a long so that INT_MIN stays positive.
            long widthArgument = (int) arguments[nextArgument++];
            if (widthArgument < 0) {
                leftAlign = true;
            }
            width = (int) Math.min(Math.abs(widthArgument), MAX_FIELD_WIDTH);
            i++;
        } else {
            int digitsEnd = skipDigits(format, i);
            width = Math.min(parseSaturated(format, i, digitsEnd), MAX_FIELD_WIDTH);
            i = digitsEnd;
        }

        int precision = -1;
        if (i < format.length() && format.charAt(i) == '.') {
            i++;
            if (i < format.length() && format.charAt(i) == '*') {
                if (nextArgument >= arguments.length) {
                    return literal(format, start, i + 1);
                }
                int precisionArgument = (int) arguments[nextArgument++];
                precision = precisionArgument < 0 ? -1 : precisionArgument;
                i++;
            } else {
                int digitsEnd = skipDigits(format, i);
                precision = parseSaturated(format, i, digitsEnd);
                i = digitsEnd;
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
            write('%');
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
                int maxLength = precision >= 0 ? Math.min(precision, MAX_STRING_LENGTH) : MAX_STRING_LENGTH;
                text = memory.readCString(location, (int) argument, maxLength);
                numeric = false;
            }
        }
        if (numeric && precision >= 0) {
            text = applyPrecision(text, Math.min(precision, MAX_FIELD_WIDTH));
        }
        pad(text, width, leftAlign, zeroPad && numeric && precision < 0);
        return end;
    }

    private static int skipDigits(String format, int start) {
        int i = start;
        while (i < format.length() && Character.isDigit(format.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Parses the decimal digits in {@code [start, end)}, returning Integer.MAX_VALUE for a larger number. */
    private static int parseSaturated(String format, int start, int end) {
        long value = 0;
        for (int i = start; i < end; i++) {
            value = Math.min(value * 10 + (format.charAt(i) - '0'), Integer.MAX_VALUE);
        }
        return (int) value;
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

    private boolean outputFull() {
        return out.size() >= MAX_OUTPUT_LENGTH;
    }

    /** Writes {@code count} copies of {@code c}, or as many as fit under the output limit. */
    private void repeat(char c, int count) {
        int fitting = Math.min(count, MAX_OUTPUT_LENGTH - out.size());
        for (int n = 0; n < fitting; n++) {
            out.write(c);
        }
    }

    /** Writes chars 0-255 as the bytes of the same value, dropping those beyond the output limit. */
    private void write(String text) {
        int fitting = Math.min(text.length(), MAX_OUTPUT_LENGTH - out.size());
        for (int n = 0; n < fitting; n++) {
            out.write(text.charAt(n));
        }
    }

    private void write(char c) {
        if (!outputFull()) {
            out.write(c);
        }
    }
}
