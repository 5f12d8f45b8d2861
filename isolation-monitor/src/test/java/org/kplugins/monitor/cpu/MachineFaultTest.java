// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exceptions of the emulated CPU, raised by machine code that GNU as assembled. They are #GP
 * at the GS segment limit and for a fetch beyond the code segment, and #PF for a page that is
 * not present, not writable or not executable, with the error code and CR2 of each. Then come
 * #UD, #DE, #BP, and a stack that runs below its region. Each test checks the exception's vector, error code,
 * linear address, faulting instruction and access, and that the instructions before the
 * faulting one took effect.
 *
 * <p>Memory layout: a data region of two pages with a third, unmapped page after it (never
 * present to the MMU), GS over the first 512 bytes of the data region, a read-only page, and a
 * machine stack of four pages.
 */
class MachineFaultTest {

    private static final long PAGE = 4096;
    private static final long GS_LIMIT = 0x1FF;
    private static final int USER = X86Exception.PF_USER;
    private static final int WRITE = X86Exception.PF_WRITE;
    private static final int PRESENT = X86Exception.PF_PRESENT;
    private static final int FETCH = X86Exception.PF_FETCH;

    private static GnuBinutils.Program program;
    private static X86Machine machine;
    private static MemorySegment data;
    private static MemorySegment readOnly;
    private static MemorySegment stack;

    @BeforeAll
    static void assemble() {
        List<String> lines = new ArrayList<>();
        // GS limit: a store and a register write before the faulting access.
        lines.addAll(List.of("gs_read32:", "mov DWORD PTR gs:[0x10], 0x11223344", "mov ebx, 0x5555", "gs_read32_at:",
                        "mov eax, DWORD PTR gs:[rcx]", "ret"));
        lines.addAll(List.of("gs_read8:", "gs_read8_at:", "mov al, BYTE PTR gs:[rcx]", "ret"));
        lines.addAll(List.of("gs_write64:", "gs_write64_at:", "mov QWORD PTR gs:[rcx+8], rax", "ret"));
        // Segments other than GS: FS is a null selector and CS execute-only.
        lines.addAll(List.of("fs_read:", "fs_read_at:", "mov eax, DWORD PTR fs:[rcx]", "ret"));
        lines.addAll(List.of("cs_read:", "cs_read_at:", "mov eax, DWORD PTR cs:[rcx]", "ret"));
        lines.addAll(List.of("code_write:", "code_write_at:", "mov DWORD PTR [rip+code_write], eax", "ret"));
        // Paging.
        lines.addAll(List.of("load64:", "mov QWORD PTR [rdx], rdx", "mov ebx, 0x77", "load64_at:", "mov rax, QWORD PTR [rcx]", "ret"));
        lines.addAll(List.of("store64:", "store64_at:", "mov QWORD PTR [rcx], rax", "ret"));
        // Read-modify-write instructions after a cmp of 0 with 1, which leaves CF, PF and SF.
        for (String op : List.of("add DWORD PTR [rcx], eax", "neg DWORD PTR [rcx]", "shl DWORD PTR [rcx], 1", "inc DWORD PTR [rcx]")) {
            String name = op.substring(0, op.indexOf(' '));
            lines.addAll(List.of(name + "_memory:", "mov ebx, 0", "cmp ebx, 1", name + "_memory_at:", op, "ret"));
        }
        lines.addAll(List.of("jump:", "jump_at:", "jmp rcx"));
        lines.addAll(List.of("call:", "mov ebx, 0x99", "call_at:", "call rcx", "ret"));
        // Relative branches 1 MiB ahead, beyond the code segment.
        lines.addAll(List.of("far_jump:", "far_jump_at:", ".byte 0xe9", ".long 0x100000"));
        lines.addAll(List.of("far_call:", "far_call_at:", ".byte 0xe8", ".long 0x100000", "ret"));
        // Invalid opcodes.
        lines.addAll(List.of("undefined:", "mov DWORD PTR [rdx], 7", "undefined_at:", "ud2"));
        lines.addAll(List.of("locked:", "mov ebx, 9", "locked_at:", "lock add DWORD PTR [rdx], eax", "ret"));
        lines.addAll(List.of("pushf:", "pushf_at:", "pushfq", "ret"));
        lines.addAll(List.of("syscall:", "syscall_at:", "syscall", "ret"));
        // Thirteen operand-size prefixes and add ax, imm16: 16 bytes, one more than an instruction may have.
        lines.addAll(List.of("too_long:", "too_long_at:", ".byte " + "0x66, ".repeat(13) + "0x05, 0x01, 0x00", "ret"));
        lines.addAll(List.of("breakpoint:", "mov ebx, 3", "breakpoint_at:", "int3", "ret"));
        // Divide errors.
        for (String name : List.of("div", "idiv")) {
            lines.addAll(List.of(name + "8:", name + "8_at:", name + " cl", "ret"));
            lines.addAll(List.of(name + "16:", name + "16_at:", name + " WORD PTR [rcx]", "ret"));
            lines.addAll(List.of(name + "32:", "mov ebx, 0x32", name + "32_at:", name + " ecx", "ret"));
            lines.addAll(List.of(name + "64:", name + "64_at:", name + " rcx", "ret"));
        }
        // A fault in a called region: the caller wrote RBX, the callee RSI.
        lines.addAll(List.of("nested:", "mov ebx, 1", "call 1f", "ret", "1:", "mov esi, 2", "nested_at:", "mov eax, DWORD PTR gs:[rcx]",
                        "ret"));
        // The stack.
        lines.addAll(List.of("push_below:", "mov QWORD PTR [rsp], rbx", "push_below_at:", "push rax", "pop rax", "ret"));
        lines.addAll(List.of("call_below:", "call_below_at:", "call 1f", "1:", "ret"));
        // Last, so that it runs into the gates after the code.
        lines.addAll(List.of("falls_off:", "mov ebx, 0x0ff", "nop"));
        program = GnuBinutils.assembleProgram(lines);
        machine = new X86Machine(null, program.code());

        Arena arena = Arena.ofAuto();
        data = arena.allocate(3 * PAGE, PAGE);
        readOnly = arena.allocate(PAGE, PAGE);
        stack = arena.allocate(4 * PAGE, PAGE);
    }

