// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

import static org.kplugins.monitor.fault.FaultReport.formatAddress;

import com.oracle.truffle.api.Assumption;
import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.memory.ByteArraySupport;
import com.oracle.truffle.api.nodes.Node;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.kplugins.monitor.fault.Access;
import org.kplugins.monitor.fault.FaultKind;
import org.kplugins.monitor.fault.PluginFault;

/**
 * The memory of one plugin instance: a 32-bit address space with a segment limit and a page
 * table of 4 KiB pages.
 *
 * <p>Addresses are Java ints read as unsigned. Every access must end at or below the segment
 * limit, or it raises {@link FaultKind#GENERAL_PROTECTION}. Every page it touches must be
 * {@link PageFlags#PRESENT} ({@link FaultKind#PAGE_NOT_PRESENT} otherwise), and plugin writes also
 * need {@link PageFlags#WRITABLE} ({@link FaultKind#PAGE_NOT_WRITABLE} otherwise). Page 0 is never
 * present, so a null pointer access faults.
 *
 * <p>The backing store is a Java byte array, or native memory for the x86 tier (see
 * {@link #withNativeMemory}). The array covers only {@code [0, end of the highest page mapped)}
 * and grows by doubling, capped at the limit and at {@link #limitDoubling}, and {@link #trim}
 * shrinks it back. Invariant: every present page lies inside the backing store, so an access that
 * passes the page check never goes out of its bounds.
 *
 * <p>A natively backed address space also keeps a copy of the page table in native memory, one
 * {@link PageFlags} byte per page, which machine code reads to check its accesses. Every change
 * of the page table updates the copy before the method that made it returns. The copy covers the
 * whole 32-bit address space and one page more, {@link #NATIVE_PAGE_TABLE_ENTRIES} entries, and
 * the pages at or above the segment limit are never present in it. Machine code therefore checks
 * an access with the page table alone, and an access that ends past 2^32 reads the extra entry.
 *
 * <p>Two {@link AccessWindows} tables, one for reads and one for writes, list address ranges in
 * which every page allows the access. The load and store methods that take a window index check
 * only that window's bounds, and fall back to the full check when the access lies outside it.
 * Callers such as Truffle nodes keep the index of the window their accesses usually hit.
 *
 * <p>Not thread-safe: one plugin instance runs on one thread at a time, and callers that share an
 * instance across threads must synchronize.
 */
public final class AddressSpace {

    public static final int PAGE_SIZE = 4096;
    public static final int PAGE_SHIFT = 12;

    /**
     * Largest segment limit in bytes: 2 GiB - 4 KiB, the largest page multiple that a Java byte
     * array can hold. It also keeps every valid address non-negative as an int.
     */
    public static final int MAX_SEGMENT_LIMIT = 0x7FFF_F000;

