// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.PageFlags;

/**
 * The memory management unit of one emulated CPU: the segment registers' descriptors and a page
 * table over the 64-bit linear address space.
 *
 * <p>Segments: CS is execute-only and GS, when set, is the plugin's data segment; the emulator
 * checks both limits. DS, ES and SS are flat, as in 64-bit mode, and FS is a null selector.
 *
 * <p>The linear address space maps host memory one to one: a region's linear addresses are the
 * native addresses of the memory behind it, so the machine code's pointers to its context block
 * and function table need no translation. Only the regions added here exist; every other linear
 * page is not present, so plugin code reaches no host memory that the monitor did not map.
 *
 * <p>Page-table entries carry the x86 bits present, writable, user and no-execute. A region added
 * with {@link #addRegion} has one entry for all its pages. The region of plugin memory takes its
 * entries from the plugin's {@link AddressSpace}, the page table every tier checks: a present
 * page is present and user, a writable one writable, and a page without
 * {@link PageFlags#EXECUTABLE} no-execute. Pages at or above the segment limit are not present.
 */
public final class Mmu {

    public static final int PTE_PRESENT = 1;
    public static final int PTE_WRITABLE = 1 << 1;
    public static final int PTE_USER = 1 << 2;
    public static final int PTE_NO_EXECUTE = 1 << 3;

    /** Access kinds of {@link #check}. */
    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int FETCH = 2;

    private static final int PAGE_SHIFT = 12;
    private static final long PAGE_SIZE = 1L << PAGE_SHIFT;

    /**
     * A mapped range of linear addresses. Its index in {@link #regions()} is the same in every
     * CPU of one program, because the runtime adds the regions in one order; translated code
     * caches that index.
     */
    public static final class Region {
        private final String name;
        private final long start;
        private final long size;
        private final int entry;
        private final AddressSpace space;

        Region(String name, long start, long size, int entry, AddressSpace space) {
            this.name = name;
            this.start = start;
            this.size = size;
            this.entry = entry;
            this.space = space;
        }

        public String name() {
            return name;
        }

        public long start() {
            return start;
        }

        public long size() {
            return size;
        }

        /** Returns the plugin address space behind the region, or null for a region with one entry for all pages. */
        public AddressSpace space() {
            return space;
        }

        /** Returns whether {@code size} bytes at {@code linear} lie inside the region. */
        public boolean contains(long linear, int accessSize) {
            long offset = linear - start;
            return Long.compareUnsigned(offset, size) < 0 && Long.compareUnsigned(offset + accessSize, size) <= 0;
        }

        /** Returns the page-table entry of the page at {@code linear}, which lies in the region. */
        int entryOf(long linear) {
            if (space == null) {
                return entry;
            }
            int flags = space.flagsOf((int) (linear - start));
            if ((flags & PageFlags.PRESENT) == 0) {
                return 0;
            }
            int pte = PTE_PRESENT | PTE_USER;
            if ((flags & PageFlags.WRITABLE) != 0) {
                pte |= PTE_WRITABLE;
            }
            if ((flags & PageFlags.EXECUTABLE) == 0) {
                pte |= PTE_NO_EXECUTE;
            }
            return pte;
        }

        /** Returns whether the region's single entry allows a data access of kind {@code access}, so its pages need no lookup. */
        public boolean uniformlyAllows(int access) {
            return space == null && allows(entry, access);
        }