    /** Returns a new MMU over the data region's first two pages, the read-only page, the stack and the code, with GS over 512 data bytes. */
    private static Mmu mmu() {
        Mmu mmu = new Mmu();
        mmu.addRegion("data", data.asSlice(0, 2 * PAGE), Mmu.PTE_PRESENT | Mmu.PTE_USER | Mmu.PTE_WRITABLE | Mmu.PTE_NO_EXECUTE);
        mmu.addRegion("read-only", readOnly, Mmu.PTE_PRESENT | Mmu.PTE_USER | Mmu.PTE_NO_EXECUTE);
        mmu.addRegion("machine stack", stack, Mmu.PTE_PRESENT | Mmu.PTE_USER | Mmu.PTE_WRITABLE | Mmu.PTE_NO_EXECUTE);
        machine.mapCode(mmu);
        mmu.setGs(new SegmentDescriptor(data.address(), GS_LIMIT, SegmentDescriptor.Type.DATA_READ_WRITE));
        return mmu;
    }

    /** Zeroes the data region and returns a CPU whose RSP is the stack top, RDX points to the data region, and RCX is {@code rcx}. */
    private static CpuState cpu(Mmu mmu, long rcx) {
        data.fill((byte) 0);
        CpuState state = new CpuState(mmu, (rdi, rsi, rdx) -> {
            throw new AssertionError("the routine made a host call");
        });
        state.setRegister(CpuState.RSP, stack.address() + stack.byteSize());
        state.setRegister(CpuState.RDX, data.address());
        state.setRegister(CpuState.RCX, rcx);
        return state;
    }

    private static long entry(String label) {
        return machine.codeBase() + program.offset(label);
    }

