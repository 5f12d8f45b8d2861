// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

import java.lang.reflect.Field;
import java.nio.ByteOrder;
import sun.misc.Unsafe;

/**
 * Reads and writes of a byte array at a zero-extended int offset plus a small constant, without
 * the array's own bounds check. Every caller first checks with {@link #covers} that the bytes lie
 * inside the same array reference it then accesses, so no access can leave the array even when
 * another thread replaces an address space's backing store meanwhile.
 *
 * <p>Compiled code folds the constant into the address of the machine instruction, which an
 * {@code int} array index cannot allow: {@code memory[base + 1]} must wrap at 2^32 before it
 * widens to 64 bits, so Graal computes {@code base + 1} in an instruction of its own.
 *
 * <p>Values of 2, 4 and 8 bytes are little-endian, as plugin memory is in every tier. On a
 * big-endian host their bytes are swapped after the load and before the store.
 */
public final class RawBytes {

    private static final Unsafe UNSAFE = unsafe();
    /** True when the accesses work on this JVM, false when sun.misc.Unsafe denies memory access. */
    public static final boolean AVAILABLE = UNSAFE != null;
    /**
     * True when the 2-, 4- and 8-byte accesses may be used. They are unaligned whenever plugin
     * data is, which x86-64 and AArch64 allow for plain loads and stores.
     */
    public static final boolean WIDE_AVAILABLE = AVAILABLE && allowsUnalignedAccess(System.getProperty("os.arch"));
    private static final long BASE = AVAILABLE ? UNSAFE.arrayBaseOffset(byte[].class) : 0;
    /** Whether the host's byte order is plugin memory's, so wide values need no byte swap. */
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private RawBytes() {
    }

    /**
     * Returns whether the bytes {@code [base, base + end)}, with {@code base} read as an unsigned
     * 32-bit offset, all lie inside {@code array}. A caller passes its displacement plus its access
     * size as {@code end}.
     *
     * @param end 1 to 2^31 - 1
     */
    public static boolean covers(byte[] array, int base, int end) {
        // The form of an array bounds check, base < bound, which Graal moves out of a counted loop.
        int bound = Math.max(0, array.length - (end - 1));
        return Integer.compareUnsigned(base, bound) < 0;
    }

    /** Reads the byte at {@code base + displacement}, which {@link #covers} has checked. */
    public static byte getByte(byte[] array, int base, int displacement) {
        return UNSAFE.getByte(array, offset(base, displacement));
    }

    /** Writes the byte at {@code base + displacement}, which {@link #covers} has checked. */
    public static void putByte(byte[] array, int base, int displacement, byte value) {
        UNSAFE.putByte(array, offset(base, displacement), value);
    }

    /** Reads the little-endian short at {@code base + displacement}, which {@link #covers} has checked. */
    public static short getShort(byte[] array, int base, int displacement) {
        short value = UNSAFE.getShort(array, offset(base, displacement));
        return LITTLE_ENDIAN ? value : Short.reverseBytes(value);
    }

    /** Writes a little-endian short at {@code base + displacement}, which {@link #covers} has checked. */
    public static void putShort(byte[] array, int base, int displacement, short value) {
        UNSAFE.putShort(array, offset(base, displacement), LITTLE_ENDIAN ? value : Short.reverseBytes(value));
    }

    /** Reads the little-endian int at {@code base + displacement}, which {@link #covers} has checked. */
    public static int getInt(byte[] array, int base, int displacement) {
        int value = UNSAFE.getInt(array, offset(base, displacement));
        return LITTLE_ENDIAN ? value : Integer.reverseBytes(value);
    }

    /** Writes a little-endian int at {@code base + displacement}, which {@link #covers} has checked. */
    public static void putInt(byte[] array, int base, int displacement, int value) {
        UNSAFE.putInt(array, offset(base, displacement), LITTLE_ENDIAN ? value : Integer.reverseBytes(value));
    }

    /** Reads the little-endian long at {@code base + displacement}, which {@link #covers} has checked. */
    public static long getLong(byte[] array, int base, int displacement) {
        long value = UNSAFE.getLong(array, offset(base, displacement));
        return LITTLE_ENDIAN ? value : Long.reverseBytes(value);
    }

    /** Writes a little-endian long at {@code base + displacement}, which {@link #covers} has checked. */
    public static void putLong(byte[] array, int base, int displacement, long value) {
        UNSAFE.putLong(array, offset(base, displacement), LITTLE_ENDIAN ? value : Long.reverseBytes(value));
    }

    /** Returns the Unsafe offset of byte {@code base + displacement}, with {@code base} read as unsigned. */
    private static long offset(int base, int displacement) {
        return BASE + Integer.toUnsignedLong(base) + displacement;
    }

    static boolean allowsUnalignedAccess(String arch) {
        return "amd64".equals(arch) || "x86_64".equals(arch) || "aarch64".equals(arch);
    }

    private static Unsafe unsafe() {
        try {
            Field field = Unsafe.class.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Unsafe unsafe = (Unsafe) field.get(null);
            byte[] probe = new byte[1];
            unsafe.putByte(probe, unsafe.arrayBaseOffset(byte[].class), (byte) 1);
            return probe[0] == 1 ? unsafe : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
