// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.lexer;

/**
 * The value of a preprocessing number read as a floating constant (C11 6.4.4.2): decimal, such as
 * {@code 1.5}, {@code .5e-3} or {@code 1e10f}, or hexadecimal, such as {@code 0x1.8p3}, whose
 * binary exponent C requires. The value is rounded to nearest, ties to even, once, straight to the
 * constant's type: a constant with the suffix {@code f} or {@code F} is rounded to float, not to
 * double and then to float.
 *
 * @param bits the IEEE 754 binary64 bits of the value; for a float constant the float value,
 *     which a double represents exactly; 0 when the constant is invalid
 * @param isFloat whether the constant has the suffix {@code f} or {@code F}
 * @param error the message for an invalid constant, or null
 */
record FloatingConstant(long bits, boolean isFloat, String error) {

    /** Returns whether C reads {@code text}, a preprocessing number, as a floating constant. */
    static boolean isFloating(String text) {
        boolean hex = text.length() >= 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X');
        if (text.indexOf('.') >= 0) {
            return true;
        }
        String exponentLetters = hex ? "pP" : "eE";
        boolean binary = text.length() >= 2 && text.charAt(0) == '0' && (text.charAt(1) == 'b' || text.charAt(1) == 'B');
        if (binary) {
            return false;
        }
        for (int i = hex ? 2 : 0; i < text.length(); i++) {
            if (exponentLetters.indexOf(text.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    static FloatingConstant parse(String text) {
        boolean hex = text.length() >= 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X');
        int i = hex ? 2 : 0;
        int digits = 0;
        while (i < text.length() && isDigit(text.charAt(i), hex)) {
            i++;
            digits++;
        }
        if (i < text.length() && text.charAt(i) == '.') {
            i++;
            while (i < text.length() && isDigit(text.charAt(i), hex)) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return invalid("no digits in floating constant '" + text + "'");
        }

        char exponentLetter = hex ? 'p' : 'e';
        if (i < text.length() && Character.toLowerCase(text.charAt(i)) == exponentLetter) {
            i++;
            if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = i;
            while (i < text.length() && isDigit(text.charAt(i), false)) {
                i++;
            }
            if (i == exponentDigits) {
                return invalid("exponent has no digits in floating constant '" + text + "'");
            }
        } else if (hex) {
            return invalid("hexadecimal floating constant '" + text + "' requires an exponent, such as 'p0'");
        }
        String significand = text.substring(0, i);
        String suffix = text.substring(i);

        if (suffix.equals("l") || suffix.equals("L")) {
            return invalid("long double is not supported in KPC: remove the '" + suffix + "' suffix of '" + text
                    + "' to make it a double");
        }
        boolean isFloat = suffix.equals("f") || suffix.equals("F");
        if (!isFloat && !suffix.isEmpty()) {
            return invalid("invalid suffix '" + suffix + "' on floating constant '" + text + "'");
        }

        // Java's parsers accept the same decimal and hexadecimal forms once the suffix is removed,
        // and round correctly to the type they return.
        double value = isFloat ? Float.parseFloat(significand) : Double.parseDouble(significand);
        if (Double.isInfinite(value)) {
            return invalid("floating constant '" + text + "' is too large for type '" + (isFloat ? "float" : "double")
                    + "': the largest " + (isFloat ? "float is 0x1.fffffep+127f" : "double is 0x1.fffffffffffffp+1023"));
        }
        return new FloatingConstant(Double.doubleToRawLongBits(value), isFloat, null);
    }

    private static boolean isDigit(char c, boolean hex) {
        return c >= '0' && c <= '9' || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
    }

    private static FloatingConstant invalid(String error) {
        return new FloatingConstant(0, false, error);
    }
}