    private static X86Exception fault(CpuState state, String label) {
        return assertThrows(X86Exception.class, () -> machine.run(state, entry(label)), label + " should raise an exception");
    }

    /** Asserts every field of {@code e}. {@code at} is the label of the faulting instruction. */
    private static void assertException(X86Exception e, int vector, int errorCode, long linearAddress, String at, long accessOffset,
                    int accessSize) {
        assertException(e, vector, errorCode, linearAddress, program.offset(at), accessOffset, accessSize);
    }

    private static void assertException(X86Exception e, int vector, int errorCode, long linearAddress, long instructionOffset,
                    long accessOffset, int accessSize) {
        assertAll(e.getMessage(),
                        () -> assertEquals(vector, e.vector(), "vector"),
                        () -> assertEquals(hex(errorCode), hex(e.errorCode()), "error code"),
                        () -> assertEquals(hex(linearAddress), hex(e.linearAddress()), "linear address"),
                        () -> assertEquals(hex(instructionOffset), hex(e.instructionOffset()), "instruction offset"),
                        () -> assertEquals(hex(accessOffset), hex(e.accessOffset()), "access offset"),
                        () -> assertEquals(accessSize, e.accessSize(), "access size"));
    }

    private static String hex(long value) {
        return String.format(Locale.ROOT, "0x%x", value);
    }

    // ---- Segment limit ----

    @Test
    void gsReadEndingAtLimitSucceeds() {
        CpuState state = cpu(mmu(), GS_LIMIT - 3);
        data.set(JAVA_INT_UNALIGNED, GS_LIMIT - 3, 0xCAFEF00D);
        machine.run(state, entry("gs_read32"));
        assertEquals(0xCAFEF00DL, state.register(CpuState.RAX));
    }

    @Test
    void gsReadStraddlingLimitRaisesGp() {
        CpuState state = cpu(mmu(), GS_LIMIT - 2);
        X86Exception e = fault(state, "gs_read32");
        assertException(e, X86Exception.GENERAL_PROTECTION, 0, data.address() + GS_LIMIT - 2, "gs_read32_at", GS_LIMIT - 2, 4);
        assertEquals(0x11223344, data.get(JAVA_INT_UNALIGNED, 0x10), "the store before the faulting read");
        assertEquals(0x5555, state.register(CpuState.RBX), "RBX, written before the faulting read");
    }

    @Test
    void gsReadBeyondLimitRaisesGp() {
        X86Exception e = fault(cpu(mmu(), GS_LIMIT + 1), "gs_read32");
        assertException(e, X86Exception.GENERAL_PROTECTION, 0, data.address() + GS_LIMIT + 1, "gs_read32_at", GS_LIMIT + 1, 4);
    }

    @Test
    void gsReadWrappingAroundRaisesGp() {
        X86Exception e = fault(cpu(mmu(), -2), "gs_read32");
        assertException(e, X86Exception.GENERAL_PROTECTION, 0, data.address() - 2, "gs_read32_at", -2, 4);
    }

    @Test
    void gsByteAtLimit() {
        CpuState state = cpu(mmu(), GS_LIMIT);
        data.set(JAVA_BYTE, GS_LIMIT, (byte) 0x5A);
        machine.run(state, entry("gs_read8"));
        assertEquals(0x5A, state.register(CpuState.RAX) & 0xFF);

        X86Exception e = fault(cpu(mmu(), GS_LIMIT + 1), "gs_read8");
        assertException(e, X86Exception.GENERAL_PROTECTION, 0, data.address() + GS_LIMIT + 1, "gs_read8_at", GS_LIMIT + 1, 1);
    }

    @Test
    void gsWriteStraddlingLimitWritesNothing() {
        CpuState ok = cpu(mmu(), GS_LIMIT - 15);
        ok.setRegister(CpuState.RAX, 0x0102030405060708L);
        machine.run(ok, entry("gs_write64"));
        assertEquals(0x0102030405060708L, data.get(JAVA_LONG_UNALIGNED, GS_LIMIT - 7));

        CpuState state = cpu(mmu(), GS_LIMIT - 14);
        state.setRegister(CpuState.RAX, -1);
        X86Exception e = fault(state, "gs_write64");
        assertException(e, X86Exception.GENERAL_PROTECTION, 0, data.address() + GS_LIMIT - 6, "gs_write64_at", GS_LIMIT - 6, 8);
        assertEquals(0, data.get(JAVA_LONG_UNALIGNED, GS_LIMIT - 6), "bytes of the faulting write inside the limit");
    }

