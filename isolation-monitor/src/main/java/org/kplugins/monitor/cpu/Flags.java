// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

/**
 * The arithmetic flags of the emulated CPU, kept lazily: the last flag-setting instruction
 * leaves a kind and its operands and result, and a condition is computed from them when a jump,
 * setcc or cmovcc reads it. When the kind is known at compile time, as for a cmp followed by a
 * jcc in one block, Graal folds the condition into one comparison of the operands.
 *
 * <p>A kind is {@code base * 16 + size}. Kinds other than {@link #ADD}, {@link #SUB} and
 * {@link #LOGIC} are {@link #EXPLICIT}: their result slot contains the RFLAGS bits themselves.
 * The auxiliary carry flag (AF) is not kept; no instruction the backend emits reads it.
 */
public final class Flags {

    public static final int CF = 1;
    public static final int PF = 1 << 2;
    public static final int ZF = 1 << 6;
    public static final int SF = 1 << 7;
    public static final int OF = 1 << 11;

    /** Kind base: flags of an addition, from the operands a and b and the result r. */
    public static final int ADD = 1;
    /** Kind base: flags of a subtraction or compare a - b. */
    public static final int SUB = 2;
    /** Kind base: flags of and, or, xor and test: CF and OF clear. */
    public static final int LOGIC = 3;
    /** Kind base: the result slot contains the flags. */
    public static final int EXPLICIT = 4;

    private Flags() {
    }

    public static int kind(int base, int size) {
        return base * 16 + size;
    }

    /** Returns the mask of an operand of {@code size} bytes. */
    public static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    /** Returns the sign bit of an operand of {@code size} bytes. */
    public static long signBit(int size) {
        return 1L << (size * 8 - 1);
    }

    /** Sign-extends the low {@code size} bytes of {@code value}. */
    public static long signExtend(long value, int size) {
        int shift = 64 - size * 8;
        return value << shift >> shift;
    }

    /** Returns the RFLAGS bits of kind {@code kind} with operands {@code a}, {@code b} and result {@code r}. */
    public static long packed(long kind, long a, long b, long r) {
        int base = (int) (kind >>> 4);
        if (base == EXPLICIT) {
            return r;
        }
        int size = (int) (kind & 15);
        long sign = signBit(size);
        long bits = resultFlags(r, size);
        switch (base) {
            case ADD -> {
                long m = mask(size);
                if (Long.compareUnsigned(r & m, a & m) < 0) {
                    bits |= CF;
                }
                if (((a ^ r) & (b ^ r) & sign) != 0) {
                    bits |= OF;
                }
            }
            case SUB -> {
                long m = mask(size);
                if (Long.compareUnsigned(a & m, b & m) < 0) {
                    bits |= CF;
                }
                if (((a ^ b) & (a ^ r) & sign) != 0) {
                    bits |= OF;
                }
            }
            default -> {
            }
        }
        return bits;
    }

    /** Returns ZF, SF and PF of a result of {@code size} bytes. */
    public static long resultFlags(long r, int size) {
        long bits = 0;
        if ((r & mask(size)) == 0) {
            bits |= ZF;
        }
        if ((r & signBit(size)) != 0) {
            bits |= SF;
        }
        if ((Long.bitCount(r & 0xFF) & 1) == 0) {
            bits |= PF;
        }
        return bits;
    }

    /** Returns whether condition code {@code cc} (0 to 15) holds. */
    public static boolean condition(int cc, long kind, long a, long b, long r) {
        int base = (int) (kind >>> 4);
        int size = (int) (kind & 15);
        if (base == SUB) {
            long m = mask(size);
            long sa = signExtend(a, size);
            long sb = signExtend(b, size);
            switch (cc) {
                case 2:
                    return Long.compareUnsigned(a & m, b & m) < 0;
                case 3:
                    return Long.compareUnsigned(a & m, b & m) >= 0;
                case 4:
                    return (r & m) == 0;
                case 5:
                    return (r & m) != 0;
                case 6:
                    return Long.compareUnsigned(a & m, b & m) <= 0;
                case 7:
                    return Long.compareUnsigned(a & m, b & m) > 0;
                case 8:
                    return signExtend(r, size) < 0;
                case 9:
                    return signExtend(r, size) >= 0;
                case 12:
                    return sa < sb;
                case 13:
                    return sa >= sb;
                case 14:
                    return sa <= sb;
                case 15:
                    return sa > sb;
                default:
                    break;
            }
        } else if (base == ADD) {
            long m = mask(size);
            switch (cc) {
                case 4:
                    return (r & m) == 0;
                case 5:
                    return (r & m) != 0;
                case 8:
                    return signExtend(r, size) < 0;
                case 9:
                    return signExtend(r, size) >= 0;
                default:
                    break;
            }
        } else if (base == LOGIC) {
            long m = mask(size);
            long sr = signExtend(r, size);
            switch (cc) {
                case 4:
                    return (r & m) == 0;
                case 5:
                    return (r & m) != 0;
                case 8, 12:
                    return sr < 0;
                case 9, 13:
                    return sr >= 0;
                case 14:
                    return sr <= 0;
                case 15:
                    return sr > 0;
                default:
                    break;
            }
        }
        return holds(cc, packed(kind, a, b, r));
    }

    /** Returns whether condition code {@code cc} holds for the RFLAGS bits {@code flags}. */
    public static boolean holds(int cc, long flags) {
        boolean cf = (flags & CF) != 0;
        boolean zf = (flags & ZF) != 0;
        boolean sf = (flags & SF) != 0;
        boolean of = (flags & OF) != 0;
        boolean pf = (flags & PF) != 0;
        boolean result = switch (cc >>> 1) {
            case 0 -> of;
            case 1 -> cf;
            case 2 -> zf;
            case 3 -> cf || zf;
            case 4 -> sf;
            case 5 -> pf;
            case 6 -> sf != of;
            default -> zf || sf != of;
        };
        return (cc & 1) == 0 ? result : !result;
    }
}
