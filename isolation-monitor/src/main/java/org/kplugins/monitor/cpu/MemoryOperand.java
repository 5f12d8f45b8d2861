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
 * access's flags that the address space updates whenever the host maps, unmaps or protects
 * pages, so the check reads the window's current bounds and never relies on a stale entry. The
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

    @CompilationFinal private Mmu cachedMmu;
    @CompilationFinal private boolean generic;
    @CompilationFinal private int misses;
    @CompilationFinal private long readStart;
    /** Bytes of the cached read range, 0 while no read has been cached. */
    @CompilationFinal private long readSpan;
    @CompilationFinal private AddressSpace readSpace;
    @CompilationFinal private int readWindow = AddressSpace.NO_WINDOW;
    @CompilationFinal private long writeStart;
    @CompilationFinal private long writeSpan;
    @CompilationFinal private AddressSpace writeSpace;
    @CompilationFinal private int writeWindow = AddressSpace.NO_WINDOW;
    /** Region indexes of the cached reads and writes, the same in every instance's MMU; -1 while none is cached. */
    @CompilationFinal private int readRegion = -1;
    @CompilationFinal private int writeRegion = -1;

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
        if (mmu == cachedMmu) {
            // The MMU is a constant here, so its GS descriptor folds into the comparison.
            long linear = offset;
            boolean inSegment = true;
            if (segment == Segment.GS) {
                SegmentDescriptor gs = cachedMmu.gs();
                inSegment = gs.contains(offset, size);
                linear = gs.base() + offset;
            } else if (segment == Segment.FS || segment == Segment.CS) {
                inSegment = false;
            }
            if (inSegment && (access == Mmu.WRITE ? hits(linear, size, writeStart, writeSpan, writeSpace, writeWindow, true)
                            : hits(linear, size, readStart, readSpan, readSpace, readWindow, false))) {
                return linear;
            }
        } else if (cachedMmu != null) {
            // Another instance of the program: the same region and window indexes, read from its MMU.
            long linear = segmentBaseOrMinusOne(mmu, offset, size);
            int regionIndex = access == Mmu.WRITE ? writeRegion : readRegion;
            if (linear != -1 && regionIndex >= 0) {
                Mmu.Region region = mmu.region(regionIndex);
                if (hits(linear, size, region.start(), region.size(), region.space(), access == Mmu.WRITE ? writeWindow : readWindow,
                                access == Mmu.WRITE) && (region.space() != null || region.uniformlyAllows(access))) {
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
        if (misses++ >= RESPECIALIZATIONS) {
            generic = true;
            cachedMmu = null;
            return linear;
        }
        specialize(mmu, linear, size, access);
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
        if (cachedMmu != null && cachedMmu != mmu && (access == Mmu.WRITE ? writeRegion : readRegion) == regionIndex) {
            // Another instance missed only because its window index differs: keep the first instance's constants.
            if (access == Mmu.WRITE) {
                writeWindow = window;
            } else {
                readWindow = window;
            }
            return;
        }
        if (cachedMmu != mmu) {
            // The constants belong to one MMU: drop those of the other access kind, which another MMU cached.
            readSpan = 0;
            readSpace = null;
            writeSpan = 0;
            writeSpace = null;
            cachedMmu = mmu;
        }
        if (access == Mmu.WRITE) {
            writeRegion = regionIndex;
            writeStart = region.start();
            writeSpan = region.size();
            writeSpace = space;
            writeWindow = window;
        } else {
            readRegion = regionIndex;
            readStart = region.start();
            readSpan = region.size();
            readSpace = space;
            readWindow = window;
        }
    }
}