    @Test
    void faultInCalledRegionKeepsRegistersOfBoth() {
        CpuState state = cpu(mmu(), GS_LIMIT + 1);
        X86Exception e = fault(state, "nested");
        assertException(e, X86Exception.GENERAL_PROTECTION, 0, data.address() + GS_LIMIT + 1, "nested_at", GS_LIMIT + 1, 4);
        assertEquals(1, state.register(CpuState.RBX), "RBX, written by the caller");
        assertEquals(2, state.register(CpuState.RSI), "RSI, written by the callee");
        assertEquals(stack.address() + stack.byteSize() - 16, state.register(CpuState.RSP), "RSP below two return addresses");
    }

    @Test
    void fsAndCsReadsRaiseGp() {
        X86Exception fs = fault(cpu(mmu(), 0x40), "fs_read");
        assertException(fs, X86Exception.GENERAL_PROTECTION, 0, 0x40, "fs_read_at", 0x40, 4);
        long code = machine.codeBase() + program.offset("fs_read");
        X86Exception cs = fault(cpu(mmu(), code), "cs_read");
        assertException(cs, X86Exception.GENERAL_PROTECTION, 0, code, "cs_read_at", code, 4);
    }

    @Test
    void writeToCodeRaisesPf() {
        long code = machine.codeBase() + program.offset("code_write");
        X86Exception e = fault(cpu(mmu(), 0), "code_write");
        assertException(e, X86Exception.PAGE_FAULT, PRESENT | WRITE | USER, code, "code_write_at", code, 4);
    }

    // ---- Paging ----

    @Test
    void readOfMissingPage() {
        long address = data.address() + 2 * PAGE + 0x18;
        CpuState state = cpu(mmu(), address);
        X86Exception e = fault(state, "load64");
        assertException(e, X86Exception.PAGE_FAULT, USER, address, "load64_at", address, 8);
        assertEquals(data.address(), data.get(JAVA_LONG_UNALIGNED, 0), "the store before the faulting read");
        assertEquals(0x77, state.register(CpuState.RBX), "RBX, written before the faulting read");
    }

    @Test
    void writeOfMissingPage() {
        long address = data.address() + 2 * PAGE;
        X86Exception e = fault(cpu(mmu(), address), "store64");
        assertException(e, X86Exception.PAGE_FAULT, USER | WRITE, address, "store64_at", address, 8);
    }

    @Test
    void readOfUnmappedLowAddressRaisesPf() {
        X86Exception e = fault(cpu(mmu(), 0x1000), "load64");
        assertException(e, X86Exception.PAGE_FAULT, USER, 0x1000, "load64_at", 0x1000, 8);
    }

    @Test
    void straddlingAccessFaultsAtSecondPage() {
        long address = data.address() + 2 * PAGE - 4;
        X86Exception read = fault(cpu(mmu(), address), "load64");
        assertException(read, X86Exception.PAGE_FAULT, USER, data.address() + 2 * PAGE, "load64_at", address, 8);

        CpuState state = cpu(mmu(), address);
        state.setRegister(CpuState.RAX, -1);
        X86Exception write = fault(state, "store64");
        assertException(write, X86Exception.PAGE_FAULT, USER | WRITE, data.address() + 2 * PAGE, "store64_at", address, 8);
        assertEquals(0, data.get(JAVA_INT_UNALIGNED, 2 * PAGE - 4), "bytes of the faulting write on the present page");
    }

