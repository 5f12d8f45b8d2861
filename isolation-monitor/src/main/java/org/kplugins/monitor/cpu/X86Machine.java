// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.TruffleLanguage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulated x86-64 CPU's view of one program: its code segment and the translated regions of
 * that code, shared by every CPU that runs it.
 *
 * <p>The code segment contains the program's machine code followed by two gates, addresses that
 * contain no instruction: a jump or call to the exit gate ends {@link #run}, and a call to the upcall
 * gate runs a host call through {@link HostGates}. Code is translated into {@link MachineRoot}
 * regions on first execution, one per entry offset, and never changes: the code segment is
 * execute-only and its pages are not writable.
 */
public final class X86Machine {

    /** Bytes after the code: the exit gate, then the upcall gate, 16 bytes apart. */
    private static final int GATE_BYTES = 32;

    private final TruffleLanguage<?> language;
    private final byte[] code;
    private final int codeLength;
    private final MemorySegment codeMemory;
    private final long codeBase;
    private final ConcurrentHashMap<Integer, CallTarget> regions = new ConcurrentHashMap<>();

    public X86Machine(TruffleLanguage<?> language, byte[] machineCode) {
        this.language = language;
        this.codeLength = machineCode.length;
        // The gate bytes are ud2: code that runs into them without a jump or call raises #UD.
        this.code = Arrays.copyOf(machineCode, machineCode.length + GATE_BYTES);
        for (int i = machineCode.length; i + 1 < code.length; i += 2) {
            code[i] = 0x0F;
            code[i + 1] = 0x0B;
        }
        this.codeMemory = Arena.ofAuto().allocate(code.length, 4096);
        MemorySegment.copy(code, 0, codeMemory, ValueLayout.JAVA_BYTE, 0, code.length);
        this.codeBase = codeMemory.address();
    }

    TruffleLanguage<?> language() {
        return language;
    }

    /** Returns the linear address of code offset 0. */
    public long codeBase() {
        return codeBase;
    }

    /** Returns the linear address whose call or jump ends {@link #run}. */
    public long exitGate() {
        return codeBase + codeLength;
    }

    /** Returns the linear address whose call runs {@link HostGates#upcall}. */
    public long upcallGate() {
        return codeBase + codeLength + 16;
    }

    /** Maps the code segment into {@code mmu}: CS execute-only over the code and gates, its pages present, user, read-only. */
    public void mapCode(Mmu mmu) {
        mmu.addRegion("code", codeMemory, Mmu.PTE_PRESENT | Mmu.PTE_USER);
        mmu.setCodeSegment(new SegmentDescriptor(codeBase, code.length - 1, SegmentDescriptor.Type.CODE_EXECUTE_ONLY));
    }

    /** Returns whether {@code offset} is program code that a region may translate, not a gate or beyond. */
    boolean isTranslatable(long offset) {
        return offset >= 0 && offset < codeLength;
    }

    Instruction decode(int offset) {
        return X86Decoder.decode(code, offset);
    }

    /**
     * Runs code from linear address {@code entry} with the registers in {@code state}, after
     * pushing the exit gate as the return address, until control reaches the exit gate. Returns
     * RAX.
     *
     * @throws X86Exception the exception that stopped the CPU
     */
    public long run(CpuState state, long entry) {
        long rsp = state.gpr[CpuState.RSP] - 8;
        state.mmu().check(rsp, 8, Mmu.WRITE, rsp);
        MemoryOperand.store(rsp, 8, exitGate());
        state.gpr[CpuState.RSP] = rsp;
        long next = entry;
        while (next != exitGate()) {
            if (next == upcallGate()) {
                // Reached by a jump rather than a call: run the host call, then return to the address on the stack.
                state.gpr[CpuState.RAX] = state.gates().upcall(state.gpr[CpuState.RDI], state.gpr[CpuState.RSI],
                                state.gpr[CpuState.RDX]);
                long top = state.gpr[CpuState.RSP];
                state.mmu().check(top, 8, Mmu.READ, top);
                next = MemoryOperand.load(top, 8);
                state.gpr[CpuState.RSP] = top + 8;
                continue;
            }
            next = (long) regionAt(state, next, -1).call(state);
        }
        return state.gpr[CpuState.RAX];
    }

    /**
     * Returns the translated region that starts at linear address {@code target}, after the
     * checks of a fetch there: the code segment's limit (#GP) and the page's present, user and
     * no-execute bits (#PF).
     *
     * @param from code offset of the instruction that transfers control, or -1 when unknown
     */
    CallTarget regionAt(CpuState state, long target, int from) {
        long offset = target - codeBase;
        SegmentDescriptor cs = state.mmu().codeSegment();
        if (cs.type() != SegmentDescriptor.Type.CODE_EXECUTE_ONLY || !cs.contains(offset, 1)) {
            throw new X86Exception(X86Exception.GENERAL_PROTECTION, 0, target, from, offset, 1, 0);
        }
        try {
            state.mmu().check(target, 1, Mmu.FETCH, offset);
        } catch (X86Exception e) {
            throw e.at(from);
        }
        if (!isTranslatable(offset)) {
            // A gate reached as code, not through a call: its bytes are ud2.
            throw new X86Exception(X86Exception.INVALID_OPCODE, 0, target, offset, 0, 0, 0);
        }
        return regions.computeIfAbsent((int) offset, start -> new MachineRoot(this, start).getCallTarget());
    }
}
