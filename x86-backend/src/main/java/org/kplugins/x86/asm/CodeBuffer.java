// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import java.util.Arrays;

/**
 * A growable buffer of machine code. Values are written little-endian, as x86 stores them, at the
 * current position, which is the offset of the next byte and also the code size.
 */
public final class CodeBuffer {

    private byte[] bytes = new byte[256];
    private int position;

    /** Returns the offset of the next byte to be written, which equals the number of bytes written so far. */
    public int position() {
        return position;
    }

    /** Returns the byte at {@code offset}, which must be below {@link #position()}. */
    public byte byteAt(int offset) {
        checkWritten(offset, 1);
        return bytes[offset];
    }

    /** Returns a copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, position);
    }

    /** Appends the low 8 bits of {@code value}. */
    public void emitByte(int value) {
        ensureCapacity(1);
        bytes[position++] = (byte) value;
    }

    /** Appends the low 16 bits of {@code value}. */
    public void emitInt16(int value) {
        emitByte(value);
        emitByte(value >> 8);
    }

    /** Appends {@code value} as 4 bytes. */
    public void emitInt32(int value) {
        emitInt16(value);
        emitInt16(value >> 16);
    }

    /** Appends {@code value} as 8 bytes. */
    public void emitInt64(long value) {
        emitInt32((int) value);
        emitInt32((int) (value >> 32));
    }

    /** Overwrites the byte at {@code offset}, which must already be written, with the low 8 bits of {@code value}. */
    public void patchInt8(int offset, int value) {
        checkWritten(offset, 1);
        bytes[offset] = (byte) value;
    }

    /** Overwrites the 4 bytes at {@code offset}, which must already be written, with {@code value}. */
    public void patchInt32(int offset, int value) {
        checkWritten(offset, 4);
        for (int i = 0; i < 4; i++) {
            bytes[offset + i] = (byte) (value >> (8 * i));
        }
    }

    private void checkWritten(int offset, int length) {
        if (offset < 0 || offset > position - length) {
            throw new IndexOutOfBoundsException("offset " + offset + " with length " + length
                            + " is outside the " + position + " bytes written so far");
        }
    }

    private void ensureCapacity(int extra) {
        if (position + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + extra));
        }
    }
}
