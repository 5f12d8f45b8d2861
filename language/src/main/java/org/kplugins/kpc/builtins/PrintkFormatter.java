// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.builtins;

import com.oracle.truffle.api.nodes.Node;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Formats the output of {@code printk} and {@code vprintk} as the kernel's printk and C's printf
 * do, for the conversions KPC supports: {@code %d %i %u %o %x %X %c %s %p %%}, each integer
 * conversion also with a length modifier, and the floating conversions
 * {@code %f %F %e %E %g %G %a %A}, also with {@code l}, which take a double. The length modifiers
 * are those of ILP32: {@code l}, {@code z} (size_t) and {@code t} (ptrdiff_t) mean 32 bits,
 * {@code ll} and {@code j} (intmax_t) 64 bits, and {@code h} and {@code hh} convert the int
 * argument to short or char, signed for {@code %d %i} and unsigned otherwise. A conversion may
 * have the flags {@code - 0 + #} and space, a width (a number or {@code *}) and a precision (a
 * number or {@code .*}). A negative {@code *} width means the {@code -} flag and its absolute
 * value, and a negative {@code .*} precision counts as no precision, as in C.
 *
 * <p>An unknown conversion, or a known one with a length modifier it does not take (such as
 * {@code %lc} or {@code %hf}), is printed as written and uses up no argument. So is a conversion
 * without a matching argument. A floating conversion whose argument is not a double, and another
 * conversion whose argument is a double, is printed as written too, but uses up its argument.
 * {@code vprintk} cannot tell the kinds apart, so it reads each argument as the type its conversion names.
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

    /** The kind of value a conversion reads: the kind that {@link Arguments#next} expects. */
    enum Kind {
        /** An int: the {@code *} of a width or precision, or a conversion of 32 bits or fewer. */
        INT,
        /** A long long: an integer conversion with {@code ll} or {@code j}. */
        LONG,
        /** A double, as its bits. */
        DOUBLE
    }

    /** Where the formatter takes the values of its conversions from, one after another. */
    interface Arguments {
        /**
         * Returns the next value as a long (an int sign-extended, a double as its bits), or null
         * when there is none left or it does not have {@code kind}; a mismatched value is used up.
         */
        Long next(Kind kind);
    }

    private final AddressSpace memory;
    private final Node location;
    private final Arguments arguments;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /**
     * A formatter for printk, whose variadic arguments the compiler evaluated and promoted.
     *
     * @param arguments        the variadic arguments after the format, each sign-extended to long
     *                         when its type has 32 bits or fewer, and a double as its bits
     * @param argumentIsDouble which arguments are doubles
     * @param location         the calling node, so that {@code %s} of a bad pointer faults there
     */
    public PrintkFormatter(AddressSpace memory, Node location, long[] arguments, boolean[] argumentIsDouble) {
        this(memory, location, new Arguments() {
            private int next;

            @Override
            public Long next(Kind kind) {
                if (next >= arguments.length) {
                    return null;
                }
                boolean isDouble = argumentIsDouble[next];
                long value = arguments[next++];
                return isDouble == (kind == Kind.DOUBLE) ? value : null;
            }
        });
    }

    /**
     * A formatter for vprintk, which reads each argument from the i386 argument slots that
     * {@code va_list} points at, with the plugin's own checks: 4 bytes for an int, 8 for a long
     * long or a double, as {@code va_arg} reads them. The conversion alone says which, so a
     * mismatched conversion reads the slot as its own type, as in C.
     *
     * @param argumentPointer the {@code va_list}: the address of the first argument slot
     * @param location        the calling node, where a read outside the plugin's memory faults
     */
    public PrintkFormatter(AddressSpace memory, Node location, int argumentPointer) {
        this(memory, location, new Arguments() {
            private int pointer = argumentPointer;

            @Override
            public Long next(Kind kind) {
                long value;
                if (kind == Kind.INT) {
                    value = memory.loadI32(location, pointer);
                    pointer += Integer.BYTES;
                } else {
                    value = memory.loadI64(location, pointer);
                    pointer += Long.BYTES;
                }
                return value;
            }
        });
    }

    private PrintkFormatter(AddressSpace memory, Node location, Arguments arguments) {
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
            Long star = arguments.next(Kind.INT);
            if (star == null) {
                return literal(format, start, i + 1);
            }
            // The argument is an int; its absolute value is taken as a long so that INT_MIN stays positive.
            long widthArgument = (int) (long) star;
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
                Long star = arguments.next(Kind.INT);
                if (star == null) {
                    return literal(format, start, i + 1);
                }
                int precisionArgument = (int) (long) star;
                precision = precisionArgument < 0 ? -1 : precisionArgument;
                i++;
            } else {
                int digitsEnd = skipDigits(format, i);
                precision = parseSaturated(format, i, digitsEnd);
                i = digitsEnd;
            }
        }

        int lengthEnd = lengthModifierEnd(format, i);
        String length = format.substring(i, lengthEnd);
        i = lengthEnd;
        if (i >= format.length()) {
            return literal(format, start, i);
        }

        char conversion = format.charAt(i);
        int end = i + 1;
        if (conversion == '%' && length.isEmpty()) {
            write('%');
            return end;
        }
        boolean floating = "fFeEgGaA".indexOf(conversion) >= 0;
        boolean integer = "diouxX".indexOf(conversion) >= 0;
        boolean supported = floating ? length.isEmpty() || length.equals("l")
                        : integer || "csp".indexOf(conversion) >= 0 && length.isEmpty();
        if (!supported) {
            return literal(format, start, end);
        }
        int bits = switch (length) {
            case "hh" -> Byte.SIZE;
            case "h" -> Short.SIZE;
            case "ll", "j" -> Long.SIZE;
            default -> Integer.SIZE;
        };
        Long value = arguments.next(floating ? Kind.DOUBLE : bits == Long.SIZE ? Kind.LONG : Kind.INT);
        if (value == null) {
            return literal(format, start, end);
        }
        long argument = value;
        if (floating) {
            FloatingFormat.Result result = FloatingFormat.format(conversion, Double.longBitsToDouble(argument),
                            precision < 0 ? -1 : Math.min(precision, MAX_FIELD_WIDTH), plus, space, alternate);
            pad(result.prefix(), result.text(), width, leftAlign, zeroPad && result.finite());
            return end;
        }

        // The value converted to the type the length names, as printf converts it.
        int shift = Long.SIZE - bits;
        long signed = argument << shift >> shift;
        long unsigned = argument << shift >>> shift;
        String prefix = "";
        String text;
        boolean numeric = true;
        switch (conversion) {
            case 'd', 'i' -> {
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
            case 'u' -> text = Long.toUnsignedString(unsigned);
            case 'o' -> text = Long.toOctalString(unsigned);
            case 'x', 'X' -> {
                text = Long.toHexString(unsigned);
                if (alternate && unsigned != 0) {
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
        if (conversion == 'o' && alternate && !text.startsWith("0")) {
            // The alternate form of %o raises the precision just enough to start with a 0.
            text = "0" + text;
        }
        pad(prefix, text, width, leftAlign, zeroPad && numeric && precision < 0);
        return end;
    }

    /** Returns the index after the length modifier at {@code start}: hh, h, ll, l, j, z, t or none. */
    private static int lengthModifierEnd(String format, int start) {
        if (start >= format.length()) {
            return start;
        }
        char c = format.charAt(start);
        if (c == 'h' || c == 'l') {
            boolean doubled = start + 1 < format.length() && format.charAt(start + 1) == c;
            return start + (doubled ? 2 : 1);
        }
        return "jzt".indexOf(c) >= 0 ? start + 1 : start;
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
