// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

/**
 * The floating operations of KPC on the IEEE 754 bits of their operands (a float as the Java int
 * of its binary32 bits, a double as the Java long of its binary64 bits), shared by constant
 * folding and the Truffle nodes.
 *
 * <p>Java's float and double arithmetic is IEEE 754 with round to nearest, ties to even, as SSE
 * arithmetic is. The two differ only in which NaN a NaN result is, which Java leaves open, so
 * these methods set it as the x86 SSE instructions do: when an operand is a NaN, the result is the
 * left operand if it is a NaN, else the right one, made quiet; an invalid operation on numbers
 * ({@code 0.0 / 0.0}, {@code inf - inf}, {@code 0 * inf}) gives the "default NaN", which has the
 * sign bit set and prints as {@code -nan}. Negation flips the sign bit only, NaNs included, as
 * gcc's {@code xorps} does.
 */
public final class FloatingArithmetic {

    /** The NaN that SSE produces for an invalid float operation: sign set, quiet, zero payload. */
    public static final int FLOAT_DEFAULT_NAN = 0xFFC0_0000;
    /** The NaN that SSE produces for an invalid double operation. */
    public static final long DOUBLE_DEFAULT_NAN = 0xFFF8_0000_0000_0000L;

    private static final int FLOAT_SIGN = 0x8000_0000;
    private static final int FLOAT_QUIET = 0x0040_0000;
    private static final long DOUBLE_SIGN = 0x8000_0000_0000_0000L;
    private static final long DOUBLE_QUIET = 0x0008_0000_0000_0000L;

    private FloatingArithmetic() {
    }

    public static boolean isNaN(int floatBits) {
        return (floatBits & ~FLOAT_SIGN) > 0x7F80_0000;
    }

    public static boolean isNaN(long doubleBits) {
        return (doubleBits & ~DOUBLE_SIGN) > 0x7FF0_0000_0000_0000L;
    }

    public static int addFloat(int a, int b) {
        return floatResult(Float.intBitsToFloat(a) + Float.intBitsToFloat(b), a, b);
    }

    public static int subtractFloat(int a, int b) {
        return floatResult(Float.intBitsToFloat(a) - Float.intBitsToFloat(b), a, b);
    }

    public static int multiplyFloat(int a, int b) {
        return floatResult(Float.intBitsToFloat(a) * Float.intBitsToFloat(b), a, b);
    }

    public static int divideFloat(int a, int b) {
        return floatResult(Float.intBitsToFloat(a) / Float.intBitsToFloat(b), a, b);
    }

    public static long addDouble(long a, long b) {
        return doubleResult(Double.longBitsToDouble(a) + Double.longBitsToDouble(b), a, b);
    }

    public static long subtractDouble(long a, long b) {
        return doubleResult(Double.longBitsToDouble(a) - Double.longBitsToDouble(b), a, b);
    }

    public static long multiplyDouble(long a, long b) {
        return doubleResult(Double.longBitsToDouble(a) * Double.longBitsToDouble(b), a, b);
    }

    public static long divideDouble(long a, long b) {
        return doubleResult(Double.longBitsToDouble(a) / Double.longBitsToDouble(b), a, b);
    }

    public static int negateFloat(int a) {
        return a ^ FLOAT_SIGN;
    }

    public static long negateDouble(long a) {
        return a ^ DOUBLE_SIGN;
    }

    /** Widens a float to double; a NaN keeps its sign and payload and becomes quiet, as {@code cvtss2sd} does. */
    public static long floatToDouble(int a) {
        if (isNaN(a)) {
            long sign = (long) (a & FLOAT_SIGN) << 32;
            return sign | 0x7FF0_0000_0000_0000L | DOUBLE_QUIET | (long) (a & 0x007F_FFFF) << 29;
        }
        return Double.doubleToRawLongBits(Float.intBitsToFloat(a));
    }

    /**
     * Rounds a double to float; a NaN keeps its sign and the high bits of its payload and becomes
     * quiet, as {@code cvtsd2ss} does.
     */
    public static int doubleToFloat(long a) {
        if (isNaN(a)) {
            int sign = (int) ((a & DOUBLE_SIGN) >>> 32);
            return sign | 0x7F80_0000 | FLOAT_QUIET | (int) ((a >>> 29) & 0x007F_FFFF);
        }
        return Float.floatToRawIntBits((float) Double.longBitsToDouble(a));
    }

    private static int floatResult(float result, int a, int b) {
        if (result == result) {
            return Float.floatToRawIntBits(result);
        }
        if (isNaN(a)) {
            return a | FLOAT_QUIET;
        }
        return isNaN(b) ? b | FLOAT_QUIET : FLOAT_DEFAULT_NAN;
    }

    private static long doubleResult(double result, long a, long b) {
        if (result == result) {
            return Double.doubleToRawLongBits(result);
        }
        if (isNaN(a)) {
            return a | DOUBLE_QUIET;
        }
        return isNaN(b) ? b | DOUBLE_QUIET : DOUBLE_DEFAULT_NAN;
    }
}