    private static final int PAGE_OFFSET_MASK = PAGE_SIZE - 1;
    private static final int READ_FLAGS = PageFlags.PRESENT;
    private static final int WRITE_FLAGS = PageFlags.PRESENT | PageFlags.WRITABLE;
    private static final ByteArraySupport LITTLE_ENDIAN = ByteArraySupport.littleEndian();
    private static final ValueLayout.OfShort NATIVE_I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt NATIVE_I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong NATIVE_I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Valid while no natively backed address space exists in this JVM. The load and store methods
     * test it before they test {@link #nativeMemory}, so code that Graal compiles for the Truffle
     * tier keeps a single path to the byte array until the native tier first runs.
     */
    private static final Assumption ONLY_ARRAY_BACKED = Assumption.create("no natively backed address space");

    private final String pluginName;
    /** Size of the address space in bytes, a multiple of {@link #PAGE_SIZE}. */
    private final int segmentLimit;
    /** Page table: {@link PageFlags} bits, indexed by page number, one entry per page below the limit. */
    private final byte[] pageFlags;
    /** Backing store for addresses {@code [0, memory.length)}. {@link #map} replaces it when it grows. */
    private byte[] memory = new byte[0];
    /**
     * Native backing store for addresses {@code [0, segmentLimit)}, or null when the byte array
     * backs the address space. Address 0 of the plugin is byte 0 of the segment.
     */
    private final MemorySegment nativeMemory;
    /** Native copy of {@link #pageFlags} for machine code, or null when the byte array backs the address space. */
    private final MemorySegment nativePageTable;
    /**
     * End of the highest page mapped since the address space was created or last trimmed, for
     * {@link #residentBytes} of a natively backed address space.
     */
    private long nativeExtent;
    /** Gives the pages of a native range back to the operating system, or null when {@link #trim} cannot. */
    private final Consumer<MemorySegment> nativePageReleaser;
    /**
     * Address up to which the backing array grows by doubling. A mapping that ends above it grows
     * the array to its exact end, so that large mappings there take only their own size.
     */
    private long doublingLimit;
    /** Ranges that plugin reads may access without the page-table check: present pages. */
    private final AccessWindows readWindows = new AccessWindows(READ_FLAGS);
    /** Ranges that plugin writes may access without the page-table check: present and writable pages. */
    private final AccessWindows writeWindows = new AccessWindows(WRITE_FLAGS);

    /**
     * Creates an address space with no pages mapped.
     *
     * @param pluginName   name of the plugin instance, shown in fault reports
     * @param segmentLimit size of the address space in bytes: a positive multiple of
     *                     {@link #PAGE_SIZE}, at most {@link #MAX_SEGMENT_LIMIT}
     */
    public AddressSpace(String pluginName, int segmentLimit) {
        this(pluginName, segmentLimit, null, null, null);
    }

    private AddressSpace(String pluginName, int segmentLimit, MemorySegment nativeMemory, MemorySegment nativePageTable,
                    Consumer<MemorySegment> nativePageReleaser) {
        this.pluginName = Objects.requireNonNull(pluginName, "pluginName");
        if (segmentLimit <= 0 || segmentLimit > MAX_SEGMENT_LIMIT || (segmentLimit & PAGE_OFFSET_MASK) != 0) {
            throw new IllegalArgumentException("invalid segment limit " + formatAddress(segmentLimit)
                            + ": expected a positive multiple of " + PAGE_SIZE + " bytes, at most "
                            + formatAddress(MAX_SEGMENT_LIMIT));
        }
        this.segmentLimit = segmentLimit;
        this.pageFlags = new byte[segmentLimit >>> PAGE_SHIFT];
        this.nativeMemory = nativeMemory;
        this.nativePageTable = nativePageTable;
        this.nativePageReleaser = nativePageReleaser;
        this.doublingLimit = segmentLimit;
    }

    /**
     * Creates an address space with no pages mapped whose contents live in {@code memory}, native
     * memory that machine code can address: plugin address {@code a} is byte {@code a} of the
     * segment. The caller keeps the segment alive as long as the address space, and must not
     * write to it other than through this object. Pages that become present are zero-filled here,
     * so the segment's initial contents do not matter.
     *
     * @param memory a native segment of at least {@code segmentLimit} bytes
     * @throws IllegalArgumentException if the segment is on the Java heap or smaller than the limit
     */
    public static AddressSpace withNativeMemory(String pluginName, int segmentLimit, MemorySegment memory) {
        return withNativeMemory(pluginName, segmentLimit, memory, Arena.ofAuto().allocate(NATIVE_PAGE_TABLE_ENTRIES));
    }

    /**
     * Creates an address space like {@link #withNativeMemory(String, int, MemorySegment)}, whose
     * native page table lives in {@code pageTable}. A table in memory reserved without committing
     * it costs a page of memory per 4096 page-table entries written, not the whole 1 MiB.
     *
     * @param pageTable native memory of at least {@link #NATIVE_PAGE_TABLE_ENTRIES} bytes, all of
     *                  them zero, which the address space owns from now on
     * @throws IllegalArgumentException if a segment is on the Java heap or too small
     */
    public static AddressSpace withNativeMemory(String pluginName, int segmentLimit, MemorySegment memory,
                    MemorySegment pageTable) {
        return withNativeMemory(pluginName, segmentLimit, memory, pageTable, null);
    }

    /**
     * Creates an address space like {@link #withNativeMemory(String, int, MemorySegment, MemorySegment)}
     * that {@link #trim} can shrink: {@code pageReleaser} gives the pages of a slice of
     * {@code memory} back to the operating system, after which they read as zero.
     */
    public static AddressSpace withNativeMemory(String pluginName, int segmentLimit, MemorySegment memory,
                    MemorySegment pageTable, Consumer<MemorySegment> pageReleaser) {
        if (!memory.isNative() || memory.byteSize() < Integer.toUnsignedLong(segmentLimit)) {
            throw new IllegalArgumentException("invalid native memory of " + memory.byteSize() + " bytes for segment limit "
                            + formatAddress(segmentLimit) + ": expected a native segment at least as large as the limit");
        }
        if (!pageTable.isNative() || pageTable.byteSize() < NATIVE_PAGE_TABLE_ENTRIES) {
            throw new IllegalArgumentException("invalid native page table of " + pageTable.byteSize() + " bytes: expected a"
                            + " native segment of at least " + NATIVE_PAGE_TABLE_ENTRIES + " zero bytes");
        }
        ONLY_ARRAY_BACKED.invalidate();
        return new AddressSpace(pluginName, segmentLimit, memory, pageTable, pageReleaser);
    }

    /** Returns the native backing store, byte {@code a} for plugin address {@code a}, or null for an array-backed address space. */
    public MemorySegment nativeMemory() {
        return nativeMemory;
    }

    /**
     * Returns the native copy of the page table, one {@link PageFlags} byte per page indexed by
     * page number for all {@link #NATIVE_PAGE_TABLE_ENTRIES} pages, or null for an array-backed
     * address space. Callers must only read it.
     */
    public MemorySegment nativePageTable() {
        return nativePageTable;
    }

    /** Returns whether {@link #nativeMemory} backs this address space, which folds to false in Truffle-tier code that Graal compiles. */
    private boolean isNativeBacked() {
        return !ONLY_ARRAY_BACKED.isValid() && nativeMemory != null;
    }

    public String pluginName() {
        return pluginName;
    }

    /** Returns the size of the address space in bytes. */
    public int segmentLimit() {
        return segmentLimit;
    }

    /** Returns the size of the backing store in bytes: the memory this instance holds for data. */
    public long residentBytes() {
        return nativeMemory != null ? nativeExtent : memory.length;
    }

    /**
     * Makes the backing array grow by doubling only up to {@code address}: a mapping that ends
     * above it grows the array to the mapping's exact end. A plugin instance sets it to the start
     * of the region where a call's host buffers are mapped, so that the buffers take only their
     * own size.
     */
    public void limitDoubling(int address) {
        doublingLimit = Integer.toUnsignedLong(address);
    }

    /**
     * Shrinks the backing store to the end of the highest present page, so that the memory of
     * mappings that are gone is freed. A native backing store gives those pages back only if it
     * was created with a page releaser, and is left as it is otherwise.
     *
     * @return the bytes freed
     */
    public long trim() {
        long extent = residentBytes();
        int page = (int) (Math.min(extent, segmentLimit) >>> PAGE_SHIFT) - 1;
        while (page >= 0 && (pageFlags[page] & PageFlags.PRESENT) == 0) {
            page--;
        }
        long end = (long) (page + 1) << PAGE_SHIFT;
        if (end >= extent) {
            return 0;
        }
        if (nativeMemory != null) {
            if (nativePageReleaser == null) {
                return 0;
            }
            nativePageReleaser.accept(nativeMemory.asSlice(end, extent - end));
            nativeExtent = end;
        } else {
            memory = Arrays.copyOf(memory, (int) end);
        }
        return extent - end;
    }

    // ---- Page table ----

    /**
     * Maps the pages of {@code [address, address + size)} with {@code flags} plus
     * {@link PageFlags#PRESENT}. Pages that were not present are zero-filled, and pages that were
     * present keep their contents and get the new flags. Grows the backing store as needed.
     *
     * @param address page-aligned start address, not in page 0
     * @param size    positive size in bytes, rounded up to whole pages
     * @throws IllegalArgumentException if the range is unaligned, empty, includes page 0 or
     *                                  exceeds the segment limit, or if flags has unknown bits
     */
    public void map(int address, int size, int flags) {
        long end = checkPageRange("map", address, size);
        checkFlags(flags);
        if (address == 0) {
            throw new IllegalArgumentException("cannot map " + size + " bytes at 0x00000000: page 0"
                            + " is never present so that null pointer accesses fault");
        }

        ensureCapacity(end);
        byte entry = (byte) (flags | PageFlags.PRESENT);
        int firstPage = address >>> PAGE_SHIFT;
        int endPage = (int) (end >>> PAGE_SHIFT);
        for (int page = firstPage; page < endPage; page++) {
            if ((pageFlags[page] & PageFlags.PRESENT) == 0) {
                fillBacking(page << PAGE_SHIFT, PAGE_SIZE, (byte) 0);
            }
            pageFlags[page] = entry;
        }
        updateWindows(firstPage, endPage);
    }

    /**
     * Maps the pages of {@code [address, address + size)} with {@code flags} plus
     * {@link PageFlags#PRESENT}, and sets their contents in the same pass: the {@code length}
     * bytes of {@code src} from {@code srcOffset}, then zeros up to the end of the last page.
     * Pages that were already present are overwritten too. Unlike {@link #map} followed by
     * {@link #hostWrite}, this writes each byte once, so the host can map read-only data without
     * a zero-fill pass and a {@link #protect} afterwards.
     *
     * @param address page-aligned start address, not in page 0
     * @param size    positive size in bytes, at least {@code length}, rounded up to whole pages
     * @throws IllegalArgumentException  if the range is unaligned, empty, includes page 0 or
     *                                   exceeds the segment limit, if flags has unknown bits, or
     *                                   if {@code length} exceeds {@code size}
     * @throws IndexOutOfBoundsException if {@code [srcOffset, srcOffset + length)} is outside src
     */
    public void mapWithData(int address, int size, int flags, byte[] src, int srcOffset, int length) {
        long end = checkMapWithData(address, size, flags, length);
        Objects.checkFromIndexSize(srcOffset, length, src.length);

        ensureCapacity(end);
        copyIntoBacking(src, srcOffset, address, length);
        finishMapWithData(address, end, flags, length);
    }

    /**
     * Maps like {@link #mapWithData(int, int, int, byte[], int, int)}, with the contents taken from
     * {@code src} between index 0 and its limit. The buffer's position is not used or changed. A
     * read-only or direct buffer is copied straight into plugin memory, without a temporary array.
     */
    public void mapWithData(int address, int size, int flags, ByteBuffer src) {
        int length = src.limit();
        long end = checkMapWithData(address, size, flags, length);

        ensureCapacity(end);
        if (nativeMemory != null) {
            MemorySegment.copy(MemorySegment.ofBuffer(src.duplicate().clear()), 0, nativeMemory, address, length);
        } else {
            src.get(0, memory, address, length);
        }
        finishMapWithData(address, end, flags, length);
    }

    private long checkMapWithData(int address, int size, int flags, int length) {
        long end = checkPageRange("map", address, size);
        checkFlags(flags);
        if (address == 0) {
            throw new IllegalArgumentException("cannot map " + size + " bytes at 0x00000000: page 0"
                            + " is never present so that null pointer accesses fault");
        }
        if (length < 0 || length > size) {
            throw new IllegalArgumentException("cannot map " + size + " bytes at " + formatAddress(address)
                            + " with " + length + " bytes of data: expected 0 to " + size + " bytes");
        }
        return end;
    }

    /** Zeroes the rest of the last page after the data and sets the page flags. */
    private void finishMapWithData(int address, long end, int flags, int length) {
        fillBacking(address + length, (int) end - (address + length), (byte) 0);
        int firstPage = address >>> PAGE_SHIFT;
        int endPage = (int) (end >>> PAGE_SHIFT);
        Arrays.fill(pageFlags, firstPage, endPage, (byte) (flags | PageFlags.PRESENT));
        updateWindows(firstPage, endPage);
    }

    /**
     * Unmaps the pages of {@code [address, address + size)}. Pages that are not present are
     * skipped. The backing store does not shrink.
     *
     * @throws IllegalArgumentException if the range is unaligned, empty or exceeds the segment limit
     */
    public void unmap(int address, int size) {
        long end = checkPageRange("unmap", address, size);
        int firstPage = address >>> PAGE_SHIFT;
        int endPage = (int) (end >>> PAGE_SHIFT);
        Arrays.fill(pageFlags, firstPage, endPage, (byte) 0);
        updateWindows(firstPage, endPage);
    }

    /**
     * Unmaps every page and drops the backing store, so the memory is freed once the instance is
     * no longer referenced elsewhere. Every later access faults with PAGE_NOT_PRESENT.
     */
    public void release() {
        Arrays.fill(pageFlags, (byte) 0);
        updateWindows(0, pageFlags.length);
        // NOTE: native memory stays reserved until its owner frees it, but none of its pages is present any more.
        memory = new byte[0];
    }

    /**
     * Sets the flags of the present pages of {@code [address, address + size)} to {@code flags}
     * plus {@link PageFlags#PRESENT}. Use {@link #unmap} to remove pages.
     *
     * @throws IllegalArgumentException if the range is unaligned, empty or exceeds the segment
     *                                  limit, if a page in it is not present, or if flags has
     *                                  unknown bits
     */
    public void protect(int address, int size, int flags) {
        long end = checkPageRange("protect", address, size);
        checkFlags(flags);
        int firstPage = address >>> PAGE_SHIFT;
        int endPage = (int) (end >>> PAGE_SHIFT);
        for (int page = firstPage; page < endPage; page++) {
            if ((pageFlags[page] & PageFlags.PRESENT) == 0) {
                throw new IllegalArgumentException("cannot protect " + size + " bytes at "
                                + formatAddress(address) + ": page " + formatAddress(page << PAGE_SHIFT)
                                + " is not present");
            }
        }
        Arrays.fill(pageFlags, firstPage, endPage, (byte) (flags | PageFlags.PRESENT));
        updateWindows(firstPage, endPage);
    }

    /** Brings both window tables up to date after the flags of pages {@code [firstPage, endPage)} changed. */
    private void updateWindows(int firstPage, int endPage) {
        readWindows.update(pageFlags, firstPage, endPage);
        writeWindows.update(pageFlags, firstPage, endPage);
        if (nativePageTable != null) {
            MemorySegment.copy(pageFlags, firstPage, nativePageTable, ValueLayout.JAVA_BYTE, firstPage, endPage - firstPage);
        }
    }

    AccessWindows readWindows() {
        return readWindows;
    }

    AccessWindows writeWindows() {
        return writeWindows;
    }

    /** Returns the {@link PageFlags} of the page that contains {@code address}, 0 beyond the limit. */
    public int flagsOf(int address) {
        if (Integer.compareUnsigned(address, segmentLimit) >= 0) {
            return 0;
        }
        return pageFlags[address >>> PAGE_SHIFT];
    }

    /** Validates a page range for map, unmap and protect, and returns its end rounded up to pages. */
    private long checkPageRange(String operation, int address, int size) {
        if ((address & PAGE_OFFSET_MASK) != 0 || size <= 0) {
            throw new IllegalArgumentException("cannot " + operation + " " + size + " bytes at "
                            + formatAddress(address) + ": expected a page-aligned address and a positive size");
        }
        long end = Integer.toUnsignedLong(address) + ((size + (long) PAGE_OFFSET_MASK) & ~PAGE_OFFSET_MASK);
        if (end > segmentLimit) {
            throw new IllegalArgumentException("cannot " + operation + " " + size + " bytes at "
                            + formatAddress(address) + ": range exceeds segment limit "
                            + formatAddress(segmentLimit));
        }
        return end;
    }

    private static void checkFlags(int flags) {
        if ((flags & ~PageFlags.ALL) != 0) {
            throw new IllegalArgumentException("invalid page flags 0x" + Integer.toHexString(flags)
                            + ": only PRESENT, WRITABLE and EXECUTABLE are defined");
        }
    }

    /**
     * Grows the backing store to at least {@code end} bytes: by doubling up to the doubling limit
     * and the segment limit, or to exactly {@code end} above the doubling limit.
     */
    private void ensureCapacity(long end) {
        if (nativeMemory != null) {
            nativeExtent = Math.max(nativeExtent, end);
            return;
        }
        if (end <= memory.length) {
            return;
        }
        long grown = end;
        if (end <= doublingLimit) {
            grown = Math.max(end, Math.min(2L * memory.length, Math.min(doublingLimit, segmentLimit)));
        }
        memory = Arrays.copyOf(memory, (int) grown);
    }

    // ---- Access windows ----

    /** Entries of {@link #nativePageTable}: the pages of the 32-bit address space, and one past its end. */
    public static final int NATIVE_PAGE_TABLE_ENTRIES = (1 << (32 - PAGE_SHIFT)) + 1;

    /** Window index that names no window: accesses that pass it always take the full check. */
    public static final int NO_WINDOW = -1;

    /**
     * Returns whether a read of {@code size} bytes at {@code address} lies inside read window
     * {@code window}, so that the load methods need no page-table check for it. Returns false
     * for a negative index and for a window that has since been dropped.
     *
     * @param window an index from {@link #findReadWindow}, or a negative value
     */
    public boolean isInReadWindow(int window, int address, int size) {
        return readWindows.contains(window, address, size);
    }

    /** Returns whether a write lies inside write window {@code window}; see {@link #isInReadWindow}. */
    public boolean isInWriteWindow(int window, int address, int size) {
        return writeWindows.contains(window, address, size);
    }

    /**
     * Returns the index of the read window that contains a read of {@code size} bytes at
     * {@code address}, or {@link #NO_WINDOW}. An index stays valid for this address space
     * only; the same index in another address space may name another range or none.
     */
    public int findReadWindow(int address, int size) {
        return readWindows.find(address, size);
    }

    /** Returns the index of the write window that contains the write, or {@link #NO_WINDOW}. */
    public int findWriteWindow(int address, int size) {
        return writeWindows.find(address, size);
    }

    // ---- Plugin accesses: little-endian, unaligned allowed ----

    /*
     * Each load and store takes a window index. An access inside that window skips the full
     * check, and any other access, including every access with NO_WINDOW, takes it.
     */

    /**
     * Checks a read for a load that names {@code window}. With {@link #NO_WINDOW} it takes the
     * full check. Callers are expected to check the access against the window they pass, so that
     * this compare fails only for a caller that did not, which then deoptimizes and gets the full
     * check. Because its branch deoptimizes, Graal merges it with the caller's compare.
     */
    private void checkRead(Node location, int window, int address, int size) {
        if (window == NO_WINDOW) {
            checkRead(location, address, size);
        } else if (!readWindows.contains(window, address, size)) {
            CompilerDirectives.transferToInterpreter();
            checkRead(location, address, size);
        }
    }

    /** Checks a write for a store that names {@code window}; see {@link #checkRead(Node, int, int, int)}. */
    private void checkWrite(Node location, int window, int address, int size) {
        if (window == NO_WINDOW) {
            checkWrite(location, address, size);
        } else if (!writeWindows.contains(window, address, size)) {
            CompilerDirectives.transferToInterpreter();
            checkWrite(location, address, size);
        }
    }

    /** Returns whether {@link #rawAccessArray} backs the address space; false when native memory does. */
    public boolean isArrayBacked() {
        return !isNativeBacked();
    }

    /**
     * Returns the array that backs the address space when {@link #isArrayBacked}, for
     * {@link RawBytes} accesses that a window check has allowed. It is never null.
     */
    public byte[] rawAccessArray() {
        return memory;
    }

    public byte loadI8(Node location, int address) {
        return loadI8(location, NO_WINDOW, address);
    }

    public byte loadI8(Node location, int window, int address) {
        checkRead(location, window, address, Byte.BYTES);
        if (isNativeBacked()) {
            return nativeMemory.get(ValueLayout.JAVA_BYTE, address);
        }
        return memory[address];
    }

    public short loadI16(Node location, int address) {
        return loadI16(location, NO_WINDOW, address);
    }

    public short loadI16(Node location, int window, int address) {
        checkRead(location, window, address, Short.BYTES);
        if (isNativeBacked()) {
            return nativeMemory.get(NATIVE_I16, address);
        }
        return LITTLE_ENDIAN.getShort(memory, address);
    }

    public int loadI32(Node location, int address) {
        return loadI32(location, NO_WINDOW, address);
    }

    public int loadI32(Node location, int window, int address) {
        checkRead(location, window, address, Integer.BYTES);
        if (isNativeBacked()) {
            return nativeMemory.get(NATIVE_I32, address);
        }
        return LITTLE_ENDIAN.getInt(memory, address);
    }

    public long loadI64(Node location, int address) {
        return loadI64(location, NO_WINDOW, address);
    }

    public long loadI64(Node location, int window, int address) {
        checkRead(location, window, address, Long.BYTES);
        if (isNativeBacked()) {
            return nativeMemory.get(NATIVE_I64, address);
        }
        return LITTLE_ENDIAN.getLong(memory, address);
    }

    public void storeI8(Node location, int address, byte value) {
        storeI8(location, NO_WINDOW, address, value);
    }

    public void storeI8(Node location, int window, int address, byte value) {
        checkWrite(location, window, address, Byte.BYTES);
        if (isNativeBacked()) {
            nativeMemory.set(ValueLayout.JAVA_BYTE, address, value);
            return;
        }
        memory[address] = value;
    }

    public void storeI16(Node location, int address, short value) {
        storeI16(location, NO_WINDOW, address, value);
    }

    public void storeI16(Node location, int window, int address, short value) {
        checkWrite(location, window, address, Short.BYTES);
        if (isNativeBacked()) {
            nativeMemory.set(NATIVE_I16, address, value);
            return;
        }
        LITTLE_ENDIAN.putShort(memory, address, value);
    }

    public void storeI32(Node location, int address, int value) {
        storeI32(location, NO_WINDOW, address, value);
    }

    public void storeI32(Node location, int window, int address, int value) {
        checkWrite(location, window, address, Integer.BYTES);
        if (isNativeBacked()) {
            nativeMemory.set(NATIVE_I32, address, value);
            return;
        }
        LITTLE_ENDIAN.putInt(memory, address, value);
    }

    public void storeI64(Node location, int address, long value) {
        storeI64(location, NO_WINDOW, address, value);
    }

    public void storeI64(Node location, int window, int address, long value) {
        checkWrite(location, window, address, Long.BYTES);
        if (isNativeBacked()) {
            nativeMemory.set(NATIVE_I64, address, value);
            return;
        }
        LITTLE_ENDIAN.putLong(memory, address, value);
    }

    /*
     * The access checks. segmentLimit >= PAGE_SIZE > size, so segmentLimit - size cannot
     * underflow, and an address that passes the unsigned compare is below the limit, so
     * address + size - 1 cannot overflow and both page numbers index the page table. An access
     * that stays in one page loads the same entry twice, which the compiler folds.
     *
     * The failing branch raises the fault from compiled code without deoptimizing. A deoptimization
     * there is taken again on every later fault, and Graal stops compiling a function whose
     * deoptimization keeps being taken: in one measurement after 8 faults, which left the plugin
     * about 100 times slower.
     */

    /**
     * Checks a plugin read of {@code size} bytes at {@code address} against the segment limit
     * and the page table, as every load does.
     *
     * @param size access size in bytes, 1 to 8
     * @throws PluginFault the fault that the load would raise
     */
    public void checkRead(Node location, int address, int size) {
        byte[] flags = pageFlags;
        if (Integer.compareUnsigned(address, segmentLimit - size) > 0
                        || (flags[address >>> PAGE_SHIFT] & flags[(address + size - 1) >>> PAGE_SHIFT] & READ_FLAGS) != READ_FLAGS) {
            throw accessFault(location, address, size, Access.READ);
        }
    }

    /**
     * Checks a plugin write of {@code size} bytes at {@code address} against the segment limit
     * and the page table, as every store does.
     *
     * @param size access size in bytes, 1 to 8
     * @throws PluginFault the fault that the store would raise
     */
    public void checkWrite(Node location, int address, int size) {
        byte[] flags = pageFlags;
        if (Integer.compareUnsigned(address, segmentLimit - size) > 0
                        || (flags[address >>> PAGE_SHIFT] & flags[(address + size - 1) >>> PAGE_SHIFT] & WRITE_FLAGS) != WRITE_FLAGS) {
            throw accessFault(location, address, size, Access.WRITE);
        }
    }

    /**
     * Builds the fault for a single access that failed its check. The report names the first
     * byte of the access, also when the access spans two pages and only the second page is at
     * fault.
     */
    @TruffleBoundary
    private PluginFault accessFault(Node location, int address, int size, Access access) {
        String detail = describeAccess(size, access, address);
        if (Integer.compareUnsigned(address, segmentLimit - size) > 0) {
            return PluginFault.raise(FaultKind.GENERAL_PROTECTION, detail + beyondLimit(), Integer.toUnsignedLong(address),
                            access, size, location, pluginName);
        }
        int combined = pageFlags[address >>> PAGE_SHIFT] & pageFlags[(address + size - 1) >>> PAGE_SHIFT];
        FaultKind kind = (combined & PageFlags.PRESENT) == 0 ? FaultKind.PAGE_NOT_PRESENT : FaultKind.PAGE_NOT_WRITABLE;
        return PluginFault.raise(kind, detail, Integer.toUnsignedLong(address), access, size, location, pluginName);
    }

    private static String describeAccess(int size, Access access, int address) {
        String verb = access == Access.WRITE ? "write" : "read";
        return size + "-byte " + verb + " at " + formatAddress(address);
    }

    private String beyondLimit() {
        return " beyond segment limit " + formatAddress(segmentLimit);
    }

    // ---- Checked bulk operations ----

    /**
     * Copies {@code size} bytes from {@code src} to {@code dst} with {@code memmove} semantics:
     * overlapping ranges copy as if through a temporary buffer. The whole source range is
     * checked for reading, then the whole destination range for writing, before any byte is
     * copied, so a fault leaves memory unchanged. A fault reports the first faulting byte as a
     * 1-byte access.
     *
     * @param size byte count, read as unsigned
     */
    @TruffleBoundary
    public void copy(Node location, int dst, int src, int size) {
        String operation = "copy of " + Integer.toUnsignedString(size) + " bytes from " + formatAddress(src)
                        + " to " + formatAddress(dst);
        checkRange(location, src, size, READ_FLAGS, Access.READ, operation);
        checkRange(location, dst, size, WRITE_FLAGS, Access.WRITE, operation);
        if (nativeMemory != null) {
            MemorySegment.copy(nativeMemory, src, nativeMemory, dst, size);
        } else {
            System.arraycopy(memory, src, memory, dst, size);
        }
    }

    /**
     * Checks a plugin read of {@code length} bytes at {@code address} as {@link #readBytes} does,
     * without copying.
     */
    @TruffleBoundary
    public void checkReadRange(Node location, int address, int length) {
        checkRange(location, address, length, READ_FLAGS, Access.READ,
                        "host read of " + length + " bytes at " + formatAddress(address));
    }

    /**
     * Copies {@code length} bytes of plugin memory at {@code address} into {@code dst}, checked as
     * a plugin read: a host function reading through a pointer the plugin passed faults where the
     * plugin's own read would. The whole range is checked before any byte is copied.
     *
     * @throws IndexOutOfBoundsException if {@code [dstOffset, dstOffset + length)} is outside dst
     */
    @TruffleBoundary
    public void readBytes(Node location, int address, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        checkRange(location, address, length, READ_FLAGS, Access.READ,
                        "host read of " + length + " bytes at " + formatAddress(address));
        copyFromBacking(address, dst, dstOffset, length);
    }

    /**
     * Copies {@code length} bytes of {@code src} into plugin memory at {@code address}, checked as
     * a plugin write, so read-only pages fault. The whole range is checked before any byte is
     * written.
     *
     * @throws IndexOutOfBoundsException if {@code [srcOffset, srcOffset + length)} is outside src
     */
    @TruffleBoundary
    public void writeBytes(Node location, int address, byte[] src, int srcOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        checkRange(location, address, length, WRITE_FLAGS, Access.WRITE,
                        "host write of " + length + " bytes at " + formatAddress(address));
        copyIntoBacking(src, srcOffset, address, length);
    }

    /**
     * Sets {@code size} bytes at {@code dst} to {@code value}. The whole range is checked before
     * any byte is written. A fault reports the first faulting byte as a 1-byte write.
     *
     * @param size byte count, read as unsigned
     */
    @TruffleBoundary
    public void fill(Node location, int dst, byte value, int size) {
        String operation = "fill of " + Integer.toUnsignedString(size) + " bytes at " + formatAddress(dst);
        checkRange(location, dst, size, WRITE_FLAGS, Access.WRITE, operation);
        fillBacking(dst, size, value);
    }

    /**
     * Reads the NUL-terminated string at {@code address}, mapping each byte to the char of the
     * same value (ISO 8859-1). Reading stops before the NUL or after {@code maxLength} bytes.
     * Only the bytes read are checked, so a fault names the first unreadable byte before the NUL.
     *
     * @throws IllegalArgumentException if maxLength is negative
     */
    @TruffleBoundary
    public String readCString(Node location, int address, int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("invalid maxLength " + maxLength + ": must not be negative");
        }
        int length = 0;
        while (length < maxLength) {
            // Each pass ends at most at the end of a page below the limit, so position cannot wrap.
            int position = address + length;
            if (Integer.compareUnsigned(position, segmentLimit) >= 0 || (pageFlags[position >>> PAGE_SHIFT] & READ_FLAGS) == 0) {
                throw rangeFault(location, position, Access.READ, "C string at " + formatAddress(address));
            }
            int pageEnd = (position | PAGE_OFFSET_MASK) + 1;
            int chunk = Math.min(pageEnd - position, maxLength - length);
            for (int i = 0; i < chunk; i++) {
                if (byteAt(position + i) == 0) {
                    return latin1String(address, length + i);
                }
            }
            length += chunk;
        }
        return latin1String(address, length);
    }

