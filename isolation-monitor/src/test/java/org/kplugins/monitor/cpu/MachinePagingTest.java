// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.truffle.runtime.OptimizedCallTarget;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.PageFlags;

/**
 * Plugin memory under the emulated MMU: pages come from an {@link AddressSpace}, and memory
 * operands cache the range of pages that allowed their first access. These tests change the
 * page table after the cache is filled, in the interpreter and in code Graal compiled, and run a
 * second MMU through the same translated code, and expect the page faults of the new mapping.
 */
class MachinePagingTest {

    private static final int PAGE = AddressSpace.PAGE_SIZE;
    private static final int LIMIT = 16 * PAGE;

    private static GnuBinutils.Program program;

    @BeforeAll
    static void assemble() {
        program = GnuBinutils.assembleProgram(List.of(
                        "load:", "load_at:", "mov rax, QWORD PTR gs:[rcx]", "ret",
                        "store:", "store_at:", "mov QWORD PTR gs:[rcx], rax", "ret"));
    }

    /** A plugin address space, its MMU and a CPU on it. */
    private record Instance(AddressSpace space, Mmu mmu, CpuState cpu, MemorySegment stack) {

        long base() {
            return space.nativeMemory().address();
        }
    }

    /** Returns an instance whose pages 1 to 4 are writable and page 5 read-only. */
    private static Instance instance(X86Machine machine) {
        AddressSpace space = AddressSpace.withNativeMemory("paging test", LIMIT, Arena.ofAuto().allocate(LIMIT, PAGE));
        space.map(PAGE, 4 * PAGE, PageFlags.WRITABLE);
        space.map(5 * PAGE, PAGE, 0);
        MemorySegment stack = Arena.ofAuto().allocate(4 * PAGE, PAGE);
        Mmu mmu = new Mmu();
        mmu.addPluginMemory(space);
        mmu.addRegion("machine stack", stack, Mmu.PTE_PRESENT | Mmu.PTE_USER | Mmu.PTE_WRITABLE | Mmu.PTE_NO_EXECUTE);
        machine.mapCode(mmu);
        mmu.setGs(new SegmentDescriptor(space.nativeMemory().address(), LIMIT - 1, SegmentDescriptor.Type.DATA_READ_WRITE));
        return new Instance(space, mmu, new CpuState(mmu, (rdi, rsi, rdx) -> 0), stack);
    }

    private static void run(X86Machine machine, Instance instance, String label, long offset, long rax) {
        CpuState cpu = instance.cpu();
        cpu.setRegister(CpuState.RSP, instance.stack().address() + instance.stack().byteSize());
        cpu.setRegister(CpuState.RCX, offset);
        cpu.setRegister(CpuState.RAX, rax);
        machine.run(cpu, machine.codeBase() + program.offset(label));
    }

    private static void assertPageFault(X86Machine machine, Instance instance, String label, long offset, int errorCode) {
        X86Exception e = assertThrows(X86Exception.class, () -> run(machine, instance, label, offset, 0),
                        label + " at plugin address 0x" + Long.toHexString(offset));
        assertEquals(X86Exception.PAGE_FAULT, e.vector(), e.getMessage());
        assertEquals(errorCode, e.errorCode(), e.getMessage());
        assertEquals(instance.base() + offset, e.linearAddress(), e.getMessage());
        assertEquals(offset, e.accessOffset(), e.getMessage());
        assertEquals(program.offset(label + "_at"), e.instructionOffset(), e.getMessage());
    }

