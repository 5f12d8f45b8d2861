// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * A memory operand of a translated instruction. Each access goes through the segment check and
 * the page table of the CPU's {@link Mmu}.
 *
 * <p>Specialization on stable page-table entries: after its first access, the node keeps, for
 * the MMU it saw, the region that access hit. In a region with one entry for all its pages (the
 * machine stack, the context block), an access needs one unsigned comparison. In plugin memory
 * the node also keeps the index of the address space's access window, a run of pages with the
 * access's flags. The address space updates its windows whenever the host maps, unmaps or
 * protects pages, so the check reads the window's current bounds and never relies on a stale entry. The
 * MMU of another instance of the program has its regions at the same indexes, so its accesses
 * take the same check with the region read from that MMU instead of constants. After
 * {@link #RESPECIALIZATIONS} misses the node checks every access through the whole MMU.
 */
final class MemoryOperand extends OperandNode {

    /** Every byte of the linear space; the MMU decides which ones an access may touch. */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int RESPECIALIZATIONS = 8;

    private final Segment segment;
    private final int base;
    private final int index;
    private final int scale;
    private final long displacement;
    private final int instructionOffset;

    /**
     * The cache of where the node's accesses go. It is replaced as a whole, so that no thread reads
     * one MMU with another MMU's bounds, and is null until the first access.
     */
    @CompilationFinal private Cache cache;
    @CompilationFinal private boolean generic;
    @CompilationFinal private int misses;

    /** The cached range of one access kind: a region's bounds and, in plugin memory, its address space and window. */
    private record Range(int region, long start, long span, AddressSpace space, int window) {
        static final Range NONE = new Range(-1, 0, 0, null, AddressSpace.NO_WINDOW);
    }

    /** The MMU whose region bounds {@code read} and {@code write} hold; other MMUs use only the region and window indexes. */
    private record Cache(Mmu mmu, Range read, Range write) {
    }

    MemoryOperand(Operand.Mem operand, X86Machine machine, int instructionOffset, int next) {
        this.segment = operand.segment();
        this.index = operand.index();
        this.scale = operand.scale();
        this.instructionOffset = instructionOffset;
        if (operand.base() == Operand.RIP) {
            // The offset of a RIP-relative operand is a constant: the linear address of the next instruction plus the displacement.
            this.base = Operand.NONE;
            this.displacement = machine.codeBase() + next + operand.displacement();
        } else {
            this.base = operand.base();
            this.displacement = operand.displacement();
        }
    }

    /** Returns the effective address: base + index * scale + displacement, in 64 bits. */
    long offset(VirtualFrame frame) {
        long offset = displacement;
        if (base != Operand.NONE) {
            offset += frame.getLong(base);
        }
        if (index != Operand.NONE) {
            offset += frame.getLong(index) * scale;
        }
        return offset;
    }

    @Override
    long read(VirtualFrame frame, CpuState state, int size) {
        long linear = linear(frame, state, size, Mmu.READ);
        return load(linear, size);
    }

    @Override
    void write(VirtualFrame frame, CpuState state, int size, long value) {
        long linear = linear(frame, state, size, Mmu.WRITE);
        store(linear, size, value);
    }

    static long load(long linear, int size) {
        return switch (size) {
            case 1 -> ALL.get(JAVA_BYTE, linear) & 0xFFL;
            case 2 -> ALL.get(I16, linear) & 0xFFFFL;
            case 4 -> ALL.get(I32, linear) & 0xFFFF_FFFFL;
            default -> ALL.get(I64, linear);
        };
    }

    static void store(long linear, int size, long value) {
        switch (size) {
            case 1 -> ALL.set(JAVA_BYTE, linear, (byte) value);
            case 2 -> ALL.set(I16, linear, (short) value);
            case 4 -> ALL.set(I32, linear, (int) value);
            default -> ALL.set(I64, linear, value);
        }
    }

    /** Returns the checked linear address of an access of {@code size} bytes, or raises the CPU exception that refuses it. */
    long linear(VirtualFrame frame, CpuState state, int size, int access) {
        long offset = offset(frame);
        Mmu mmu = state.mmu();
        Cache known = cache;
        if (known != null) {
            Range range = access == Mmu.WRITE ? known.write() : known.read();
            if (mmu == known.mmu()) {
                // The MMU is a constant here, so its GS descriptor and the range fold into the comparison.
                long linear = segmentBaseOrMinusOne(known.mmu(), offset, size);
                if (linear != -1 && hits(linear, size, range.start(), range.span(), range.space(), range.window(),
                                access == Mmu.WRITE)) {
                    return linear;
                }
            } else if (range.region() >= 0) {
                // Another instance of the program: the same region and window indexes, read from its MMU.
                long linear = segmentBaseOrMinusOne(mmu, offset, size);
                Mmu.Region region = mmu.region(range.region());
                if (linear != -1 && (region.space() != null || region.uniformlyAllows(access))
                                && hits(linear, size, region.start(), region.size(), region.space(), range.window(),
                                                access == Mmu.WRITE)) {
                    return linear;
                }
            }
        }
        return missed(mmu, offset, size, access);
    }

    /** Returns the linear address through the segment, or -1 when the segment refuses the access (the full check then raises). */
    private long segmentBaseOrMinusOne(Mmu mmu, long offset, int size) {
        if (segment == Segment.GS) {
            SegmentDescriptor gs = mmu.gs();
            return gs.contains(offset, size) ? gs.base() + offset : -1;
        }
        if (segment == Segment.FS || segment == Segment.CS) {
            return -1;
        }
        return offset;
    }

    /**
     * Returns whether an access lies in the cached range of pages: a region with one entry for
     * all pages, or plugin memory, where the address space's access window must also contain it.
     */
    private static boolean hits(long linear, int size, long start, long span, AddressSpace space, int window, boolean write) {
        if (Long.compareUnsigned(linear - start, span - size) > 0 || span < size) {
            return false;
        }
        if (space == null) {
            return true;
        }
        int address = (int) (linear - start);
        return write ? space.isInWriteWindow(window, address, size) : space.isInReadWindow(window, address, size);
    }

    /** Applies the segment: the limit check and base of GS, a #GP for FS and for reads through CS, nothing for flat DS and SS. */
    private long segmentBase(Mmu mmu, long offset, int size) {
        if (segment == Segment.GS) {
            SegmentDescriptor gs = mmu.gs();
            if (!gs.contains(offset, size)) {
                throw new X86Exception(X86Exception.GENERAL_PROTECTION, 0, gs.base() + offset, instructionOffset, offset, size, 0);
            }
            return gs.base() + offset;
        }
        if (segment == Segment.FS || segment == Segment.CS) {
            throw new X86Exception(X86Exception.GENERAL_PROTECTION, 0, offset, instructionOffset, offset, size, 0);
        }
        return offset;
    }

    private long missed(Mmu mmu, long offset, int size, int access) {
        if (generic) {
            return checkAll(mmu, offset, size, access);
        }
        CompilerDirectives.transferToInterpreterAndInvalidate();
        long linear = checkAll(mmu, offset, size, access);
        // Threads running instances of one program share this node, so they specialize it in turn.
        synchronized (getLock()) {
            if (misses++ >= RESPECIALIZATIONS) {
                generic = true;
                cache = null;
            } else {
                specialize(mmu, linear, size, access);
            }
        }
        return linear;
    }

    /** Checks an access through the segment and the whole page table, and returns its linear address. */
    @TruffleBoundary
    private long checkAll(Mmu mmu, long offset, int size, int access) {
        long linear = segmentBase(mmu, offset, size);
        try {
            mmu.check(linear, size, access, offset);
        } catch (X86Exception e) {
            throw e.at(instructionOffset);
        }
        return linear;
    }

    /** Caches where the access, which has just passed the full check, lies: its region and, in plugin memory, its access window. */
    private void specialize(Mmu mmu, long linear, int size, int access) {
        int regionIndex = mmu.regionIndex(linear, size);
        if (regionIndex < 0) {
            return;
        }
        Mmu.Region region = mmu.region(regionIndex);
        AddressSpace space = region.space();
        int window = AddressSpace.NO_WINDOW;
        if (space != null) {
            int address = (int) (linear - region.start());
            window = access == Mmu.WRITE ? space.findWriteWindow(address, size) : space.findReadWindow(address, size);
            if (window == AddressSpace.NO_WINDOW) {
                return;
            }
        } else if (!region.uniformlyAllows(access)) {
            return;
        }
        Range range = new Range(regionIndex, region.start(), region.size(), space, window);
        Cache known = cache;
        if (known == null || known.mmu() == mmu) {
            cache = known == null ? new Cache(mmu, access == Mmu.WRITE ? Range.NONE : range, access == Mmu.WRITE ? range : Range.NONE)
                            : new Cache(mmu, access == Mmu.WRITE ? known.read() : range, access == Mmu.WRITE ? range : known.write());
            return;
        }
        Range old = access == Mmu.WRITE ? known.write() : known.read();
        if (old.region() == regionIndex) {
            // Another instance missed only because its window index differs: keep the first
            // instance's bounds, which its window index then checks against its own windows.
            Range kept = new Range(old.region(), old.start(), old.span(), old.space(), window);
            cache = new Cache(known.mmu(), access == Mmu.WRITE ? known.read() : kept, access == Mmu.WRITE ? kept : known.write());
            return;
        }
        // Bounds belong to one MMU, so the other access kind's range, cached for another MMU, is dropped.
        cache = new Cache(mmu, access == Mmu.WRITE ? Range.NONE : range, access == Mmu.WRITE ? range : Range.NONE);
    }
}
