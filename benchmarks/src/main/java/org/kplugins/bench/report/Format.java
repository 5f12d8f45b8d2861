// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench.report;

import java.util.Locale;

/** Number formats of the report: thousands separators, and three significant digits for small values. */
final class Format {

    private Format() {
    }

    /** Formats {@code value} with 0 to 3 decimals, depending on its size. */
    static String number(double value) {
        double magnitude = Math.abs(value);
        String pattern;
        if (magnitude >= 100) {
            pattern = "%,.0f";
        } else if (magnitude >= 10) {
            pattern = "%,.1f";
        } else if (magnitude >= 1) {
            pattern = "%,.2f";
        } else {
            pattern = "%,.3f";
        }
        return String.format(Locale.ROOT, pattern, value);
    }

    /** Formats a measurement as {@code value ±error}, or only the value when the error is unknown. */
    static String withError(Measurement measurement) {
        if (Double.isNaN(measurement.error()) || Double.isInfinite(measurement.error())) {
            return number(measurement.value());
        }
        return number(measurement.value()) + " ±" + number(measurement.error());
    }

    /** Formats a ratio such as {@code 0.42x}. */
    static String ratio(double ratio) {
        return number(ratio) + "x";
    }

    /** Formats a value for JSON: a plain decimal, at most 6 digits after the point. */
    static String json(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        String text = String.format(Locale.ROOT, "%.6f", value);
        text = text.replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