    /**
     * Checks that every page of {@code [address, address + size)} has {@code required} flags and
     * that the range ends at or below the limit. Throws the fault for the lowest failing byte.
     */
    private void checkRange(Node location, int address, int size, int required, Access access, String operation) {
        long start = Integer.toUnsignedLong(address);
        long end = start + Integer.toUnsignedLong(size);
        long endBelowLimit = Math.min(end, segmentLimit);
        for (long page = start & ~PAGE_OFFSET_MASK; page < endBelowLimit; page += PAGE_SIZE) {
            if ((pageFlags[(int) (page >>> PAGE_SHIFT)] & required) != required) {
                throw rangeFault(location, (int) Math.max(page, start), access, operation);
            }
        }
        if (end > segmentLimit) {
            throw rangeFault(location, (int) Math.max(start, segmentLimit), access, operation);
        }
    }

    /** Builds the fault for byte {@code address} of a bulk operation, named in the detail. */
    private PluginFault rangeFault(Node location, int address, Access access, String operation) {
        String detail = describeAccess(1, access, address);
        FaultKind kind;
        if (Integer.compareUnsigned(address, segmentLimit) >= 0) {
            kind = FaultKind.GENERAL_PROTECTION;
            detail += beyondLimit();
        } else if ((pageFlags[address >>> PAGE_SHIFT] & PageFlags.PRESENT) == 0) {
            kind = FaultKind.PAGE_NOT_PRESENT;
        } else {
            kind = FaultKind.PAGE_NOT_WRITABLE;
        }
        detail += " (" + operation + ")";
        return PluginFault.raise(kind, detail, Integer.toUnsignedLong(address), access, 1, location, pluginName);
    }