    /** Fills the caches of both memory operands with the writable pages, then changes the page table three ways. */
    private static void checkPageTableChanges(X86Machine machine, Instance instance, Runnable afterWarmUp) {
        for (int i = 0; i < 4; i++) {
            run(machine, instance, "store", PAGE + 8L * i, i);
            run(machine, instance, "load", 2 * PAGE + 8L * i, 0);
        }
        afterWarmUp.run();
        run(machine, instance, "store", 2 * PAGE, 42);
        run(machine, instance, "load", 2 * PAGE, 0);
        assertEquals(42, instance.cpu().register(CpuState.RAX));

        // Outside the cached range: the read-only page, a page never mapped, and an access straddling into it.
        run(machine, instance, "load", 5 * PAGE, 0);
        assertPageFault(machine, instance, "store", 5 * PAGE + 16, X86Exception.PF_PRESENT | X86Exception.PF_WRITE | X86Exception.PF_USER);
        assertPageFault(machine, instance, "load", 6 * PAGE, X86Exception.PF_USER);

        // Inside the cached range, after the host changed the page table.
        instance.space().protect(2 * PAGE, PAGE, 0);
        assertPageFault(machine, instance, "store", 2 * PAGE + 8, X86Exception.PF_PRESENT | X86Exception.PF_WRITE | X86Exception.PF_USER);
        instance.space().unmap(3 * PAGE, PAGE);
        assertPageFault(machine, instance, "load", 3 * PAGE, X86Exception.PF_USER);
        assertPageFault(machine, instance, "store", 3 * PAGE, X86Exception.PF_USER | X86Exception.PF_WRITE);
        run(machine, instance, "store", 4 * PAGE, 7);
        instance.space().map(6 * PAGE, PAGE, PageFlags.WRITABLE);
        run(machine, instance, "store", 6 * PAGE, 9);
        run(machine, instance, "load", 6 * PAGE, 0);
        assertEquals(9, instance.cpu().register(CpuState.RAX));
    }

    @Test
    void pageTableChangesFaultInInterpreter() {
        X86Machine machine = new X86Machine(null, program.code());
        checkPageTableChanges(machine, instance(machine), () -> {
        });
    }

    @Test
    void pageTableChangesFaultInCompiledCode() {
        X86Machine machine = new X86Machine(null, program.code());
        Instance instance = instance(machine);
        checkPageTableChanges(machine, instance, () -> {
            for (String label : List.of("load", "store")) {
                OptimizedCallTarget region = (OptimizedCallTarget) machine.regionAt(instance.cpu(),
                                machine.codeBase() + program.offset(label), -1);
                region.compile(false);
                region.waitForCompilation();
                assertTrue(region.isValid(), "Graal did not compile the region of " + label);
            }
        });
    }

    @Test
    void secondInstanceGetsItsOwnPageChecks() {
        X86Machine machine = new X86Machine(null, program.code());
        Instance first = instance(machine);
        Instance second = instance(machine);
        second.space().unmap(2 * PAGE, PAGE);
        for (int i = 0; i < 3; i++) {
            run(machine, first, "load", 2 * PAGE, 0);
            run(machine, first, "store", 2 * PAGE, 1);
        }
        assertPageFault(machine, second, "load", 2 * PAGE, X86Exception.PF_USER);
        assertPageFault(machine, second, "store", 2 * PAGE + 8, X86Exception.PF_USER | X86Exception.PF_WRITE);
        run(machine, second, "store", PAGE, 5);
        run(machine, first, "store", 2 * PAGE, 6);
        run(machine, first, "load", 2 * PAGE, 0);
        assertEquals(6, first.cpu().register(CpuState.RAX));
    }

    @Test
    void memoryOperandAfterManyMissesChecksEveryAccess() {
        X86Machine machine = new X86Machine(null, program.code());
        Instance instance = instance(machine);
        // Stores go in and out of the cached range and page 1 changes its flags each round, so the
        // operand misses its cache more often than it respecializes and then checks every access.
        boolean pageOneWritable = true;
        for (int round = 0; round < 4; round++) {
            for (int page = 1; page <= 6; page++) {
                boolean writable = page <= 4 && (page != 1 || pageOneWritable);
                if (writable) {
                    run(machine, instance, "store", page * PAGE, page);
                } else if (page == 6) {
                    assertPageFault(machine, instance, "store", page * PAGE, X86Exception.PF_USER | X86Exception.PF_WRITE);
                } else {
                    assertPageFault(machine, instance, "store", page * PAGE,
                                    X86Exception.PF_PRESENT | X86Exception.PF_WRITE | X86Exception.PF_USER);
                }
            }
            pageOneWritable = !pageOneWritable;
            instance.space().protect(PAGE, PAGE, pageOneWritable ? PageFlags.WRITABLE : 0);
        }
        instance.space().protect(PAGE, PAGE, 0);
        assertPageFault(machine, instance, "store", PAGE, X86Exception.PF_PRESENT | X86Exception.PF_WRITE | X86Exception.PF_USER);
        run(machine, instance, "store", 2 * PAGE, 1);
    }
}
