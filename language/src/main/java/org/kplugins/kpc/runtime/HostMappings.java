// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.InvalidArrayIndexException;
import com.oracle.truffle.api.interop.InvalidBufferOffsetException;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.PageFlags;

/**
 * The host values mapped into a plugin's host region for one call. Each mapping starts on a page
 * of its own, so page protection applies to it alone. An unmapped guard page follows it, so an
 * access past its last page faults instead of reaching the next mapping. {@link #copyBack} writes the writable
 * mappings back to their host objects, and {@link #release} unmaps them all.
 */
final class HostMappings {

    /** The way a mapping's bytes return to the host after the call. */
    private enum CopyBack {
        NONE,
        /** A host {@code ByteBuffer}: one copy into its backing array, or one bulk absolute put. */
        BYTE_BUFFER,
        /** A host {@code byte[]}: one array copy. */
        BYTE_ARRAY,
        /** Any other interop buffer: {@code writeBufferByte} per byte. */
        INTEROP_BUFFER,
        /** An interop array of numbers, one element of {@code elementSize} bytes each. */
        NUMBER_ARRAY
    }

    private record Mapping(int address, int size, CopyBack copyBack, Object hostValue, int elementSize,
                    boolean elementSigned) {
    }

    private final AddressSpace memory;
    private final int regionStart;
    private int regionTop;
    private final List<Mapping> mappings = new ArrayList<>();

    /** Bytes that the host's plugin buffers take below {@code regionStart}, for the error that a value does not fit. */
    private final long bufferBytes;

    HostMappings(AddressSpace memory, int regionStart, long bufferBytes) {
        this.memory = memory;
        this.regionStart = regionStart;
        this.regionTop = regionStart;
        this.bufferBytes = bufferBytes;
    }

    /**
     * Maps {@code length} bytes of {@code bytes} from {@code offset} at the next free page of the
     * host region, read-only unless {@code writable}, and returns the plugin address. An empty
     * value still gets one page, so the pointer is valid and distinct.
     */
    private int map(byte[] bytes, int offset, int length, boolean writable) throws UnsupportedTypeException {
        int address = regionTop;
        long end = reserve(length);
        memory.mapWithData(address, (int) (end - address), pageFlags(writable), bytes, offset, length);
        skipGuardPage(end);
        return address;
    }

    /** Maps the bytes of {@code buffer} up to its limit, as {@link #map(byte[], int, int, boolean)} does. */
    private int map(ByteBuffer buffer, boolean writable) throws UnsupportedTypeException {
        int address = regionTop;
        long end = reserve(buffer.limit());
        memory.mapWithData(address, (int) (end - address), pageFlags(writable), buffer);
        skipGuardPage(end);
        return address;
    }

    /** Moves the top of the host region one unmapped page past {@code end}, the end of the last mapping. */
    private void skipGuardPage(long end) {
        regionTop = (int) Math.min(end + AddressSpace.PAGE_SIZE, memory.segmentLimit());
    }

    /**
     * Returns the end of the whole pages that a value of {@code length} bytes takes at the top of
     * the host region, or raises the error that the value does not fit.
     */
    private long reserve(int length) throws UnsupportedTypeException {
        long end = regionTop + PluginLayout.pageAligned(length);
        if (end > memory.segmentLimit()) {
            String buffers = bufferBytes == 0 ? "; raise kpc.MemoryLimit"
                            : " (its plugin buffers take " + bufferBytes + " bytes more); raise kpc.MemoryLimit or close a plugin buffer";
            throw UnsupportedTypeException.create(new Object[0], "host value of " + length
                            + " bytes does not fit the plugin's host mapping region of "
                            + (memory.segmentLimit() - (long) regionStart) + " bytes" + buffers);
        }
        // NOTE: the host region lies above the whole heap range, so the first mapping grows the
        // address space's backing array past kpc.HeapSize bytes even when the heap is unused.
        // Later calls reuse that array: release() only clears page-table entries, and
        // mapWithData writes each byte once (the value, then zeros to the end of its last page).
        // A call whose mappings grow the array by more than kpc.RetainedHostBytes shrinks it again
        // as it returns (PluginInstance.callFromHost).
        return end;
    }

    private static int pageFlags(boolean writable) {
        return writable ? PageFlags.PRESENT | PageFlags.WRITABLE : PageFlags.PRESENT;
    }

    /**
     * Maps an interop buffer. Host {@code byte[]} arrays and heap {@code ByteBuffer}s are copied
     * straight from their backing array; other buffers are read with one bulk interop read.
     */
    int mapBuffer(Object value, Object hostObject, InteropLibrary interop, boolean writableParameter)
                    throws UnsupportedTypeException, UnsupportedMessageException {
        int address;
        int size;
        CopyBack copyBack;
        boolean writable;
        if (hostObject instanceof ByteBuffer buffer) {
            size = buffer.limit();
            writable = writableParameter && !buffer.isReadOnly();
            if (buffer.hasArray()) {
                address = map(buffer.array(), buffer.arrayOffset(), size, writable);
            } else {
                // A read-only or direct buffer has no accessible array. It is copied straight into
                // plugin memory, so no call allocates a temporary array of the buffer's size.
                address = map(buffer, writable);
            }
            copyBack = CopyBack.BYTE_BUFFER;
        } else if (hostObject instanceof byte[] array) {
            size = array.length;
            writable = writableParameter;
            address = map(array, 0, size, writable);
            copyBack = CopyBack.BYTE_ARRAY;
        } else {
            long bufferSize = interop.getBufferSize(value);
            if (bufferSize > Integer.MAX_VALUE) {
                throw UnsupportedTypeException.create(new Object[]{value}, "buffer of " + bufferSize + " bytes is too large");
            }
            size = (int) bufferSize;
            byte[] bytes = new byte[size];
            try {
                interop.readBuffer(value, 0, bytes, 0, size);
            } catch (InvalidBufferOffsetException e) {
                throw UnsupportedTypeException.create(new Object[]{value}, "buffer changed size while it was read");
            }
            writable = writableParameter && interop.isBufferWritable(value);
            address = map(bytes, 0, size, writable);
            copyBack = CopyBack.INTEROP_BUFFER;
        }
        mappings.add(new Mapping(address, size, writable ? copyBack : CopyBack.NONE, value, 1, false));
        return address;
    }