    // ---- Host accesses ----

    /**
     * Copies {@code length} bytes from {@code src} into the plugin memory at {@code address},
     * ignoring {@link PageFlags#WRITABLE} so the host can fill read-only pages. Every page must
     * still be present and the range must end at or below the limit.
     *
     * @throws IllegalArgumentException  if the plugin range is invalid, which is a host bug
     * @throws IndexOutOfBoundsException if {@code [srcOffset, srcOffset + length)} is outside src
     */
    public void hostWrite(int address, byte[] src, int srcOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        checkHostRange("hostWrite", address, length);
        copyIntoBacking(src, srcOffset, address, length);
    }

    /**
     * Copies {@code length} bytes of plugin memory at {@code address} into {@code dst}. Every page
     * must be present and the range must end at or below the limit.
     *
     * @throws IllegalArgumentException  if the plugin range is invalid, which is a host bug
     * @throws IndexOutOfBoundsException if {@code [dstOffset, dstOffset + length)} is outside dst
     */
    public void hostRead(int address, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        checkHostRange("hostRead", address, length);
        copyFromBacking(address, dst, dstOffset, length);
    }

    /**
     * Copies {@code length} bytes at {@code address} into {@code dst} from index 0, ignoring and
     * keeping the buffer's position, with the checks of {@link #hostRead(int, byte[], int, int)}.
     *
     * @throws IndexOutOfBoundsException if {@code length} exceeds the buffer's limit
     */
    public void hostRead(int address, ByteBuffer dst, int length) {
        Objects.checkFromIndexSize(0, length, dst.limit());
        checkHostRange("hostRead", address, length);
        if (nativeMemory != null) {
            MemorySegment.copy(nativeMemory, address, MemorySegment.ofBuffer(dst.duplicate().clear()), 0, length);
        } else {
            dst.put(0, memory, address, length);
        }
    }

