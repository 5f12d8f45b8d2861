// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import java.lang.foreign.MemorySegment;
import org.kplugins.monitor.cpu.CpuState;
import org.kplugins.monitor.cpu.Mmu;
import org.kplugins.monitor.cpu.SegmentDescriptor;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * The emulated CPU of one plugin instance in the emulated tier: its MMU, its registers and its
 * machine stack.
 *
 * <p>The MMU maps, in this order, so that every instance's regions have the same indexes: plugin
 * memory (pages as the address space's page table gives them), the machine stack, the context block
 * (read and write), the native page table and the function table (read only), and the code. No
 * other host memory is mapped, so wrong machine code faults in the emulated MMU instead of
 * reaching the host. For hardware-isolation code, GS is the plugin's data segment: base at
 * plugin address 0, limit at the segment limit.
 */
final class EmulatedCpu {

    /**
     * Bytes of the machine stack of an emulated instance, which contains return addresses, saved
     * registers and spills: 8 MiB, the usual main-thread stack of Linux, so plugin recursion goes
     * about as deep as in the native tier. The stack is reserved, and pages are committed when
     * first touched.
     */
    static final long MACHINE_STACK_BYTES = 8 << 20;
    /**
     * Bytes at the bottom of the machine stack below the limit that prologues compare: a frame up
     * to 4 KiB is checked before it grows, and the entry trampoline needs a few words.
     */
    static final long MACHINE_STACK_RESERVE = 16 << 10;

    private final MemorySegment stack;
    private final CpuState state;

    EmulatedCpu(NativeProgram program, AddressSpace memory, ContextBlock block) {
        Mmu mmu = new Mmu();
        int rw = Mmu.PTE_PRESENT | Mmu.PTE_USER | Mmu.PTE_WRITABLE | Mmu.PTE_NO_EXECUTE;
        int ro = Mmu.PTE_PRESENT | Mmu.PTE_USER | Mmu.PTE_NO_EXECUTE;
        this.stack = Posix.reserve(MACHINE_STACK_BYTES, "emulated machine stack");
        mmu.addPluginMemory(memory);
        mmu.addRegion("machine stack", stack, rw);
        mmu.addRegion("context block", block.segment(), rw);
        mmu.addRegion("page table", memory.nativePageTable().asSlice(0, AddressSpace.NATIVE_PAGE_TABLE_ENTRIES), ro);
        mmu.addRegion("function table", program.nativeFunctionTable(), ro);
        program.machine().mapCode(mmu);
        if (program.hardwareIsolation()) {
            mmu.setGs(new SegmentDescriptor(memory.nativeMemory().address(), Integer.toUnsignedLong(memory.segmentLimit()) - 1,
                            SegmentDescriptor.Type.DATA_READ_WRITE));
        }
        this.state = new CpuState(mmu, (rdi, rsi, rdx) -> Upcalls.dispatch(rdi, (int) rsi, rdx));
    }

    CpuState state() {
        return state;
    }

    /** Returns the address above the machine stack, 16-byte aligned, where each call from the host starts. */
    long stackTop() {
        return stack.address() + stack.byteSize();
    }

    /** Returns the lowest RSP that a prologue accepts. */
    long stackLimit() {
        return stack.address() + MACHINE_STACK_RESERVE;
    }
}
