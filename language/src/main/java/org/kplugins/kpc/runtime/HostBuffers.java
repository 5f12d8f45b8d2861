// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import java.util.Map;
import java.util.TreeMap;
import org.kplugins.kpc.KpcException;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.PageFlags;

/**
 * The buffers that the host keeps mapped in one plugin instance across calls. They take whole
 * pages at the bottom of the host region, in the order of the requests, each followed by an
 * unmapped guard page. The mappings of each call start above the highest of them. The host
 * writes and reads them directly, so a call that takes their addresses copies nothing.
 *
 * <p>A closed buffer's pages are unmapped at once, but its addresses are reused only when every
 * buffer above it is closed too, so the region cannot fragment.
 */
final class HostBuffers {

    private final AddressSpace memory;
    private final int regionStart;
    /** Requested size in bytes of every live buffer, by start address. Each maps the whole pages of its size. */
    private final TreeMap<Integer, Integer> sizes = new TreeMap<>();
    /** End of the guard page above the highest live buffer: where the mappings of a call start. */
    private int top;

    HostBuffers(AddressSpace memory, int regionStart) {
        this.memory = memory;
        this.regionStart = regionStart;
        this.top = regionStart;
    }

    /** Returns the start of the host region, where the lowest buffer goes. */
    int regionStart() {
        return regionStart;
    }

    /** Returns the first address above every live buffer and its guard page. */
    int top() {
        return top;
    }

    /**
     * Maps a zero-filled buffer of {@code size} bytes at the top of the buffers, writable by the
     * plugin unless {@code readOnly}, and returns its address.
     */
    int map(String pluginName, int size, boolean readOnly) {
        if (size <= 0) {
            throw new KpcException("a host buffer needs a size of at least 1 byte, not " + size, null);
        }
        long pages = PluginLayout.pageAligned(size);
        long end = top + pages;
        if (end > memory.segmentLimit()) {
            throw new KpcException("a host buffer of " + size + " bytes does not fit in plugin '" + pluginName + "': "
                            + (memory.segmentLimit() - (long) top) + " bytes are left above the heap and the other buffers"
                            + " under the memory limit of " + memory.segmentLimit() + " bytes; raise kpc.MemoryLimit"
                            + " (PluginLimits.memoryLimit) or close a buffer", null);
        }
        int address = top;
        memory.map(address, (int) pages, readOnly ? PageFlags.PRESENT : PageFlags.PRESENT | PageFlags.WRITABLE);
        sizes.put(address, size);
        top = aboveGuardPage(end);
        return address;
    }

    /** Unmaps the buffer at {@code address}; returns false if no live buffer starts there. */
    boolean unmap(int address) {
        Integer size = sizes.remove(address);
        if (size == null) {
            return false;
        }
        memory.unmap(address, (int) PluginLayout.pageAligned(size));
        Map.Entry<Integer, Integer> highest = sizes.lastEntry();
        top = highest == null ? regionStart : aboveGuardPage(highest.getKey() + PluginLayout.pageAligned(highest.getValue()));
        return true;
    }

    /**
     * Returns the address one unmapped page above {@code end}, the end of a buffer, or the segment
     * limit if that is lower. The guard page makes an access just past a buffer fault, where it
     * would otherwise reach the next buffer or a call's mapping.
     */
    private int aboveGuardPage(long end) {
        return (int) Math.min(end + PluginLayout.PAGE_SIZE, memory.segmentLimit());
    }

    /** Copies {@code length} bytes of {@code src} into the buffer at {@code address} from {@code offset}. */
    void write(int address, int offset, byte[] src, int srcOffset, int length) {
        checkRange(address, offset, length, src.length, srcOffset);
        memory.hostWrite(address + offset, src, srcOffset, length);
    }

    /** Copies {@code length} bytes of the buffer at {@code address} from {@code offset} into {@code dst}. */
    void read(int address, int offset, byte[] dst, int dstOffset, int length) {
        checkRange(address, offset, length, dst.length, dstOffset);
        memory.hostRead(address + offset, dst, dstOffset, length);
    }

    private void checkRange(int address, int offset, int length, int arrayLength, int arrayOffset) {
        Integer size = sizes.get(address);
        if (size == null) {
            throw new KpcException("no host buffer is mapped at " + Integer.toUnsignedString(address) + "; it was closed", null);
        }
        if (offset < 0 || length < 0 || (long) offset + length > size) {
            throw new KpcException("bytes " + offset + " to " + ((long) offset + length) + " are outside the "
                            + size + "-byte host buffer", null);
        }
        if (arrayOffset < 0 || (long) arrayOffset + length > arrayLength) {
            throw new KpcException("bytes " + arrayOffset + " to " + ((long) arrayOffset + length)
                            + " are outside the " + arrayLength + "-byte array", null);
        }
    }
}
