// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import java.util.Random;

/**
 * Inputs for {@link Differential}: register values from a fixed seed, half of them edge values
 * (0, 1, -1, the minimum and maximum of each operand size, sign bits) and half random bits, and
 * XMM values drawn from the special floating-point values (signed zeros, infinities, quiet and
 * signaling NaNs with payloads, denormals, values at the integer conversion limits) and random
 * numbers. A sixth of the registers get the value of another register, so that operands are often
 * equal.
 */
final class InputSource {

    private static final long[] FLAG_PAIRS = {0, 0, -1, 1, Long.MAX_VALUE, 1, -1, -1, 1, 2, Long.MIN_VALUE, Long.MIN_VALUE,
        0x7F, 0x01, 0xFFFF_FFFFL, 1};

    private static final long[] DOUBLES = {
        0x0000_0000_0000_0000L, 0x8000_0000_0000_0000L, // +0.0, -0.0
        Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(-1.0), Double.doubleToRawLongBits(0.5),
        Double.doubleToRawLongBits(3.0), Double.doubleToRawLongBits(-2.75), Double.doubleToRawLongBits(1e300),
        Double.doubleToRawLongBits(-1e-300),
        0x7FF0_0000_0000_0000L, 0xFFF0_0000_0000_0000L, // +inf, -inf
        0x7FF8_0000_0000_0000L, 0xFFF8_0000_0000_0000L, // quiet NaN, the indefinite
        0x7FF0_0000_0000_0001L, 0xFFF4_0000_DEAD_BEEFL, // signaling NaNs with payloads
        0x7FFC_1234_5678_9ABCL, // quiet NaN with a payload
        0x0000_0000_0000_0001L, 0x800F_FFFF_FFFF_FFFFL, 0x0010_0000_0000_0000L, // denormals, the smallest normal
        0x7FEF_FFFF_FFFF_FFFFL, // the largest finite
        Double.doubleToRawLongBits(0x1p31), Double.doubleToRawLongBits(-0x1p31), Double.doubleToRawLongBits(0x1p31 - 0.5),
        Double.doubleToRawLongBits(-0x1p31 - 0.5), Double.doubleToRawLongBits(-0x1p31 - 1), Double.doubleToRawLongBits(0x1p31 - 1),
        Double.doubleToRawLongBits(0x1p63), Double.doubleToRawLongBits(-0x1p63), Double.doubleToRawLongBits(0x1p63 - 1024),
        Double.doubleToRawLongBits(-0x1p63 - 2048), Double.doubleToRawLongBits(0x1p64), Double.doubleToRawLongBits(-0.99),
        Double.doubleToRawLongBits(3.4028235677973366e38), // rounds to float infinity
        Double.doubleToRawLongBits(1e-46), // underflows to a float denormal or zero
        Double.doubleToRawLongBits(1.401298464324817e-45), // the smallest float denormal
    };

    private static final int[] FLOATS = {
        0x0000_0000, 0x8000_0000, Float.floatToRawIntBits(1f), Float.floatToRawIntBits(-1f), Float.floatToRawIntBits(0.1f),
        Float.floatToRawIntBits(-7.5f), Float.floatToRawIntBits(3e38f), Float.floatToRawIntBits(-1e-38f),
        0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0xFFA0_BEEF, 0x7FC1_2345,
        0x0000_0001, 0x807F_FFFF, 0x0080_0000, 0x7F7F_FFFF,
        Float.floatToRawIntBits(0x1p31f), Float.floatToRawIntBits(-0x1p31f), Float.floatToRawIntBits(0x1p63f),
        Float.floatToRawIntBits(-0x1p63f), Float.floatToRawIntBits(2147483520f), Float.floatToRawIntBits(-2147483904f),
        Float.floatToRawIntBits(9.223371E18f), Float.floatToRawIntBits(-0.5f), Float.floatToRawIntBits(16777217f),
    };

    private final Random random;

    InputSource(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /** Returns new inputs: every register, XMM register, the input flags and the data buffer. */
    Differential.Input next(int run) {
        Differential.Input input = new Differential.Input();
        for (int i = 0; i < 16; i++) {
            input.gpr[i] = integer();
            input.xmm[i] = floatingPoint();
        }
        // Equal operands make the cases that compare, subtract or borrow to exactly zero.
        for (int i = 0; i < 16; i++) {
            if (random.nextInt(6) == 0) {
                input.gpr[i] = input.gpr[random.nextInt(16)];
            }
            if (random.nextInt(6) == 0) {
                input.xmm[i] = input.xmm[random.nextInt(16)];
            }
        }
        int pair = random.nextInt(FLAG_PAIRS.length / 2 + 2);
        if (pair < FLAG_PAIRS.length / 2) {
            input.flagA = FLAG_PAIRS[2 * pair];
            input.flagB = FLAG_PAIRS[2 * pair + 1];
        } else {
            input.flagA = random.nextLong();
            input.flagB = random.nextLong();
        }
        random.nextBytes(input.data);
        return input;
    }

    /** Returns an integer: an edge value of a random operand size, often with random bits above it, or random bits. */
    long integer() {
        if (random.nextBoolean()) {
            return random.nextLong();
        }
        int size = 1 << random.nextInt(4);
        long edge = edge(size);
        if (size < 8 && random.nextBoolean()) {
            return (random.nextLong() & ~Flags.mask(size)) | (edge & Flags.mask(size));
        }
        return edge;
    }

    /** Returns an edge value of an operand of {@code size} bytes, sign-extended to 64 bits. */
    long edge(int size) {
        long sign = Flags.signBit(size);
        long value = switch (random.nextInt(9)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> -1;
            case 3 -> sign;
            case 4 -> sign - 1;
            case 5 -> sign + 1;
            case 6 -> random.nextInt(256);
            case 7 -> -random.nextInt(256);
            default -> 2;
        };
        return Flags.signExtend(value, size);
    }

    /** Returns 64 XMM bits: a special or random double, or a special or random float below random bits. */
    long floatingPoint() {
        return switch (random.nextInt(4)) {
            case 0 -> DOUBLES[random.nextInt(DOUBLES.length)];
            case 1 -> Double.doubleToRawLongBits(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 2 -> (random.nextLong() & 0xFFFF_FFFF_0000_0000L) | (FLOATS[random.nextInt(FLOATS.length)] & 0xFFFF_FFFFL);
            default -> (random.nextLong() & 0xFFFF_FFFF_0000_0000L)
                            | (Float.floatToRawIntBits((float) (random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10)))
                                            & 0xFFFF_FFFFL);
        };
    }
}