    /** Maps an interop array of numbers as consecutive little-endian elements of {@code elementSize} bytes. */
    int mapNumberArray(Object value, InteropLibrary interop, int elementSize, boolean elementSigned, boolean writable)
                    throws UnsupportedTypeException, UnsupportedMessageException {
        long length = interop.getArraySize(value);
        if (length * elementSize > Integer.MAX_VALUE) {
            throw UnsupportedTypeException.create(new Object[]{value}, "array of " + length + " elements is too large");
        }
        byte[] bytes = new byte[(int) length * elementSize];
        for (int i = 0; i < length; i++) {
            Object element;
            try {
                element = interop.readArrayElement(value, i);
            } catch (InvalidArrayIndexException e) {
                throw UnsupportedTypeException.create(new Object[]{value}, "array changed size while it was read");
            }
            InteropLibrary elementInterop = InteropLibrary.getUncached(element);
            if (!elementInterop.fitsInLong(element)) {
                throw UnsupportedTypeException.create(new Object[]{value},
                                "array element " + i + " is not an integer that fits in 64 bits");
            }
            long number = elementInterop.asLong(element);
            for (int b = 0; b < elementSize; b++) {
                bytes[i * elementSize + b] = (byte) (number >>> (8 * b));
            }
        }
        int address = map(bytes, 0, bytes.length, writable);
        mappings.add(new Mapping(address, bytes.length, writable ? CopyBack.NUMBER_ARRAY : CopyBack.NONE, value,
                        elementSize, elementSigned));
        return address;
    }

    /** Maps bytes that go to the plugin only, such as strings. */
    int mapBytes(byte[] bytes, boolean writable) throws UnsupportedTypeException {
        int address = map(bytes, 0, bytes.length, writable);
        mappings.add(new Mapping(address, bytes.length, CopyBack.NONE, null, 1, false));
        return address;
    }

    /** Writes every writable mapping back to its host object. */
    void copyBack() {
        for (Mapping mapping : mappings) {
            if (mapping.copyBack() == CopyBack.NONE) {
                continue;
            }
            try {
                writeToHost(mapping);
            } catch (UnsupportedMessageException | InvalidBufferOffsetException | InvalidArrayIndexException
                            | UnsupportedTypeException e) {
                throw new IllegalStateException("could not copy a writable mapping back to the host: " + e.getMessage(), e);
            }
        }
    }

    private void writeToHost(Mapping mapping) throws UnsupportedMessageException, InvalidBufferOffsetException,
                    InvalidArrayIndexException, UnsupportedTypeException {
        Object value = mapping.hostValue();
        Object host = HostArguments.hostObject(value);
        if (mapping.copyBack() == CopyBack.BYTE_ARRAY) {
            memory.hostRead(mapping.address(), (byte[]) host, 0, mapping.size());
            return;
        }
        if (mapping.copyBack() == CopyBack.BYTE_BUFFER) {
            ByteBuffer buffer = (ByteBuffer) host;
            if (buffer.hasArray()) {
                memory.hostRead(mapping.address(), buffer.array(), buffer.arrayOffset(), mapping.size());
            } else {
                memory.hostRead(mapping.address(), buffer, mapping.size());
            }
            return;
        }
        byte[] bytes = new byte[mapping.size()];
        memory.hostRead(mapping.address(), bytes, 0, bytes.length);
        InteropLibrary interop = InteropLibrary.getUncached(value);
        switch (mapping.copyBack()) {
            case INTEROP_BUFFER -> {
                for (int i = 0; i < bytes.length; i++) {
                    interop.writeBufferByte(value, i, bytes[i]);
                }
            }
            case NUMBER_ARRAY -> writeNumbers(mapping, bytes, interop);
            case NONE, BYTE_ARRAY, BYTE_BUFFER -> {
            }
        }
    }

    private static void writeNumbers(Mapping mapping, byte[] bytes, InteropLibrary interop)
                    throws UnsupportedMessageException, InvalidArrayIndexException, UnsupportedTypeException {
        Object value = mapping.hostValue();
        int elementSize = mapping.elementSize();
        for (int i = 0; i < bytes.length / elementSize; i++) {
            long number = 0;
            for (int b = 0; b < elementSize; b++) {
                number |= (bytes[i * elementSize + b] & 0xFFL) << (8 * b);
            }
            if (mapping.elementSigned() && elementSize < 8) {
                int shift = 64 - 8 * elementSize;
                number = number << shift >> shift;
            }
            Object element = elementSize < 4 || elementSize == 4 && mapping.elementSigned()
                            ? (Object) (int) number : (Object) number;
            interop.writeArrayElement(value, i, element);
        }
    }

    /** Unmaps every mapping of this call. */
    void release() {
        if (regionTop > regionStart) {
            memory.unmap(regionStart, regionTop - regionStart);
        }
        mappings.clear();
        regionTop = regionStart;
    }
}
