// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import com.oracle.truffle.api.Assumption;
import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.PageFlags;

/**
 * A memory operand of a translated instruction. Each access goes through the segment check and
 * the page table of the CPU's {@link Mmu}.
 *
 * <p>Specialization on stable page-table entries: after its first access, the node keeps the
 * range of pages around that access which allow it, for the MMU it saw. An access of that MMU
 * inside the range needs one unsigned comparison. The range of plugin pages depends on the
 * address space's {@link AddressSpace#pageTableUnchanged()} assumption, so a change of the
 * mapping drops it; regions with one entry for all pages never change. After
 * {@link #RESPECIALIZATIONS} misses, or for a second MMU (another plugin instance), the node
 * checks every access through the MMU without a cache.
 */
final class MemoryOperand extends OperandNode {

    /** Every byte of the linear space; the MMU decides which ones an access may touch. */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int RESPECIALIZATIONS = 8;
    /** Pages scanned on each side of an access when the node computes its range of plugin pages. */
    private static final int RANGE_PAGES = 1 << 12;

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
    @CompilationFinal private long readSpan;
    @CompilationFinal private Assumption readStable;
    @CompilationFinal private long writeStart;
    @CompilationFinal private long writeSpan;
    @CompilationFinal private Assumption writeStable;

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
        long linear = segmentBase(mmu, offset, size);
        if (mmu == cachedMmu) {
            if (access == Mmu.WRITE) {
                if (writeStable != null && Long.compareUnsigned(linear - writeStart, writeSpan - size) <= 0
                                && writeStable.isValid()) {
                    return linear;
                }
            } else if (readStable != null && Long.compareUnsigned(linear - readStart, readSpan - size) <= 0
                            && readStable.isValid()) {
                return linear;
            }
        }
        return missed(mmu, linear, size, access, offset);
    }

    /** Applies the segment: the limit check and base of GS, a #GP for FS and for reads through CS, nothing for flat DS and SS. */
    private long segmentBase(Mmu mmu, long offset, int size) {
        if (segment == Segment.GS) {
            SegmentDescriptor gs = mmu.gs();
            if (!gs.contains(offset, size)) {
                CompilerDirectives.transferToInterpreter();
                throw new X86Exception(X86Exception.GENERAL_PROTECTION, 0, gs.base() + offset, instructionOffset, offset, size, 0);
            }
            return gs.base() + offset;
        }
        if (segment == Segment.FS || segment == Segment.CS) {
            CompilerDirectives.transferToInterpreter();
            throw new X86Exception(X86Exception.GENERAL_PROTECTION, 0, offset, instructionOffset, offset, size, 0);
        }
        return offset;
    }

    private long missed(Mmu mmu, long linear, int size, int access, long offset) {
        if (generic) {
            checkAll(mmu, linear, size, access, offset);
            return linear;
        }
        CompilerDirectives.transferToInterpreterAndInvalidate();
        checkAll(mmu, linear, size, access, offset);
        if (misses++ >= RESPECIALIZATIONS || (cachedMmu != null && cachedMmu != mmu)) {
            generic = true;
            cachedMmu = null;
            return linear;
        }
        specialize(mmu, linear, access);
        return linear;
    }

    @TruffleBoundary
    private void checkAll(Mmu mmu, long linear, int size, int access, long offset) {
        try {
            mmu.check(linear, size, access, offset);
        } catch (X86Exception e) {
            throw e.at(instructionOffset);
        }
    }

    /** Caches the range of pages around {@code linear} that allow the access, which has just passed the full check. */
    private void specialize(Mmu mmu, long linear, int access) {
        int regionIndex = mmu.regionIndex(linear, 1);
        if (regionIndex < 0) {
            return;
        }
        Mmu.Region region = mmu.region(regionIndex);
        long start;
        long end;
        Assumption stable;
        AddressSpace space = region.space();
        if (space == null) {
            start = region.start();
            end = region.start() + region.size();
            stable = Assumption.ALWAYS_VALID;
        } else {
            stable = space.pageTableUnchanged();
            int needed = access == Mmu.WRITE ? PageFlags.PRESENT | PageFlags.WRITABLE : PageFlags.PRESENT;
            long page = (linear - region.start()) >>> 12;
            long pages = region.size() >>> 12;
            long low = page;
            while (low > 0 && page - low < RANGE_PAGES && (space.flagsOf((int) ((low - 1) << 12)) & needed) == needed) {
                low--;
            }
            long high = page + 1;
            while (high < pages && high - page < RANGE_PAGES && (space.flagsOf((int) (high << 12)) & needed) == needed) {
                high++;
            }
            start = region.start() + (low << 12);
            end = region.start() + (high << 12);
        }
        cachedMmu = mmu;
        if (access == Mmu.WRITE) {
            writeStart = start;
            writeSpan = end - start;
            writeStable = stable;
            if (readStable == null) {
                readStart = start;
                readSpan = end - start;
                readStable = stable;
            }
        } else {
            readStart = start;
            readSpan = end - start;
            readStable = stable;
        }
    }
}