    @Test
    void writeOfReadOnlyPage() {
        long address = readOnly.address() + 0x40;
        readOnly.set(JAVA_INT_UNALIGNED, 0x40, 1000);
        CpuState load = cpu(mmu(), address);
        machine.run(load, entry("load64"));
        assertEquals(1000, load.register(CpuState.RAX), "a read of the read-only page");

        X86Exception e = fault(cpu(mmu(), address), "store64");
        assertException(e, X86Exception.PAGE_FAULT, PRESENT | WRITE | USER, address, "store64_at", address, 8);

    }

    @Test
    void faultingWriteKeepsFlags() {
        long address = readOnly.address() + 0x40;
        readOnly.set(JAVA_INT_UNALIGNED, 0x40, 1000);
        for (String op : List.of("add", "neg", "shl", "inc")) {
            CpuState state = cpu(mmu(), address);
            state.setRegister(CpuState.RAX, -1000);
            X86Exception e = fault(state, op + "_memory");
            assertException(e, X86Exception.PAGE_FAULT, PRESENT | WRITE | USER, address, op + "_memory_at", address, 4);
            assertEquals(1000, readOnly.get(JAVA_INT_UNALIGNED, 0x40), "the read-only page after the faulting " + op);
            assertEquals(Differential.flagNames(Flags.CF | Flags.PF | Flags.SF), Differential.flagNames((int) state.flags()),
                            "flags after the faulting " + op + ": those of the cmp before it");
        }
    }

    // ---- Fetches ----

    @Test
    void jumpIntoDataRaisesGp() {
        long target = data.address() + 0x100;
        X86Exception jump = fault(cpu(mmu(), target), "jump");
        // A jump leaves its translated region, so the run loop makes the fetch and does not know the jump's offset.
        assertException(jump, X86Exception.GENERAL_PROTECTION, 0, target, -1, target - machine.codeBase(), 1);

        X86Exception call = fault(cpu(mmu(), target), "call");
        assertException(call, X86Exception.GENERAL_PROTECTION, 0, target, "call_at", target - machine.codeBase(), 1);
    }

    @Test
    void jumpIntoNoExecutePage() {
        long target = data.address() + 0x100;
        Mmu mmu = mmu();
        // A code segment over the whole linear space, so that the page's no-execute bit refuses the fetch, not the limit.
        mmu.setCodeSegment(new SegmentDescriptor(machine.codeBase(), -1L, SegmentDescriptor.Type.CODE_EXECUTE_ONLY));
        X86Exception jump = fault(cpu(mmu, target), "jump");
        assertException(jump, X86Exception.PAGE_FAULT, PRESENT | USER | FETCH, target, -1, target - machine.codeBase(), 1);

        CpuState state = cpu(mmu, target);
        X86Exception call = fault(state, "call");
        assertException(call, X86Exception.PAGE_FAULT, PRESENT | USER | FETCH, target, "call_at", target - machine.codeBase(), 1);
        assertEquals(0x99, state.register(CpuState.RBX), "RBX, written before the call");
    }

    @Test
    void callIntoMissingPage() {
        long target = data.address() + 2 * PAGE + 8;
        Mmu mmu = mmu();
        mmu.setCodeSegment(new SegmentDescriptor(machine.codeBase(), -1L, SegmentDescriptor.Type.CODE_EXECUTE_ONLY));
        X86Exception e = fault(cpu(mmu, target), "call");
        assertException(e, X86Exception.PAGE_FAULT, USER | FETCH, target, "call_at", target - machine.codeBase(), 1);
    }

    @Test
    void branchBeyondCodeSegmentRaisesGp() {
        long code = program.code().length;
        long gates = machine.upcallGate() + 16 - machine.codeBase();
        long jumpTarget = program.offset("far_jump") + 5 + 0x100000;
        X86Exception jump = fault(cpu(mmu(), 0), "far_jump");
        assertException(jump, X86Exception.GENERAL_PROTECTION, 0, machine.codeBase() + jumpTarget, -1, jumpTarget, 1);

        long callTarget = program.offset("far_call") + 5 + 0x100000;
        X86Exception call = fault(cpu(mmu(), 0), "far_call");
        assertException(call, X86Exception.GENERAL_PROTECTION, 0, machine.codeBase() + callTarget, "far_call_at", callTarget, 1);

        // The first byte after the gates is the first beyond the limit.
        X86Exception indirect = fault(cpu(mmu(), machine.codeBase() + gates), "jump");
        assertException(indirect, X86Exception.GENERAL_PROTECTION, 0, machine.codeBase() + gates, -1, gates, 1);
        assertEquals(code + 32, gates, "the code segment ends 32 bytes after the code");
    }

