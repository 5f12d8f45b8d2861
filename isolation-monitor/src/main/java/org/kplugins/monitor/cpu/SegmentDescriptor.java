// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

/**
 * An entry of the emulated descriptor table: base, limit (the last valid offset) and type.
 *
 * <p>x86-64 in 64-bit mode ignores the base and limit of CS, DS, ES and SS and checks no limit
 * at all. The emulated CPU checks every limit as protected mode does, because segment limits are
 * what isolates a plugin's data in this model. That is the one rule it adds to 64-bit mode.
 */
public record SegmentDescriptor(long base, long limit, Type type) {

    /** The segment types the emulator uses. */
    public enum Type {
        /** A code segment that can be executed but not read through. */
        CODE_EXECUTE_ONLY,
        /** A readable and writable data segment. */
        DATA_READ_WRITE,
        /** A null selector: any access through it raises #GP. */
        NULL
    }

    /** A flat data segment over the whole 64-bit linear space. */
    public static final SegmentDescriptor FLAT = new SegmentDescriptor(0, -1L, Type.DATA_READ_WRITE);

    /** The null descriptor. */
    public static final SegmentDescriptor NULL = new SegmentDescriptor(0, 0, Type.NULL);

    /** Returns whether {@code size} bytes at segment offset {@code offset} lie within the limit. */
    public boolean contains(long offset, int size) {
        if (type == Type.NULL) {
            return false;
        }
        long last = offset + size - 1;
        return Long.compareUnsigned(offset, last) <= 0 && Long.compareUnsigned(last, limit) <= 0;
    }
}