    private void checkHostRange(String operation, int address, int length) {
        long start = Integer.toUnsignedLong(address);
        long end = start + length;
        if (end > segmentLimit) {
            throw new IllegalArgumentException(operation + " of " + length + " bytes at " + formatAddress(address)
                            + ": range exceeds segment limit " + formatAddress(segmentLimit));
        }
        for (long page = start & ~PAGE_OFFSET_MASK; page < end; page += PAGE_SIZE) {
            if ((pageFlags[(int) (page >>> PAGE_SHIFT)] & PageFlags.PRESENT) == 0) {
                throw new IllegalArgumentException(operation + " of " + length + " bytes at " + formatAddress(address)
                                + ": page " + formatAddress(page) + " is not present");
            }
        }
    }

    // ---- Backing store ----

    /*
     * The bulk paths below serve both backing stores. Their callers have checked the range
     * against the page table, so every byte they touch lies in a present page.
     */

    private byte byteAt(int address) {
        return nativeMemory != null ? nativeMemory.get(ValueLayout.JAVA_BYTE, address) : memory[address];
    }

    private void copyIntoBacking(byte[] src, int srcOffset, int address, int length) {
        if (nativeMemory != null) {
            MemorySegment.copy(src, srcOffset, nativeMemory, ValueLayout.JAVA_BYTE, address, length);
        } else {
            System.arraycopy(src, srcOffset, memory, address, length);
        }
    }

    private void copyFromBacking(int address, byte[] dst, int dstOffset, int length) {
        if (nativeMemory != null) {
            MemorySegment.copy(nativeMemory, ValueLayout.JAVA_BYTE, address, dst, dstOffset, length);
        } else {
            System.arraycopy(memory, address, dst, dstOffset, length);
        }
    }

    private void fillBacking(int address, int length, byte value) {
        if (nativeMemory != null) {
            nativeMemory.asSlice(address, length).fill(value);
        } else {
            Arrays.fill(memory, address, address + length, value);
        }
    }

    private String latin1String(int address, int length) {
        if (nativeMemory != null) {
            byte[] bytes = new byte[length];
            copyFromBacking(address, bytes, 0, length);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        return new String(memory, address, length, StandardCharsets.ISO_8859_1);
    }
}
