// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

import static org.kplugins.monitor.fault.FaultReport.formatAddress;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.nodes.Node;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.kplugins.monitor.fault.Access;
import org.kplugins.monitor.fault.FaultKind;
import org.kplugins.monitor.fault.PluginFault;

/**
 * The allocator behind the host exports {@code kp_alloc} and {@code kp_free}. It owns the range
 * {@code [base, base + maxSize)} of an {@link AddressSpace} and maps its pages writable as the
 * heap grows. The caller must not map that range for anything else.
 *
 * <p>All metadata lives in Java objects, never in plugin memory, so a plugin cannot corrupt it by
 * writing out of a block's bounds. Live blocks are kept in a map from start address to size, and
 * free blocks in an address-ordered map, so freeing coalesces with both neighbours. Allocation
 * takes the first free block that fits (first fit) and splits off the rest, or else extends the
 * heap top. A free block that ends at the top is given back to the top. Pages stay mapped once the
 * heap has grown over them.
 *
 * <p>Blocks are 8-byte aligned and their sizes are rounded up to 8 bytes. Memory from
 * {@link #allocate} is zero when its pages are first mapped, and holds the plugin's earlier data
 * when the block is reused. Not thread-safe, like {@link AddressSpace}.
 */
public final class PluginHeap {

    /** Alignment of every block address and size, in bytes. */
    public static final int ALIGNMENT = 8;

    private final AddressSpace space;
    private final int base;
    /** End of the heap range: {@code base + maxSize}. */
    private final long limit;
    /** Heap top: the first byte above every live and free block. The bytes in {@code [top, limit)} are unused. */
    private long top;
    /** End of the pages that this heap has mapped, page-aligned. */
    private long mappedEnd;
    /** Start address to size in bytes, for every block that kp_alloc returned and kp_free did not release. */
    private final Map<Integer, Integer> liveBlocks = new HashMap<>();
    /** Start address to size in bytes, for free blocks below {@link #top}, never adjacent to each other. */
    private final TreeMap<Integer, Integer> freeBlocks = new TreeMap<>();

    /**
     * Creates an empty heap over {@code [base, base + maxSize)} of {@code space}. No page is
     * mapped until the first allocation.
     *
     * @param base    page-aligned start address above page 0
     * @param maxSize heap size limit in bytes. It must be a multiple of the page size, so the
     *                heap never maps a page that it shares with another mapping, and the range
     *                must end at or below the segment limit.
     */
    public PluginHeap(AddressSpace space, int base, int maxSize) {
        this.space = Objects.requireNonNull(space, "space");
        long end = Integer.toUnsignedLong(base) + maxSize;
        int pageMask = AddressSpace.PAGE_SIZE - 1;
        if (base == 0 || (base & pageMask) != 0 || maxSize <= 0 || (maxSize & pageMask) != 0 || end > space.segmentLimit()) {
            throw new IllegalArgumentException("invalid heap range of " + maxSize + " bytes at " + formatAddress(base)
                            + ": expected a page-aligned base above page 0, a positive page-multiple size,"
                            + " and an end at or below segment limit " + formatAddress(space.segmentLimit()));
        }
        this.base = base;
        this.limit = end;
        this.top = base;
        this.mappedEnd = base;
    }

    /**
     * Allocates a block of at least {@code size} bytes ({@code kp_alloc}). A size of 0 returns a
     * unique non-null pointer to an 8-byte block, as glibc {@code malloc(0)} does, and that
     * pointer must be freed like any other.
     *
     * @param size requested size in bytes, read as unsigned
     * @return the block's address, or 0 (NULL) when the heap has no room for it
     */
    @TruffleBoundary
    public int allocate(int size) {
        long blockSize = Math.max(ALIGNMENT, (Integer.toUnsignedLong(size) + ALIGNMENT - 1) & -ALIGNMENT);

        for (Map.Entry<Integer, Integer> free : freeBlocks.entrySet()) {
            int freeSize = free.getValue();
            if (freeSize >= blockSize) {
                int address = free.getKey();
                freeBlocks.remove(address);
                if (freeSize > blockSize) {
                    freeBlocks.put(address + (int) blockSize, freeSize - (int) blockSize);
                }
                liveBlocks.put(address, (int) blockSize);
                return address;
            }
        }

        if (blockSize > limit - top) {
            return 0;
        }
        int address = (int) top;
        top += blockSize;
        mapUpTo(top);
        liveBlocks.put(address, (int) blockSize);
        return address;
    }

    /**
     * Releases the block at {@code address} ({@code kp_free}). {@code free(0)} does nothing.
     *
     * @param location the node of the call, for the fault report
     * @throws PluginFault {@link FaultKind#GENERAL_PROTECTION} if {@code address} is not the start
     *                     of a live block: never allocated, already freed, or inside a block
     */
    @TruffleBoundary
    public void free(Node location, int address) {
        if (address == 0) {
            return;
        }
        Integer size = liveBlocks.remove(address);
        if (size == null) {
            throw PluginFault.raise(FaultKind.GENERAL_PROTECTION,
                            "kp_free(" + formatAddress(address) + "): not a live block returned by kp_alloc",
                            Integer.toUnsignedLong(address), Access.NONE, 0, location, space.pluginName());
        }
        releaseBlock(address, size);
    }

    /** Adds a block to the free map, merging it with free neighbours and with the unused top. */
    private void releaseBlock(int address, int size) {
        int start = address;
        int end = address + size;

        Map.Entry<Integer, Integer> below = freeBlocks.floorEntry(start);
        if (below != null && below.getKey() + below.getValue() == start) {
            start = below.getKey();
            freeBlocks.remove(start);
        }
        Integer aboveSize = freeBlocks.get(end);
        if (aboveSize != null) {
            freeBlocks.remove(end);
            end += aboveSize;
        }

        if (end == top) {
            top = start;
        } else {
            freeBlocks.put(start, end - start);
        }
    }

    /** Maps the pages up to {@code end} that this heap has not mapped yet, writable. */
    private void mapUpTo(long end) {
        if (end <= mappedEnd) {
            return;
        }
        long newMappedEnd = (end + AddressSpace.PAGE_SIZE - 1) & -AddressSpace.PAGE_SIZE;
        space.map((int) mappedEnd, (int) (newMappedEnd - mappedEnd), PageFlags.PRESENT | PageFlags.WRITABLE);
        mappedEnd = newMappedEnd;
    }

    public int base() {
        return base;
    }

    /** Returns the size of the live block that starts at {@code address}, or -1 if there is none. */
    @TruffleBoundary
    public int blockSize(int address) {
        return liveBlocks.getOrDefault(address, -1);
    }

    /** Returns the number of live blocks. */
    @TruffleBoundary
    public int liveBlockCount() {
        return liveBlocks.size();
    }

    /** Returns the bytes between the heap base and the heap top, counting free blocks below the top. */
    public long extent() {
        return top - base;
    }
}
