// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.lexer;

import java.util.Locale;

/**
 * The value of a preprocessing number read as an integer constant (C11 6.4.4.1), with an optional
 * {@code 0b} binary prefix. The lexer sends floating constants to {@link FloatingConstant} instead.
 *
 * @param value the low 64 bits of the value, or 0 when the constant is invalid
 * @param suffix the suffix in lower case and canonical order: "", "u", "l", "ul", "ll" or "ull"
 * @param decimal whether the constant was written in decimal
 * @param error the message for an invalid constant, or null
 */
record IntegerConstant(long value, String suffix, boolean decimal, String error) {

    static IntegerConstant parse(String text) {
        int radix = 10;
        int digitsStart = 0;
        if (text.length() >= 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X')) {
            radix = 16;
            digitsStart = 2;
        } else if (text.length() >= 2 && text.charAt(0) == '0' && (text.charAt(1) == 'b' || text.charAt(1) == 'B')) {
            radix = 2;
            digitsStart = 2;
        } else if (text.charAt(0) == '0') {
            radix = 8;
        }
        boolean decimal = radix == 10;

        // A hexadecimal constant reads letters as digits. Other radixes read every decimal digit, so
        // that "09" reports the invalid digit 9 instead of the suffix "9".
        int end = digitsStart;
        int maxDigit = radix == 16 ? 16 : 10;
        while (end < text.length() && text.charAt(end) < 0x80 && Character.digit(text.charAt(end), maxDigit) >= 0) {
            end++;
        }
        if (end == digitsStart) {
            String prefix = text.substring(0, 2);
            return invalid(decimal, "no digits after '" + prefix + "' in " + radixName(radix) + " constant '" + text + "'");
        }

        long value = 0;
        boolean tooLarge = false;
        long maxBeforeMultiply = Long.divideUnsigned(-1L, radix);
        for (int i = digitsStart; i < end; i++) {
            int digit = Character.digit(text.charAt(i), maxDigit);
            if (digit >= radix) {
                return invalid(decimal, "invalid digit '" + text.charAt(i) + "' in " + radixName(radix) + " constant");
            }
            if (Long.compareUnsigned(value, maxBeforeMultiply) > 0) {
                tooLarge = true;
            }
            long shifted = value * radix;
            long next = shifted + digit;
            if (Long.compareUnsigned(next, shifted) < 0) {
                tooLarge = true;
            }
            value = next;
        }

        String suffix = canonicalSuffix(text.substring(end));
        if (suffix == null) {
            return invalid(decimal, "invalid suffix '" + text.substring(end) + "' on integer constant");
        }
        return new IntegerConstant(value, suffix, decimal, tooLarge ? "integer constant is too large" : null);
    }

    /** Returns the suffix as "", "u", "l", "ul", "ll" or "ull", or null if C does not allow it. */
    private static String canonicalSuffix(String written) {
        // C requires "ll" in one case ("lL" is invalid), but "u" and "l" may use either case.
        String lengthPart = written.replace("ll", "L").replace("LL", "L").replace("l", "L");
        int uCount = 0;
        int lCount = 0;
        for (int i = 0; i < lengthPart.length(); i++) {
            switch (lengthPart.charAt(i)) {
                case 'u', 'U' -> uCount++;
                case 'L' -> lCount++;
                default -> {
                    return null;
                }
            }
        }
        if (uCount > 1 || lCount > 1) {
            return null;
        }
        String lengthLetters = written.replaceAll("[uU]", "");
        String length = lengthLetters.toLowerCase(Locale.ROOT);
        return (uCount == 1 ? "u" : "") + length;
    }

    private static String radixName(int radix) {
        return switch (radix) {
            case 16 -> "hexadecimal";
            case 8 -> "octal";
            case 2 -> "binary";
            default -> "decimal";
        };
    }

    private static IntegerConstant invalid(boolean decimal, String error) {
        return new IntegerConstant(0, "", decimal, error);
    }
}
