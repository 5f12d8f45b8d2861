// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.builtins;

import com.oracle.truffle.api.nodes.Node;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Formats the output of {@code printk} as the kernel's printk and C's printf do, for the
 * conversions KPC supports: {@code %d %i %u %x %X %c %s %p %%}, each integer conversion also with
 * the length modifiers {@code l} (32 bits under ILP32) and {@code ll} (64 bits), and the floating
 * conversions {@code %f %F %e %E %g %G %a %A}, also with {@code l}, which take a double. A
 * conversion may have the flags {@code - 0 + #} and space, a width (a number or {@code *}) and a
 * precision (a number or {@code .*}). A negative {@code *} width means the {@code -} flag and its
 * absolute value, and a negative {@code .*} precision counts as no precision, as in C. An unknown
 * conversion, or one without a matching argument, is printed as written. So is a floating
 * conversion whose argument is not a double, and another conversion whose argument is a double.
 * Such a mismatched conversion still uses up its argument.
 *
 * <p>Floating values print as glibc 2.36 prints them: the decimal conversions are exact and
 * rounded to nearest, ties to even, from the exact binary value; {@code %a} prints a normal value
 * as {@code 0x1.hhhp+e} and a subnormal one as {@code 0x0.hhhp-1022}, with a precision rounding
 * the hex digits to nearest, ties to even, which can carry into the first digit
 * ({@code 0x2.0p+0}). Infinities print as {@code inf} and NaNs as {@code nan}, upper case for
 * the upper-case conversions, with a {@code -} when the sign bit is set, and the {@code 0} flag
 * pads them with spaces.
 *
 * <p>Output is bytes: {@code %s} copies the plugin string's bytes unchanged. With a precision,
 * {@code %s} reads at most that many bytes, so the string needs no NUL within them.
 *
 * <p>The host allocates the output, so the plugin cannot make it unbounded:
 * <ul>
 *   <li>A width above {@link #MAX_FIELD_WIDTH} counts as {@code MAX_FIELD_WIDTH}, and so does the
 *       precision of an integer or floating conversion, so one conversion pads with at most that
 *       many spaces or zeros and prints at most that many digits after the point. The precision
 *       of {@code %s} is a maximum length and is not clamped.
 *   <li>One call produces at most {@link #MAX_OUTPUT_LENGTH} bytes. Formatting stops when the
 *       output reaches that length: the rest of the format is dropped and its arguments are not
 *       read, so a bad {@code %s} pointer after that point does not fault.
 * </ul>
 */
public final class PrintkFormatter {

    /** Maximum length in bytes that {@code %s} reads, so a missing NUL cannot run over all memory. */
    public static final int MAX_STRING_LENGTH = 1 << 20;

    /** Largest field width, and largest precision of an integer or floating conversion, that takes effect. */
    public static final int MAX_FIELD_WIDTH = 4096;

    /** Maximum number of bytes one printk call writes; the output is cut at this length. */
    public static final int MAX_OUTPUT_LENGTH = 1 << 20;

    private final AddressSpace memory;
    private final Node location;
    private final long[] arguments;
    private final boolean[] argumentIsDouble;
    private int nextArgument;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /**
     * @param arguments        the variadic arguments after the format, each sign-extended to long
     *                         when its type has 32 bits or fewer, and a double as its bits
     * @param argumentIsDouble which arguments are doubles
     * @param location         the calling node, so that {@code %s} of a bad pointer faults there
     */
    public PrintkFormatter(AddressSpace memory, Node location, long[] arguments, boolean[] argumentIsDouble) {
        this.memory = memory;
        this.location = location;
        this.arguments = arguments;
        this.argumentIsDouble = argumentIsDouble;
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
        boolean plus = false;
        boolean space = false;
        boolean alternate = false;
        while (i < format.length() && "-0+ #".indexOf(format.charAt(i)) >= 0) {
            switch (format.charAt(i)) {
                case '-' -> leftAlign = true;
                case '0' -> zeroPad = true;
                case '+' -> plus = true;
                case ' ' -> space = true;
                default -> alternate = true;
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
        boolean floating = "fFeEgGaA".indexOf(conversion) >= 0;
        if (floating ? longs > 1 : "diuxXcsp".indexOf(conversion) < 0 || longs > 0 && "diuxX".indexOf(conversion) < 0) {
            return literal(format, start, end);
        }
        if (nextArgument >= arguments.length) {
            return literal(format, start, end);
        }
        boolean isDouble = argumentIsDouble[nextArgument];
        long argument = arguments[nextArgument++];
        if (floating != isDouble) {
            return literal(format, start, end);
        }
        if (floating) {
            FloatingFormat.Result result = FloatingFormat.format(conversion, Double.longBitsToDouble(argument),
                            precision < 0 ? -1 : Math.min(precision, MAX_FIELD_WIDTH), plus, space, alternate);
            pad(result.prefix(), result.text(), width, leftAlign, zeroPad && result.finite());
            return end;
        }
        boolean wide = longs == 2;

        String prefix = "";
        String text;
        boolean numeric = true;
        switch (conversion) {
            case 'd', 'i' -> {
                long signed = wide ? argument : (int) argument;
                if (signed < 0) {
                    prefix = "-";
                } else if (plus) {
                    prefix = "+";
                } else if (space) {
                    prefix = " ";
                }
                // The magnitude of LLONG_MIN does not fit in a long, but its unsigned reading is right.
                text = signed < 0 ? Long.toUnsignedString(-signed) : Long.toString(signed);
            }
            case 'u' -> text = wide ? Long.toUnsignedString(argument) : Integer.toUnsignedString((int) argument);
            case 'x', 'X' -> {
                text = wide ? Long.toHexString(argument) : Integer.toHexString((int) argument);
                boolean zero = wide ? argument == 0 : (int) argument == 0;
                if (alternate && !zero) {
                    prefix = "0x";
                }
                if (conversion == 'X') {
                    text = text.toUpperCase(Locale.ROOT);
                    prefix = prefix.toUpperCase(Locale.ROOT);
                }
            }
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
        pad(prefix, text, width, leftAlign, zeroPad && numeric && precision < 0);
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

    /** Pads the digits of a number with zeros to {@code precision} digits; a zero with precision 0 has no digits. */
    private static String applyPrecision(String digits, int precision) {
        if (precision == 0 && digits.equals("0")) {
            return "";
        }
        StringBuilder padded = new StringBuilder();
        for (int n = digits.length(); n < precision; n++) {
            padded.append('0');
        }
        return padded + digits;
    }

    /**
     * Writes {@code prefix} (a sign, {@code 0x} or nothing) and {@code text} in a field of
     * {@code width}: padded with spaces on the right, with zeros between the prefix and the text,
     * or with spaces on the left.
     */
    private void pad(String prefix, String text, int width, boolean leftAlign, boolean zeroPad) {
        int fill = width - prefix.length() - text.length();
        if (leftAlign) {
            write(prefix);
            write(text);
            repeat(' ', fill);
        } else if (zeroPad) {
            write(prefix);
            repeat('0', fill);
            write(text);
        } else {
            repeat(' ', fill);
            write(prefix);
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