    @Test
    void codeRunningIntoGatesRaisesUd() {
        CpuState state = cpu(mmu(), 0);
        X86Exception e = fault(state, "falls_off");
        assertException(e, X86Exception.INVALID_OPCODE, 0, 0, program.code().length, 0, 0);
        assertEquals(0xFF, state.register(CpuState.RBX), "RBX, written before the gate");
    }

    // ---- Invalid opcodes and breakpoints ----

    @Test
    void ud2RaisesUd() {
        X86Exception e = fault(cpu(mmu(), 0), "undefined");
        assertException(e, X86Exception.INVALID_OPCODE, 0, 0, "undefined_at", 0, 0);
        assertEquals(7, data.get(JAVA_INT_UNALIGNED, 0), "the store before ud2");
    }

    @Test
    void bytesTheDecoderRejectsRaiseUd() {
        CpuState state = cpu(mmu(), 0);
        X86Exception locked = fault(state, "locked");
        assertException(locked, X86Exception.INVALID_OPCODE, 0, 0, "locked_at", 0, 0);
        assertEquals(0, data.get(JAVA_INT_UNALIGNED, 0), "memory that the rejected lock add names");
        assertEquals(9, state.register(CpuState.RBX), "RBX, written before the lock prefix");

        assertException(fault(cpu(mmu(), 0), "pushf"), X86Exception.INVALID_OPCODE, 0, 0, "pushf_at", 0, 0);
        assertException(fault(cpu(mmu(), 0), "syscall"), X86Exception.INVALID_OPCODE, 0, 0, "syscall_at", 0, 0);
    }

    @Test
    void instructionLongerThanFifteenBytesRaisesGp() {
        X86Exception e = fault(cpu(mmu(), 0), "too_long");
        assertException(e, X86Exception.GENERAL_PROTECTION, 0, 0, "too_long_at", 0, 0);
    }

    @Test
    void int3RaisesBp() {
        CpuState state = cpu(mmu(), 0);
        X86Exception e = fault(state, "breakpoint");
        assertException(e, X86Exception.BREAKPOINT, 0, 0, "breakpoint_at", 0, 0);
        assertEquals(3, state.register(CpuState.RBX), "RBX, written before int3");
    }

    // ---- Divide errors ----

    private static X86Exception divideError(String label, long rax, long rdx, long rcx) {
        CpuState state = cpu(mmu(), rcx);
        state.setRegister(CpuState.RAX, rax);
        state.setRegister(CpuState.RDX, rdx);
        X86Exception e = fault(state, label);
        assertException(e, X86Exception.DIVIDE_ERROR, 0, 0, label + "_at", 0, 0);
        return e;
    }

    @Test
    void zeroDivisorRaisesDe() {
        for (String op : List.of("div", "idiv")) {
            assertEquals(0, divideError(op + "8", 0x1234, 0, 0).divisor(), op + " cl");
            assertEquals(0, divideError(op + "32", 7, 0, 0xFFFF_FFFF_0000_0000L).divisor(), op + " ecx");
            assertEquals(0, divideError(op + "64", 7, 0, 0).divisor(), op + " rcx");
        }
    }

    @Test
    void zeroDivisorInMemoryRaisesDe() {
        CpuState state = cpu(mmu(), 0);
        state.setRegister(CpuState.RCX, data.address() + 0x20);
        X86Exception e = fault(state, "div16");
        assertException(e, X86Exception.DIVIDE_ERROR, 0, 0, "div16_at", 0, 0);
        assertEquals(0, e.divisor());
    }

