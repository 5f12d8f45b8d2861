// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.builtins;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The text of printk's floating conversions {@code %f %F %e %E %g %G %a %A} for one double, as
 * C11 7.21.6.1 specifies them and glibc 2.36 prints them. The decimal forms come from the exact
 * binary value ({@link BigDecimal} represents every double exactly), rounded to nearest with ties to
 * even, which is what glibc does in the default rounding mode.
 */
final class FloatingFormat {

    /**
     * A formatted value: the sign (and {@code 0x} for {@code %a}) that zero padding goes after,
     * the rest of the text, and whether the value is finite, since an infinity or NaN is padded
     * with spaces even with the {@code 0} flag.
     */
    record Result(String prefix, String text, boolean finite) {
    }

    /** The precision of {@code %f}, {@code %e} and {@code %g} when the format gives none. */
    private static final int DEFAULT_PRECISION = 6;
    /** The hex digits of a double's 52-bit fraction. */
    private static final int FRACTION_HEX_DIGITS = 13;

    private FloatingFormat() {
    }

    /**
     * Formats {@code value} for {@code conversion}, one of {@code fFeEgGaA}.
     *
     * @param precision the precision, or -1 for none
     * @param plus      the {@code +} flag: a plus sign before a value without a minus sign
     * @param space     the space flag: a space there instead, when {@code plus} is not set
     * @param alternate the {@code #} flag: always a decimal point, and {@code %g} keeps trailing zeros
     */
    static Result format(char conversion, double value, int precision, boolean plus, boolean space,
                    boolean alternate) {
        boolean upper = Character.isUpperCase(conversion);
        String sign = "";
        if (Double.doubleToRawLongBits(value) < 0) {
            sign = "-";
        } else if (plus) {
            sign = "+";
        } else if (space) {
            sign = " ";
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            String text = Double.isNaN(value) ? "nan" : "inf";
            return new Result(sign, upper ? text.toUpperCase(Locale.ROOT) : text, false);
        }

        double magnitude = Math.abs(value);
        String prefix = sign;
        String text = switch (Character.toLowerCase(conversion)) {
            case 'f' -> fixed(magnitude, precision < 0 ? DEFAULT_PRECISION : precision, alternate);
            case 'e' -> exponential(magnitude, precision < 0 ? DEFAULT_PRECISION : precision, alternate);
            case 'g' -> general(magnitude, precision, alternate);
            case 'a' -> {
                prefix = sign + "0x";
                yield hexadecimal(magnitude, precision, alternate);
            }
            default -> throw new IllegalArgumentException("not a floating conversion: " + conversion);
        };
        if (upper) {
            prefix = prefix.toUpperCase(Locale.ROOT);
            text = text.toUpperCase(Locale.ROOT);
        }
        return new Result(prefix, text, true);
    }

    /** {@code %f}: {@code ddd.ddd} with {@code precision} digits after the point. */
    private static String fixed(double magnitude, int precision, boolean alternate) {
        String text = new BigDecimal(magnitude).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return precision == 0 && alternate ? text + "." : text;
    }

    /** {@code %e}: {@code d.ddde+xx} with {@code precision} digits after the point and at least two exponent digits. */
    private static String exponential(double magnitude, int precision, boolean alternate) {
        String digits;
        int exponent;
        if (magnitude == 0) {
            digits = "0".repeat(precision + 1);
            exponent = 0;
        } else {
            BigDecimal rounded = new BigDecimal(magnitude).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
            String unscaled = rounded.unscaledValue().toString();
            exponent = unscaled.length() - 1 - rounded.scale();
            digits = unscaled + "0".repeat(precision + 1 - unscaled.length());
        }
        StringBuilder text = new StringBuilder().append(digits.charAt(0));
        if (precision > 0 || alternate) {
            text.append('.').append(digits, 1, digits.length());
        }
        text.append(exponent < 0 ? "e-" : "e+");
        int absolute = Math.abs(exponent);
        if (absolute < 10) {
            text.append('0');
        }
        return text.append(absolute).toString();
    }

    /**
     * {@code %g}: with P significant digits (the precision, 6 if none, 1 if 0) and X the decimal
     * exponent of the value rounded to P digits, {@code %f} with precision P - 1 - X when
     * P > X >= -4, else {@code %e} with precision P - 1. Trailing zeros after the point, and then
     * a trailing point, are removed unless {@code alternate} is set.
     */
    private static String general(double magnitude, int precision, boolean alternate) {
        int significant = precision < 0 ? DEFAULT_PRECISION : Math.max(precision, 1);
        int exponent = 0;
        if (magnitude != 0) {
            BigDecimal rounded = new BigDecimal(magnitude).round(new MathContext(significant, RoundingMode.HALF_EVEN));
            exponent = rounded.precision() - 1 - rounded.scale();
        }
        String text = significant > exponent && exponent >= -4
                ? fixed(magnitude, significant - 1 - exponent, alternate)
                : exponential(magnitude, significant - 1, alternate);
        return alternate ? text : removeTrailingZeros(text);
    }

    private static String removeTrailingZeros(String text) {
        int exponentStart = text.indexOf('e');
        String mantissa = exponentStart < 0 ? text : text.substring(0, exponentStart);
        String exponent = exponentStart < 0 ? "" : text.substring(exponentStart);
        if (mantissa.indexOf('.') >= 0) {
            int end = mantissa.length();
            while (mantissa.charAt(end - 1) == '0') {
                end--;
            }
            if (mantissa.charAt(end - 1) == '.') {
                end--;
            }
            mantissa = mantissa.substring(0, end);
        }
        return mantissa + exponent;
    }

    /**
     * {@code %a} after the {@code 0x}: the leading digit (1 for a normal value, 0 for zero and
     * subnormals), the fraction in hex, and the binary exponent ({@code p-1022} for subnormals).
     * Without a precision the fraction has as many digits as the value needs. With one, the
     * significand is rounded to that many digits, ties to even.
     */
    private static String hexadecimal(double magnitude, int precision, boolean alternate) {
        long bits = Double.doubleToRawLongBits(magnitude);
        int biasedExponent = (int) (bits >>> 52);
        long fraction = bits & ((1L << 52) - 1);
        long leading = 1;
        int exponent = biasedExponent - 1023;
        if (biasedExponent == 0) {
            leading = 0;
            exponent = fraction == 0 ? 0 : -1022;
        }

        String digits;
        if (precision < 0) {
            digits = String.format("%013x", fraction).replaceFirst("0+$", "");
        } else if (precision >= FRACTION_HEX_DIGITS) {
            digits = String.format("%013x", fraction) + "0".repeat(precision - FRACTION_HEX_DIGITS);
        } else {
            // Round the whole significand, so that parity and a carry include the leading digit.
            int dropped = 4 * (FRACTION_HEX_DIGITS - precision);
            long significand = leading << 52 | fraction;
            long kept = significand >>> dropped;
            long rest = significand & ((1L << dropped) - 1);
            long half = 1L << (dropped - 1);
            if (rest > half || rest == half && (kept & 1) == 1) {
                kept++;
            }
            leading = kept >>> (4 * precision);
            long keptFraction = kept & ((1L << (4 * precision)) - 1);
            digits = precision == 0 ? "" : String.format("%0" + precision + "x", keptFraction);
        }
        String point = digits.isEmpty() && !alternate ? "" : ".";
        return leading + point + digits + "p" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    }
}
