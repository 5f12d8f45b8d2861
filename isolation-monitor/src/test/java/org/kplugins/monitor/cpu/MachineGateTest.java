// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two gates after the code. A call to the upcall gate runs {@link HostGates#upcall} with RDI,
 * RSI and RDX and goes on with its result in RAX, however the code reaches the gate. A jump or
 * call to the exit gate ends {@link X86Machine#run}.
 */
class MachineGateTest {

    private static GnuBinutils.Program program;
    private static X86Machine machine;
    private static MemorySegment stack;
    private static MemorySegment data;

    /** One host call: its arguments. */
    private record Upcall(long rdi, long rsi, long rdx) {
    }

    @BeforeAll
    static void assemble() {
        List<String> lines = List.of(
                        "upcall_direct:", "mov edi, 11", "mov esi, 22", "mov edx, 33", "call upcall_gate", "lea rbx, [rax+1]", "ret",
                        "upcall_register:", "call rcx", "lea rbx, [rax+1]", "ret",
                        "upcall_memory:", "call QWORD PTR [r8+8]", "lea rbx, [rax+1]", "ret",
                        // A jump with a return address pushed by hand, as a tail call from a function would leave it.
                        "upcall_jump:", "lea r9, [rip+1f]", "push r9", "jmp rcx", "1:", "lea rbx, [rax+1]", "ret",
                        "upcall_tail:", "jmp rcx",
                        "upcall_tail_relative:", "mov edi, 1", "jmp upcall_gate",
                        "upcall_nested:", "call 1f", "lea rbx, [rax+1]", "ret", "1:", "call rcx", "ret",
                        "upcall_loop:", "mov r12d, 3", "xor r13d, r13d", "1:", "mov rdi, r12", "call rcx", "add r13, rax", "dec r12d",
                        "jnz 1b", "ret",
                        "exit_register:", "mov ebx, 5", "jmp rcx",
                        "exit_relative:", "mov ebx, 6", "jmp end_of_code",
                        "exit_call:", "mov ebx, 7", "call rcx", "ud2",
                        "end_of_code:",
                        // The upcall gate lies 16 bytes after the exit gate, which is the first byte after the code.
                        ".set upcall_gate, end_of_code + 16");
        program = GnuBinutils.assembleProgram(lines);
        machine = new X86Machine(null, program.code());
        Arena arena = Arena.ofAuto();
        stack = arena.allocate(4096 * 4, 4096);
        data = arena.allocate(64, 64);
    }

    /** Runs the routine at {@code label} with {@code rcx} and records each host call in {@code upcalls}. A host call returns rdi * 100 + rsi + rdx. */
    private static CpuState run(String label, long rcx, List<Upcall> upcalls) {
        Mmu mmu = new Mmu();
        mmu.addRegion("machine stack", stack, Mmu.PTE_PRESENT | Mmu.PTE_USER | Mmu.PTE_WRITABLE | Mmu.PTE_NO_EXECUTE);
        mmu.addRegion("data", data, Mmu.PTE_PRESENT | Mmu.PTE_USER | Mmu.PTE_NO_EXECUTE);
        machine.mapCode(mmu);
        CpuState state = new CpuState(mmu, (rdi, rsi, rdx) -> {
            upcalls.add(new Upcall(rdi, rsi, rdx));
            return rdi * 100 + rsi + rdx;
        });
        state.setRegister(CpuState.RSP, top());
        state.setRegister(CpuState.RDI, 4);
        state.setRegister(CpuState.RSI, 5);
        state.setRegister(CpuState.RDX, 6);
        state.setRegister(CpuState.RCX, rcx);
        state.setRegister(8, data.address());
        long rax = machine.run(state, machine.codeBase() + program.offset(label));
        assertEquals(rax, state.register(CpuState.RAX), "run's result is RAX");
        return state;
    }

    private static long top() {
        return stack.address() + stack.byteSize();
    }

    @Test
    void directCallToUpcallGateRunsHostCall() {
        List<Upcall> upcalls = new ArrayList<>();
        CpuState state = run("upcall_direct", 0, upcalls);
        assertEquals(List.of(new Upcall(11, 22, 33)), upcalls);
        assertEquals(1155, state.register(CpuState.RAX));
        assertEquals(1156, state.register(CpuState.RBX), "the instruction after the call ran with the result");
        assertEquals(top(), state.register(CpuState.RSP), "RSP after the return to the exit gate");
    }

    @Test
    void indirectCallsToUpcallGateRunHostCall() {
        List<Upcall> upcalls = new ArrayList<>();
        CpuState state = run("upcall_register", machine.upcallGate(), upcalls);
        assertEquals(List.of(new Upcall(4, 5, 6)), upcalls);
        assertEquals(411, state.register(CpuState.RAX));
        assertEquals(412, state.register(CpuState.RBX));

        data.set(JAVA_LONG, 8, machine.upcallGate());
        List<Upcall> fromMemory = new ArrayList<>();
        CpuState memory = run("upcall_memory", 0, fromMemory);
        assertEquals(List.of(new Upcall(4, 5, 6)), fromMemory);
        assertEquals(412, memory.register(CpuState.RBX));
        assertEquals(top(), memory.register(CpuState.RSP));
    }

    @Test
    void jumpToUpcallGate() {
        List<Upcall> upcalls = new ArrayList<>();
        CpuState state = run("upcall_jump", machine.upcallGate(), upcalls);
        assertEquals(List.of(new Upcall(4, 5, 6)), upcalls);
        assertEquals(412, state.register(CpuState.RBX), "the code at the pushed return address ran");
        assertEquals(top(), state.register(CpuState.RSP));

        List<Upcall> tail = new ArrayList<>();
        CpuState tailState = run("upcall_tail", machine.upcallGate(), tail);
        assertEquals(List.of(new Upcall(4, 5, 6)), tail);
        assertEquals(411, tailState.register(CpuState.RAX), "the host call returned to the exit gate");
        assertEquals(top(), tailState.register(CpuState.RSP));

        List<Upcall> relative = new ArrayList<>();
        CpuState relativeState = run("upcall_tail_relative", 0, relative);
        assertEquals(List.of(new Upcall(1, 5, 6)), relative);
        assertEquals(111, relativeState.register(CpuState.RAX));
        assertEquals(top(), relativeState.register(CpuState.RSP));
    }

    @Test
    void upcallFromCalledRegionAndLoop() {
        List<Upcall> upcalls = new ArrayList<>();
        CpuState nested = run("upcall_nested", machine.upcallGate(), upcalls);
        assertEquals(List.of(new Upcall(4, 5, 6)), upcalls);
        assertEquals(412, nested.register(CpuState.RBX));
        assertEquals(top(), nested.register(CpuState.RSP));

        List<Upcall> loop = new ArrayList<>();
        CpuState looped = run("upcall_loop", machine.upcallGate(), loop);
        assertEquals(List.of(new Upcall(3, 5, 6), new Upcall(2, 5, 6), new Upcall(1, 5, 6)), loop);
        assertEquals(311 + 211 + 111, looped.register(13));
    }

    @Test
    void jumpToExitGateEndsRun() {
        CpuState indirect = run("exit_register", machine.exitGate(), new ArrayList<>());
        assertEquals(5, indirect.register(CpuState.RBX));
        assertEquals(top() - 8, indirect.register(CpuState.RSP), "the exit gate that run pushed stays on the stack");

        assertEquals(program.code().length, program.offset("end_of_code"), "end_of_code is the exit gate's offset");
        CpuState relative = run("exit_relative", 0, new ArrayList<>());
        assertEquals(6, relative.register(CpuState.RBX));
        assertEquals(top() - 8, relative.register(CpuState.RSP));
    }

    @Test
    void callToExitGateEndsRun() {
        CpuState state = run("exit_call", machine.exitGate(), new ArrayList<>());
        assertEquals(7, state.register(CpuState.RBX));
        assertEquals(top() - 16, state.register(CpuState.RSP), "the call pushed its return address");
    }
}