    @Test
    void signedMinimumByMinusOneRaisesDe() {
        // The divisor is the operand's bits, zero-extended from the operand size.
        assertEquals(0xFF, divideError("idiv8", 0x8000, 0, -1).divisor(), "idiv cl");
        CpuState state = cpu(mmu(), 0xFFFF_FFFFL);
        state.setRegister(CpuState.RAX, 0x8000_0000L);
        state.setRegister(CpuState.RDX, 0xFFFF_FFFFL);
        X86Exception e = fault(state, "idiv32");
        assertException(e, X86Exception.DIVIDE_ERROR, 0, 0, "idiv32_at", 0, 0);
        assertEquals(0xFFFF_FFFFL, e.divisor(), "idiv ecx");
        assertEquals(0x8000_0000L, state.register(CpuState.RAX), "RAX after the divide error");
        assertEquals(0x32, state.register(CpuState.RBX), "RBX, written before the division");
        assertEquals(-1L, divideError("idiv64", Long.MIN_VALUE, -1, -1).divisor(), "idiv rcx");
    }

    @Test
    void quotientOverflowRaisesDe() {
        assertEquals(0x10, divideError("div8", 0x1000, 0, 0x10).divisor(), "div cl: 0x1000 / 0x10 is 0x100");
        assertEquals(2, divideError("idiv8", 0x0100, 0, 2).divisor(), "idiv cl: 256 / 2 is 128");
        assertEquals(5, divideError("div32", 0, 5, 5).divisor(), "div ecx with EDX equal to the divisor");
        // 128-bit dividends.
        assertEquals(5, divideError("div64", 0, 5, 5).divisor(), "div rcx with RDX equal to the divisor");
        assertEquals(0x10, divideError("div64", 0, 0x10, 0x10).divisor(), "div rcx: 2^68 / 16 is 2^64");
        assertEquals(1, divideError("idiv64", Long.MIN_VALUE, 0, 1).divisor(), "idiv rcx: 2^63 / 1");
        assertEquals(2, divideError("idiv64", 0, 1, 2).divisor(), "idiv rcx: 2^64 / 2 is 2^63");
        assertEquals(2, divideError("idiv64", -2, -2, 2).divisor(), "idiv rcx: (-2^64 - 2) / 2 is -2^63 - 1");
        assertEquals(-2L, divideError("idiv64", 2, 1, -2).divisor(), "idiv rcx: (2^64 + 2) / -2 is -2^63 - 1");
    }

    // ---- The stack ----

    @Test
    void pushBelowStackRaisesPfWithWriteBit() {
        CpuState state = cpu(mmu(), 0);
        // Run pushes the exit gate at the region's first byte, so the routine's push is the first below it.
        state.setRegister(CpuState.RSP, stack.address() + 8);
        state.setRegister(CpuState.RBX, 0x1234);
        X86Exception e = fault(state, "push_below");
        long below = stack.address() - 8;
        assertException(e, X86Exception.PAGE_FAULT, USER | WRITE, below, "push_below_at", below, 8);
        assertEquals(0x1234, stack.get(JAVA_LONG_UNALIGNED, 0), "the store before the push");
        assertEquals(stack.address(), state.register(CpuState.RSP), "RSP after the faulting push");
    }

    @Test
    void callBelowStackRaisesPfWithWriteBit() {
        CpuState state = cpu(mmu(), 0);
        state.setRegister(CpuState.RSP, stack.address() + 8);
        X86Exception e = fault(state, "call_below");
        long below = stack.address() - 8;
        assertException(e, X86Exception.PAGE_FAULT, USER | WRITE, below, "call_below_at", below, 8);
    }

    @Test
    void runWithoutStackRaisesPf() {
        CpuState state = cpu(mmu(), 0);
        state.setRegister(CpuState.RSP, stack.address());
        X86Exception e = assertThrows(X86Exception.class, () -> machine.run(state, entry("push_below")));
        assertException(e, X86Exception.PAGE_FAULT, USER | WRITE, stack.address() - 8, -1, stack.address() - 8, 8);
    }
}
