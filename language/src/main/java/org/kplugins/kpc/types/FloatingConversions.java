// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

/**
 * The conversions between floating and integer values, shared by constant folding, static data
 * and the Truffle nodes so that a conversion gives the same result at compile time and at run
 * time.
 *
 * <p>Integer to floating rounds to nearest, ties to even, for every integer type, including the
 * unsigned 64-bit ones that Java has no conversion for. Floating to integer truncates toward zero.
 * C leaves a value outside the target's range (NaN and infinities included) undefined, and KPC
 * gives the result that {@code gcc -m32 -msse2 -mfpmath=sse} code computes on x86:
 * <ul>
 *   <li>int and long: {@code cvttsd2si} with a 32-bit result, which yields the "integer
 *       indefinite" value INT_MIN;
 *   <li>long long: LLONG_MIN, as the 64-bit {@code cvttsd2si} and the x87 {@code fistp} give;
 *   <li>unsigned int and unsigned long: values below 2^31 convert as int, and larger ones have
 *       2^31 subtracted, convert as int, and get bit 31 flipped, so -1.0 gives UINT_MAX, NaN gives
 *       0x80000000, and 2^32 or more gives 0;
 *   <li>unsigned long long: the same with 2^63, so NaN gives 2^63 and 2^64 or more gives 0;
 *   <li>char and short: the value converts as int, then keeps the low bits.
 * </ul>
 * A float converts as the double of the same value; that gives the same results as the float
 * instructions.
 */
public final class FloatingConversions {

    private static final double TWO_TO_31 = 0x1p31;
    private static final double TWO_TO_63 = 0x1p63;

    private FloatingConversions() {
    }

    /** Converts to int (or long) as {@code cvttsd2si} with a 32-bit result does. */
    public static int toInt32(double value) {
        if (value > -TWO_TO_31 - 1 && value < TWO_TO_31) {
            return (int) value;
        }
        return Integer.MIN_VALUE;
    }

    /** Converts to unsigned int (or unsigned long), carried as the Java int of the same bits. */
    public static int toUint32(double value) {
        if (value >= TWO_TO_31) {
            return toInt32(value - TWO_TO_31) ^ Integer.MIN_VALUE;
        }
        return toInt32(value);
    }

    /** Converts to long long as {@code cvttsd2si} with a 64-bit result does. */
    public static long toInt64(double value) {
        if (value >= -TWO_TO_63 && value < TWO_TO_63) {
            return (long) value;
        }
        return Long.MIN_VALUE;
    }

    /** Converts to unsigned long long, carried as the Java long of the same bits. */
    public static long toUint64(double value) {
        if (value >= TWO_TO_63) {
            return toInt64(value - TWO_TO_63) ^ Long.MIN_VALUE;
        }
        return toInt64(value);
    }

    /** Converts an unsigned 32-bit value, carried as a Java int, to float. */
    public static float uint32ToFloat(int value) {
        return Integer.toUnsignedLong(value);
    }

    /** Converts an unsigned 32-bit value, carried as a Java int, to double. */
    public static double uint32ToDouble(int value) {
        return Integer.toUnsignedLong(value);
    }

    /**
     * Converts an unsigned 64-bit value, carried as a Java long, to float. A value of 2^63 or more
     * is halved first, keeping the lost bit as a sticky bit so that the halved value rounds the
     * same way, and doubled after the conversion, which is exact.
     */
    public static float uint64ToFloat(long value) {
        if (value >= 0) {
            return value;
        }
        return (float) ((value >>> 1) | (value & 1)) * 2.0f;
    }

    /** Converts an unsigned 64-bit value, carried as a Java long, to double, as {@link #uint64ToFloat} does. */
    public static double uint64ToDouble(long value) {
        if (value >= 0) {
            return value;
        }
        return (double) ((value >>> 1) | (value & 1)) * 2.0;
    }

    /**
     * Converts a floating value to an integer type as KPC defines it (see the class comment),
     * returning the result normalized as {@link IntegerType} values are stored in constants: the
     * value itself for signed types, zero-extended for unsigned types narrower than 64 bits.
     */
    public static long toInteger(double value, IntegerType type) {
        if (type.isBool()) {
            return value != 0 ? 1 : 0;
        }
        if (type.is64Bit()) {
            return type.isSigned() ? toInt64(value) : toUint64(value);
        }
        if (type.size() == 4) {
            return type.isSigned() ? toInt32(value) : Integer.toUnsignedLong(toUint32(value));
        }
        int asInt = toInt32(value);
        return switch (type.size()) {
            case 1 -> type.isSigned() ? (byte) asInt : asInt & 0xFF;
            default -> type.isSigned() ? (short) asInt : asInt & 0xFFFF;
        };
    }

    /**
     * Converts an integer constant of {@code type}, normalized as {@link #toInteger} returns it, to
     * a floating type: the result is a double holding a float value when {@code target} is float.
     */
    public static double fromInteger(long value, IntegerType type, FloatingType target) {
        boolean unsigned64 = type.is64Bit() && !type.isSigned();
        if (target.isDouble()) {
            return unsigned64 ? uint64ToDouble(value) : (double) value;
        }
        return unsigned64 ? uint64ToFloat(value) : (float) value;
    }
}
