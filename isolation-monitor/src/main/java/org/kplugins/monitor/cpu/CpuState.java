// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

/**
 * The architectural state of one emulated CPU between translated regions: the general-purpose
 * and XMM registers, the lazy flags ({@link Flags}), and its memory management unit. Translated
 * code keeps the registers in Truffle frame slots while it runs and writes them back here at
 * calls, at the end of each translated region, and when an {@link X86Exception} leaves a region.
 * After an exception they hold the values from before the faulting instruction.
 *
 * <p>XMM registers keep 128 bits, in a low and a high half; the scalar SSE instructions use the
 * low half.
 */
public final class CpuState {

    public static final int RAX = 0;
    public static final int RCX = 1;
    public static final int RDX = 2;
    public static final int RBX = 3;
    public static final int RSP = 4;
    public static final int RBP = 5;
    public static final int RSI = 6;
    public static final int RDI = 7;

    final long[] gpr = new long[16];
    final long[] xmmLow = new long[16];
    final long[] xmmHigh = new long[16];
    long flagKind = Flags.kind(Flags.EXPLICIT, 8);
    long flagA;
    long flagB;
    long flagResult;
    /** How many translated regions run nested in Java calls on this CPU. */
    int depth;
    /** The last exception whose registers a region stored here. The regions it leaves later have older values and do not store them. */
    X86Exception storedException;

    private final Mmu mmu;
    private final HostGates gates;

    public CpuState(Mmu mmu, HostGates gates) {
        this.mmu = mmu;
        this.gates = gates;
    }

    public Mmu mmu() {
        return mmu;
    }

    public HostGates gates() {
        return gates;
    }

    public long register(int number) {
        return gpr[number];
    }

    public void setRegister(int number, long value) {
        gpr[number] = value;
    }

    public long xmm(int number) {
        return xmmLow[number];
    }

    public void setXmm(int number, long low) {
        xmmLow[number] = low;
        xmmHigh[number] = 0;
    }

    /** Returns the RFLAGS bits CF, PF, ZF, SF and OF. */
    public long flags() {
        return Flags.packed(flagKind, flagA, flagB, flagResult);
    }
}
