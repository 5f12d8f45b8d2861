// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import java.util.Locale;

/**
 * An exception of the emulated CPU, as the processor delivers it: vector, error code, the linear
 * address that faulted (CR2 of a page fault) and the code-segment offset of the instruction.
 * The emulator records two facts real hardware leaves elsewhere: the segment offset and size of
 * the access that faulted, and the divisor of a divide error.
 */
public final class X86Exception extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** #DE: divide error, for a zero divisor or a quotient that does not fit. */
    public static final int DIVIDE_ERROR = 0;
    /** #BP: int3. */
    public static final int BREAKPOINT = 3;
    /** #UD: invalid opcode. */
    public static final int INVALID_OPCODE = 6;
    /** #SS: a stack-segment limit violation. */
    public static final int STACK_FAULT = 12;
    /** #GP: general protection, here a segment limit or type violation. */
    public static final int GENERAL_PROTECTION = 13;
    /** #PF: page fault. */
    public static final int PAGE_FAULT = 14;

    /** Page-fault error code bit: the page was present, so a protection bit refused the access. */
    public static final int PF_PRESENT = 1;
    /** Page-fault error code bit: the access was a write. */
    public static final int PF_WRITE = 1 << 1;
    /** Page-fault error code bit: the access came from user mode (CPL 3), as all plugin code runs. */
    public static final int PF_USER = 1 << 2;
    /** Page-fault error code bit: the access was an instruction fetch. */
    public static final int PF_FETCH = 1 << 4;

    private final int vector;
    private final int errorCode;
    private final long linearAddress;
    private final long instructionOffset;
    private final long accessOffset;
    private final int accessSize;
    private final long divisor;

    public X86Exception(int vector, int errorCode, long linearAddress, long instructionOffset, long accessOffset,
                    int accessSize, long divisor) {
        super(null, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
        this.linearAddress = linearAddress;
        this.instructionOffset = instructionOffset;
        this.accessOffset = accessOffset;
        this.accessSize = accessSize;
        this.divisor = divisor;
    }

    /** Returns the exception with {@code offset} as the faulting instruction, for an exception raised before it was known. */
    public X86Exception at(long offset) {
        return new X86Exception(vector, errorCode, linearAddress, offset, accessOffset, accessSize, divisor);
    }

    public int vector() {
        return vector;
    }

    public int errorCode() {
        return errorCode;
    }

    /** Returns the linear address that faulted: CR2 of a page fault, the access start of a #GP, else 0. */
    public long linearAddress() {
        return linearAddress;
    }

    /**
     * Returns the code-segment offset of the faulting instruction. A fetch that faults at a branch
     * target names the call that branched there. After a jump or return it is -1, because the
     * run loop makes that fetch after the region has ended. The push of the exit gate in
     * {@link X86Machine#run} is -1 too.
     */
    public long instructionOffset() {
        return instructionOffset;
    }

    /** Returns the segment offset where the faulting access starts, the effective address before the segment base. */
    public long accessOffset() {
        return accessOffset;
    }

    /** Returns the size in bytes of the faulting access, 0 when none. */
    public int accessSize() {
        return accessSize;
    }

    /** Returns the divisor of a divide error: the operand's bits, zero-extended from the operand size (0xFF for an 8-bit -1). */
    public long divisor() {
        return divisor;
    }

    /** Returns the vector's mnemonic, for example {@code #PF}. */
    public String mnemonic() {
        return switch (vector) {
            case DIVIDE_ERROR -> "#DE";
            case BREAKPOINT -> "#BP";
            case INVALID_OPCODE -> "#UD";
            case STACK_FAULT -> "#SS";
            case GENERAL_PROTECTION -> "#GP";
            case PAGE_FAULT -> "#PF";
            default -> "#" + vector;
        };
    }

    @Override
    public String getMessage() {
        return String.format(Locale.ROOT, "%s error code 0x%x at code offset 0x%x, linear address 0x%x", mnemonic(), errorCode,
                        instructionOffset, linearAddress);
    }
}