        @Override
        public String toString() {
            return name + " [0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(start + size) + ")";
        }
    }

    @CompilationFinal(dimensions = 1) private Region[] regions = new Region[0];
    @CompilationFinal private SegmentDescriptor cs = SegmentDescriptor.NULL;
    @CompilationFinal private SegmentDescriptor gs = SegmentDescriptor.NULL;

    /**
     * Maps {@code memory} at its native address with one page-table entry for all its pages.
     * Returns the region's index.
     */
    public int addRegion(String name, MemorySegment memory, int entry) {
        if (!memory.isNative()) {
            throw new IllegalArgumentException("region " + name + " is on the Java heap; the emulated CPU maps native memory");
        }
        return add(new Region(name, memory.address(), memory.byteSize(), entry, null));
    }

    /** Maps the native memory of a plugin address space, pages per its page table. Returns the region's index. */
    public int addPluginMemory(AddressSpace space) {
        MemorySegment memory = space.nativeMemory();
        if (memory == null) {
            throw new IllegalArgumentException("the address space of " + space.pluginName()
                            + " lives on the Java heap; the emulated CPU needs a natively backed one");
        }
        return add(new Region("plugin memory", memory.address(), Integer.toUnsignedLong(space.segmentLimit()), 0, space));
    }

    private int add(Region region) {
        for (Region other : regions) {
            if (region.start < other.start + other.size && other.start < region.start + region.size) {
                throw new IllegalArgumentException("region " + region + " overlaps " + other);
            }
        }
        List<Region> all = new ArrayList<>(List.of(regions));
        all.add(region);
        regions = all.toArray(Region[]::new);
        return regions.length - 1;
    }

    public Region[] regions() {
        return regions;
    }

    public Region region(int index) {
        return regions[index];
    }

    /** Returns the index of the region that contains {@code size} bytes at {@code linear}, or -1. */
    public int regionIndex(long linear, int size) {
        for (int i = 0; i < regions.length; i++) {
            if (regions[i].contains(linear, size)) {
                return i;
            }
        }
        return -1;
    }

    /** Returns the page-table entry of the page at {@code linear}: 0 for a page no region maps. */
    public int entryOf(long linear) {
        for (Region region : regions) {
            if (region.contains(linear, 1)) {
                return region.entryOf(linear);
            }
        }
        return 0;
    }

    // ---- Segments ----

    public void setCodeSegment(SegmentDescriptor descriptor) {
        cs = descriptor;
    }

    /**
     * Sets GS, the plugin's data segment in hardware-isolation code. Set before the CPU runs:
     * translated code folds the descriptor of a CPU it has specialized on.
     */
    public void setGs(SegmentDescriptor descriptor) {
        gs = descriptor;
    }

    public SegmentDescriptor codeSegment() {
        return cs;
    }

    public SegmentDescriptor gs() {
        return gs;
    }

    // ---- Checks ----

    /**
     * Checks a data access or fetch of {@code size} bytes at {@code linear} against the page
     * table, page by page, and raises the page fault of the first page that refuses it.
     *
     * @param access       {@link #READ}, {@link #WRITE} or {@link #FETCH}
     * @param accessOffset the segment offset of the access, recorded in the exception
     */
    @TruffleBoundary
    public void check(long linear, int size, int access, long accessOffset) {
        long first = linear >>> PAGE_SHIFT;
        long last = (linear + size - 1) >>> PAGE_SHIFT;
        for (long page = first; ; page++) {
            long pageStart = page << PAGE_SHIFT;
            long at = page == first ? linear : pageStart;
            int entry = entryOf(at);
            if (!allows(entry, access)) {
                int error = pageFaultError(entry, access);
                throw new X86Exception(X86Exception.PAGE_FAULT, error, at, -1, accessOffset, size, 0);
            }
            if (page == last) {
                return;
            }
        }
    }

    private static int pageFaultError(int entry, int access) {
        int error = X86Exception.PF_USER;
        if ((entry & PTE_PRESENT) != 0) {
            error |= X86Exception.PF_PRESENT;
        }
        if (access == WRITE) {
            error |= X86Exception.PF_WRITE;
        } else if (access == FETCH) {
            error |= X86Exception.PF_FETCH;
        }
        return error;
    }

    /** Returns whether a page-table entry allows an access of kind {@code access} from user mode. */
    static boolean allows(int entry, int access) {
        if ((entry & (PTE_PRESENT | PTE_USER)) != (PTE_PRESENT | PTE_USER)) {
            return false;
        }
        return switch (access) {
            case WRITE -> (entry & PTE_WRITABLE) != 0;
            case FETCH -> (entry & PTE_NO_EXECUTE) == 0;
            default -> true;
        };
    }

    /** Returns the size of a page, 4 KiB. */
    public static long pageSize() {
        return PAGE_SIZE;
    }
}
