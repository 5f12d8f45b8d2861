// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.fail;

import com.oracle.truffle.api.CallTarget;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.ToIntFunction;

/**
 * Differential testing of the emulated CPU against the host processor. Each {@link Form} is a
 * few instructions under test, wrapped by {@link #routine} into a routine that loads every
 * register from a state block, runs them, and stores every register and the flags back. A
 * {@link Session} assembles all routines of a test class with one GNU as run, then runs each
 * routine with many inputs natively and on {@link X86Machine}, and compares the blocks and a
 * data buffer that memory operands point into.
 *
 * <p>The routine saves the flags with setcc rather than pushfq, because the emulator does not
 * decode pushfq: the same bytes must run on both CPUs. On the emulator, the test also compares
 * {@link CpuState#flags()} after the run, so both the lazy conditions and the packed flags are
 * checked.
 */
final class Differential {

    static final String[] GPR64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12",
        "r13", "r14", "r15"};
    static final int FLAG_MASK = Flags.CF | Flags.PF | Flags.ZF | Flags.SF | Flags.OF;

    // State block layout, in bytes.
    private static final int GPR_AT = 0;
    private static final int XMM_AT = 128;
    private static final int XMM_STRIDE = 16;
    private static final int FLAG_A_AT = 384;
    private static final int FLAG_B_AT = 392;
    /** The flags after the body, one byte each (0 or 1): OF, CF, ZF, SF, PF. */
    private static final int FLAGS_OUT_AT = 400;
    private static final int[] FLAG_ORDER = {Flags.OF, Flags.CF, Flags.ZF, Flags.SF, Flags.PF};
    private static final String[] FLAG_SETCC = {"seto", "setc", "sete", "sets", "setp"};
    private static final int BLOCK_BYTES = 512;

    /** Bytes of the data buffer that pointer registers address. */
    static final int DATA_BYTES = 512;
    /** Lowest and highest data offset a pointer register gets, so that displacements of -64 to 64 and an index stay inside. */
    static final int POINTER_LOW = 192;
    static final int POINTER_HIGH = 256;

    private static final int STACK_BYTES = 64 << 10;

    private Differential() {
    }

    /**
     * Instructions under test and how to make and judge their inputs.
     *
     * @param label        the routine's label, unique in the program
     * @param body         the instructions, Intel syntax
     * @param constrain    adjusts random inputs: points memory operands' registers into the data
     *                     buffer, keeps divisions from faulting, and the like
     * @param definedFlags returns which of CF, PF, ZF, SF and OF the instructions define for an
     *                     input. Flags the Intel SDM calls undefined are not compared.
     */
    record Form(String label, List<String> body, BiConsumer<Input, InputSource> constrain, ToIntFunction<Input> definedFlags) {

        String text() {
            return String.join("; ", body);
        }
    }

    /** The registers, flags and data buffer before a routine runs. Registers in {@code pointers} hold data buffer offsets. */
    static final class Input {
        final long[] gpr = new long[16];
        final long[] xmm = new long[16];
        long flagA;
        long flagB;
        final byte[] data = new byte[DATA_BYTES];
        int pointers;

        /** Makes register {@code number} point {@code offset} bytes into the data buffer. */
        void point(int number, long offset) {
            gpr[number] = offset;
            pointers |= 1 << number;
        }

        /** Writes {@code size} bytes of {@code value} at data offset {@code offset}, little-endian. */
        void store(long offset, int size, long value) {
            for (int i = 0; i < size; i++) {
                data[(int) offset + i] = (byte) (value >>> (8 * i));
            }
        }

        /** Returns the flags the prelude's {@code add} of flagA and flagB leaves. */
        int flagsIn() {
            long r = flagA + flagB;
            return (int) Flags.packed(Flags.kind(Flags.ADD, 8), flagA, flagB, r);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                if (i != CpuState.RSP) {
                    text.append(String.format(Locale.ROOT, " %s=%s%x", GPR64[i], (pointers & 1 << i) != 0 ? "data+0x" : "0x", gpr[i]));
                }
            }
            text.append(String.format(Locale.ROOT, " flags-in=add(0x%x,0x%x)", flagA, flagB));
            for (int i = 0; i < 16; i++) {
                text.append(String.format(Locale.ROOT, " xmm%d=0x%x", i, xmm[i]));
            }
            return text.toString().trim();
        }
    }

    /** The registers, flags and data buffer after a routine ran. */
    record Result(long[] gpr, long[] xmm, int flags, byte[] data) {
    }

    /**
     * Returns the lines of a routine at {@code label} that runs {@code body} between the state
     * block's load and store. With {@code separateBody}, the body is a subroutine at
     * {@code label_body} that the routine calls, so that the emulator translates it into a region
     * of its own.
     */
    static List<String> routine(String label, List<String> body, boolean separateBody) {
        List<String> lines = new ArrayList<>();
        lines.add(".balign 16");
        lines.add(label + ":");
        // Callee-saved registers of the System V ABI, for the native call.
        for (String register : List.of("rbx", "rbp", "r12", "r13", "r14", "r15")) {
            lines.add("push " + register);
        }
        lines.add("push rdi");
        for (int i = 0; i < 16; i++) {
            lines.add("movsd xmm" + i + ", QWORD PTR [rdi+" + (XMM_AT + XMM_STRIDE * i) + "]");
        }
        // The input flags come from an add, because the emulator decodes no popfq. The movs after it keep them.
        lines.add("mov rax, QWORD PTR [rdi+" + FLAG_A_AT + "]");
        lines.add("add rax, QWORD PTR [rdi+" + FLAG_B_AT + "]");
        for (int i = 0; i < 16; i++) {
            if (i != CpuState.RSP && i != CpuState.RDI) {
                lines.add("mov " + GPR64[i] + ", QWORD PTR [rdi+" + (GPR_AT + 8 * i) + "]");
            }
        }
        lines.add("mov rdi, QWORD PTR [rdi+" + (GPR_AT + 8 * CpuState.RDI) + "]");
        if (separateBody) {
            lines.add("call " + label + "_body");
        } else {
            lines.addAll(body);
        }
        // The block address comes back from the stack, and the routine's RDI goes there. xchg changes no flags.
        lines.add("xchg rdi, QWORD PTR [rsp]");
        for (int i = 0; i < FLAG_SETCC.length; i++) {
            lines.add(FLAG_SETCC[i] + " BYTE PTR [rdi+" + (FLAGS_OUT_AT + i) + "]");
        }
        for (int i = 0; i < 16; i++) {
            if (i != CpuState.RSP && i != CpuState.RDI) {
                lines.add("mov QWORD PTR [rdi+" + (GPR_AT + 8 * i) + "], " + GPR64[i]);
            }
        }
        lines.add("pop rax");
        lines.add("mov QWORD PTR [rdi+" + (GPR_AT + 8 * CpuState.RDI) + "], rax");
        for (int i = 0; i < 16; i++) {
            lines.add("movsd QWORD PTR [rdi+" + (XMM_AT + XMM_STRIDE * i) + "], xmm" + i);
        }
        for (String register : List.of("r15", "r14", "r13", "r12", "rbp", "rbx")) {
            lines.add("pop " + register);
        }
        lines.add("ret");
        if (separateBody) {
            lines.add(label + "_body:");
            lines.addAll(body);
            lines.add("ret");
        }
        return lines;
    }

    /** Returns the routines of all {@code forms}, for one assembler run. */
    static List<String> program(List<Form> forms, boolean separateBodies) {
        List<String> lines = new ArrayList<>();
        for (Form form : forms) {
            lines.addAll(routine(form.label(), form.body(), separateBodies));
        }
        return lines;
    }

    /**
     * The routines of one test class, installed on the host processor and on an emulated CPU. The
     * state block and the data buffer are native memory that both CPUs use at the same
     * addresses: the emulated MMU maps host memory one to one.
     */
    static final class Session {
        private final GnuBinutils.Program program;
        private final HostProcessor host;
        private final X86Machine machine;
        private final MemorySegment block;
        private final MemorySegment data;
        private final MemorySegment stack;
        private final Mmu mmu;
        private int emulatedRuns;

        Session(List<Form> forms) {
            this(forms, false);
        }

        /** Installs the routines of {@code forms}. With {@code separateBodies}, each calls its body as a subroutine. */
        Session(List<Form> forms, boolean separateBodies) {
            this.program = GnuBinutils.assembleProgram(program(forms, separateBodies));
            this.host = new HostProcessor(program.code());
            this.machine = new X86Machine(null, program.code());
            Arena arena = Arena.ofAuto();
            this.block = arena.allocate(BLOCK_BYTES, 64);
            this.data = arena.allocate(DATA_BYTES, 64);
            this.stack = arena.allocate(STACK_BYTES, 4096);
            this.mmu = new Mmu();
            int rw = Mmu.PTE_PRESENT | Mmu.PTE_USER | Mmu.PTE_WRITABLE | Mmu.PTE_NO_EXECUTE;
            mmu.addRegion("state block", block, rw);
            mmu.addRegion("data", data, rw);
            mmu.addRegion("machine stack", stack, rw);
            machine.mapCode(mmu);
        }

        /** Returns the translated region of the form's body subroutine, in a session with separate bodies. */
        CallTarget bodyRegion(Form form) {
            CpuState state = new CpuState(mmu, null);
            return machine.regionAt(state, machine.codeBase() + program.offset(form.label() + "_body"), -1);
        }

        /** Returns how many routine runs the emulated CPU has made. */
        int emulatedRuns() {
            return emulatedRuns;
        }

        private void prepare(Input input) {
            block.fill((byte) 0x5A);
            for (int i = 0; i < 16; i++) {
                long value = input.gpr[i];
                if ((input.pointers & 1 << i) != 0) {
                    value += data.address();
                }
                block.set(JAVA_LONG, GPR_AT + 8 * i, value);
                block.set(JAVA_LONG, XMM_AT + XMM_STRIDE * i, input.xmm[i]);
            }
            block.set(JAVA_LONG, FLAG_A_AT, input.flagA);
            block.set(JAVA_LONG, FLAG_B_AT, input.flagB);
            MemorySegment.copy(input.data, 0, data, JAVA_BYTE, 0, DATA_BYTES);
        }

        private Result result() {
            long[] gpr = new long[16];
            long[] xmm = new long[16];
            for (int i = 0; i < 16; i++) {
                gpr[i] = block.get(JAVA_LONG, GPR_AT + 8 * i);
                xmm[i] = block.get(JAVA_LONG, XMM_AT + XMM_STRIDE * i);
            }
            int flags = 0;
            for (int i = 0; i < FLAG_ORDER.length; i++) {
                byte bit = block.get(JAVA_BYTE, FLAGS_OUT_AT + i);
                if (bit != 0 && bit != 1) {
                    fail("setcc stored " + bit + " for a flag; the routine's epilogue did not run as written");
                }
                flags |= bit == 1 ? FLAG_ORDER[i] : 0;
            }
            return new Result(gpr, xmm, flags, data.toArray(JAVA_BYTE));
        }

        Result runNative(Form form, Input input) {
            prepare(input);
            host.call(program.offset(form.label()), block.address());
            return result();
        }

        /** Runs the form's routine on the emulated CPU and returns its result, with {@link CpuState#flags()} in {@code packedFlags[0]}. */
        Result runEmulated(Form form, Input input, long[] packedFlags) {
            prepare(input);
            CpuState state = new CpuState(mmu, (rdi, rsi, rdx) -> {
                throw new AssertionError("the routine made a host call");
            });
            state.setRegister(CpuState.RDI, block.address());
            state.setRegister(CpuState.RSP, stack.address() + stack.byteSize());
            machine.run(state, machine.codeBase() + program.offset(form.label()));
            emulatedRuns++;
            if (state.register(CpuState.RSP) != stack.address() + stack.byteSize()) {
                fail("the routine of " + form.text() + " returned with RSP 0x" + Long.toHexString(state.register(CpuState.RSP))
                                + ", not at the stack top");
            }
            packedFlags[0] = state.flags();
            return result();
        }

        /**
         * Runs {@code form} with {@code runs} inputs from {@code inputs} on both CPUs, and fails
         * with the first input whose results differ.
         */
        void check(Form form, InputSource inputs, int runs) {
            for (int run = 0; run < runs; run++) {
                Input input = inputs.next(run);
                form.constrain().accept(input, inputs);
                int defined = form.definedFlags().applyAsInt(input);
                Result expected = runNative(form, input);
                long[] packed = new long[1];
                Result actual = runEmulated(form, input, packed);
                List<String> differences = differences(expected, actual, defined, packed[0]);
                if (!differences.isEmpty()) {
                    fail(form.text() + " differs from the host processor in run " + run + ":\n  " + String.join("\n  ", differences)
                                    + "\n  input: " + input);
                }
            }
        }
    }

    /** Returns a line per register, flag or data byte range where {@code actual} differs from {@code expected}. */
    static List<String> differences(Result expected, Result actual, int definedFlags, long packedFlags) {
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            if (i != CpuState.RSP && expected.gpr()[i] != actual.gpr()[i]) {
                differences.add(String.format(Locale.ROOT, "%s: host 0x%x, emulated 0x%x", GPR64[i], expected.gpr()[i], actual.gpr()[i]));
            }
        }
        for (int i = 0; i < 16; i++) {
            if (expected.xmm()[i] != actual.xmm()[i]) {
                differences.add(String.format(Locale.ROOT, "xmm%d (low 64 bits): host 0x%x, emulated 0x%x", i, expected.xmm()[i],
                                actual.xmm()[i]));
            }
        }
        int mask = definedFlags & FLAG_MASK;
        if ((expected.flags() & mask) != (actual.flags() & mask)) {
            differences.add("flags read by setcc: host " + flagNames(expected.flags() & mask) + ", emulated "
                            + flagNames(actual.flags() & mask) + " (compared: " + flagNames(mask) + ")");
        }
        if ((expected.flags() & mask) != (packedFlags & mask)) {
            differences.add("CpuState.flags(): host " + flagNames(expected.flags() & mask) + ", emulated "
                            + flagNames((int) packedFlags & mask) + " (compared: " + flagNames(mask) + ")");
        }
        for (int i = 0; i < DATA_BYTES; i++) {
            if (expected.data()[i] != actual.data()[i]) {
                int end = Math.min(DATA_BYTES, i + 16);
                differences.add("data+" + i + "..: host " + HexFormat.ofDelimiter(" ").formatHex(expected.data(), i, end)
                                + ", emulated " + HexFormat.ofDelimiter(" ").formatHex(actual.data(), i, end));
                break;
            }
        }
        return differences;
    }

    /** Returns names like {@code CF|ZF} of the flags in {@code flags}, or {@code none}. */
    static String flagNames(int flags) {
        List<String> names = new ArrayList<>();
        String[] all = {"CF", "PF", "ZF", "SF", "OF"};
        int[] bits = {Flags.CF, Flags.PF, Flags.ZF, Flags.SF, Flags.OF};
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                names.add(all[i]);
            }
        }
        return names.isEmpty() ? "none" : String.join("|", names);
    }
}
