// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The sixteen conditions of setcc, cmovcc and jcc against the host processor, after each kind of
 * instruction that sets the flags: cmp, sub, add, adc, sbb, the logic operations, inc, dec, neg,
 * shifts and rotates by 1, ucomiss and ucomisd, and the prelude's add when nothing else sets
 * them. The emulator keeps the flags lazily and folds many conditions into a comparison of the
 * operands, so each kind and size takes a different path.
 *
 * <p>Also here: flags that a call carries into another translated region, and a loop.
 */
class ConditionSemanticsTest {

    private static final long SEED = 0xC0DE_0016L;
    static final String[] CONDITIONS = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};
    private static final int[] SIZES = {1, 2, 4, 8};
    /** Kinds of flag-setting instructions {@link #setter} makes. */
    private static final int SETTER_KINDS = 21;

    private static final List<Differential.Form> FORMS = forms();
    private static Differential.Session session;

    /** Instructions that set all five compared flags, and what their inputs need. */
    private record Setter(List<String> lines, BiConsumer<Differential.Input, InputSource> constrain) {
    }

    @BeforeAll
    static void install() {
        session = new Differential.Session(FORMS);
    }

    @TestFactory
    Stream<DynamicTest> conditionsMatchHost() {
        return FORMS.stream().map(form -> dynamicTest(form.text(),
                        () -> session.check(form, new InputSource(SEED ^ form.label().hashCode()), IntegerSemanticsTest.RUNS)));
    }

    /** Returns a flag-setting instruction of {@code kind} at {@code size} bytes whose registers avoid {@code excluded}. */
    private static Setter setter(Forms forms, int kind, int size, int... excluded) {
        Random random = forms.random();
        String a = Forms.name(forms.register(excluded), size);
        String b = Forms.name(forms.register(excluded), size);
        return switch (kind) {
            case 0 -> simple("cmp " + a + ", " + b);
            case 1 -> simple("cmp " + a + ", " + (random.nextInt(256) - 128));
            case 2 -> {
                Forms.Memory memory = forms.memory(size, excluded);
                String register = Forms.name(forms.register(concat(excluded, memory.registers())), size);
                yield new Setter(List.of("cmp " + memory + ", " + register), memory::constrain);
            }
            case 3 -> simple("sub " + a + ", " + b);
            case 4 -> simple("add " + a + ", " + b);
            case 5 -> simple("adc " + a + ", " + b);
            case 6 -> simple("sbb " + a + ", " + b);
            case 7 -> simple("and " + a + ", " + b);
            case 8 -> simple("or " + a + ", " + b);
            case 9 -> simple("xor " + a + ", " + b);
            case 10 -> simple("test " + a + ", " + b);
            case 11 -> simple("inc " + a);
            case 12 -> simple("dec " + a);
            case 13 -> simple("neg " + a);
            case 14 -> simple("shl " + a + ", 1");
            case 15 -> simple("shr " + a + ", 1");
            case 16 -> simple("sar " + a + ", 1");
            case 17 -> simple("rol " + a + ", 1");
            case 18 -> simple("rcr " + a + ", 1");
            // ucomis sets ZF, PF and CF and clears OF and SF.
            case 19 -> simple((size <= 4 ? "ucomiss" : "ucomisd") + " xmm" + random.nextInt(16) + ", xmm" + random.nextInt(16));
            // No instruction: the flags of the prelude's add, which the emulator keeps as an ADD kind of 64 bits.
            default -> new Setter(List.of(), Forms.NO_CONSTRAINT);
        };
    }

    private static Setter simple(String line) {
        return new Setter(List.of(line), Forms.NO_CONSTRAINT);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = new int[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static BiConsumer<Differential.Input, InputSource> both(BiConsumer<Differential.Input, InputSource> first,
                    BiConsumer<Differential.Input, InputSource> second) {
        return (input, values) -> {
            first.accept(input, values);
            second.accept(input, values);
        };
    }

    static List<Differential.Form> forms() {
        Forms forms = new Forms("cc", SEED);
        addSetccOfEachSetter(forms);
        addSetccForms(forms);
        addCmovcc(forms);
        addJcc(forms);
        addRegionCrossings(forms);
        return forms.list();
    }

    /** For each setter and size, all sixteen setcc into the data buffer, so the setter's flags are read in every way. */
    private static void addSetccOfEachSetter(Forms forms) {
        for (int kind = 0; kind < SETTER_KINDS; kind++) {
            for (int size : SIZES) {
                if (kind == SETTER_KINDS - 1 && size != 8) {
                    continue;
                }
                Forms.Memory flagsOut = new Forms.Memory(1, forms.register(), -1, 1, 0);
                Setter setter = setter(forms, kind, size, flagsOut.base());
                List<String> body = new ArrayList<>(setter.lines());
                for (int cc = 0; cc < 16; cc++) {
                    body.add("set" + CONDITIONS[cc] + " BYTE PTR [" + Differential.GPR64[flagsOut.base()] + "+" + cc + "]");
                }
                forms.add(body, both(setter.constrain(), (input, values) -> input.point(flagsOut.base(), Differential.POINTER_LOW)),
                                input -> Forms.ALL_FLAGS);
            }
        }
    }

    /** Adds each condition of setcc into byte registers (AH to BH included) and memory, after a random setter. */
    private static void addSetccForms(Forms forms) {
        Random random = forms.random();
        for (int cc = 0; cc < 16; cc++) {
            int target = forms.register();
            Setter setter = setter(forms, random.nextInt(SETTER_KINDS), SIZES[random.nextInt(4)], target);
            forms.add(append(setter.lines(), "set" + CONDITIONS[cc] + " " + Forms.name(target, 1)), setter.constrain(),
                            input -> Forms.ALL_FLAGS);

            Setter legacy = setter(forms, random.nextInt(SETTER_KINDS - 1), 4, CpuState.RAX, CpuState.RCX, CpuState.RDX, CpuState.RBX);
            forms.add(append(legacy.lines(), "set" + CONDITIONS[cc] + " " + Forms.HIGH_BYTES[random.nextInt(4)]), legacy.constrain(),
                            input -> Forms.ALL_FLAGS);

            Forms.Memory memory = forms.memory(1);
            Setter before = setter(forms, random.nextInt(SETTER_KINDS), SIZES[random.nextInt(4)], memory.registers());
            forms.add(append(before.lines(), "set" + CONDITIONS[cc] + " " + memory), both(memory::constrain, before.constrain()),
                            input -> Forms.ALL_FLAGS);
        }
    }

    private static List<String> append(List<String> lines, String... more) {
        List<String> all = new ArrayList<>(lines);
        all.addAll(List.of(more));
        return all;
    }

    /** Adds each condition of cmovcc at 16, 32 and 64 bits from a register and from memory. A 32-bit cmov clears the upper half either way. */
    private static void addCmovcc(Forms forms) {
        Random random = forms.random();
        for (int cc = 0; cc < 16; cc++) {
            for (int size : new int[] {2, 4, 8}) {
                int destination = forms.register();
                int source = forms.register();
                Setter setter = setter(forms, random.nextInt(SETTER_KINDS), SIZES[random.nextInt(4)], destination);
                forms.add(append(setter.lines(), "cmov" + CONDITIONS[cc] + " " + Forms.name(destination, size) + ", "
                                + Forms.name(source, size)), setter.constrain(), input -> Forms.ALL_FLAGS);

                Forms.Memory memory = forms.memory(size);
                int target = forms.register(memory.registers());
                Setter before = setter(forms, random.nextInt(SETTER_KINDS), SIZES[random.nextInt(4)],
                                concat(memory.registers(), new int[] {target}));
                forms.add(append(before.lines(), "cmov" + CONDITIONS[cc] + " " + Forms.name(target, size) + ", " + memory),
                                both(memory::constrain, before.constrain()), input -> Forms.ALL_FLAGS);
            }
        }
    }

    /** Adds each condition of jcc, short and near, after random setters. ECX records which way the branch went. */
    private static void addJcc(Forms forms) {
        Random random = forms.random();
        for (int cc = 0; cc < 16; cc++) {
            for (int k = 0; k < 3; k++) {
                Setter setter = setter(forms, random.nextInt(SETTER_KINDS), SIZES[random.nextInt(4)], CpuState.RCX);
                List<String> body = new ArrayList<>(setter.lines());
                body.add("j" + CONDITIONS[cc] + " 1f");
                body.add("mov ecx, 1");
                if (k == 2) {
                    // A far target makes as use the near form, 0F 8x with a 32-bit displacement.
                    body.add(".skip 200, 0x90");
                }
                body.add("jmp 2f");
                body.add("1:");
                body.add("mov ecx, 2");
                body.add("2:");
                forms.add(body, setter.constrain(), input -> Forms.ALL_FLAGS);
            }
        }
    }

    /**
     * Flags that reach another translated region: a call to a subroutine that reads them, a
     * return that carries the callee's flags back, and a counted loop with a backward branch.
     */
    private static void addRegionCrossings(Forms forms) {
        forms.add("cmp rax, rbx", "call 3f", "jmp 4f", "3:", "setl cl", "setb ch", "cmovg rdx, rsi", "ret", "4:");
        forms.add("call 3f", "setae cl", "seto dl", "jmp 4f", "3:", "sub eax, ebx", "ret", "4:");
        forms.add("mov ecx, 7", "1:", "add eax, ebx", "adc edx, esi", "dec ecx", "jnz 1b");
        forms.add("mov ecx, 5", "1:", "rcl r8, 1", "sbb r9b, r10b", "sub ecx, 1", "jae 1b");
        forms.add("lea r11, [rip+3f]", "cmp rax, rdx", "call r11", "mov r11d, 0", "jmp 4f", "3:", "setne bl", "ret", "4:");
        // Recursion 100 calls deep, beyond the 48 translated regions that nest on the Java stack.
        forms.add("mov ecx, 100", "xor eax, eax", "call 3f", "jmp 4f", "3:", "add rax, rcx", "adc rdx, 0", "dec ecx", "jz 5f", "call 3b",
                        "5:", "ret", "4:");
        // A callee that drops its return address and jumps on, so its region ends elsewhere than the call returns.
        forms.add("call 3f", "mov ebx, 1", "jmp 4f", "3:", "pop rdx", "mov edx, 0", "sub eax, esi", "jmp 4f", "4:", "setg cl");
        // Indirect jump and call through memory. The code address is cleared, because it differs between the two CPUs.
        int pointer = forms.register(11, CpuState.RAX, CpuState.RDX);
        String slot = "QWORD PTR [" + Differential.GPR64[pointer] + "+8]";
        forms.add(List.of("lea r11, [rip+3f]", "mov " + slot + ", r11", "cmp rdx, rax", "jmp " + slot, "ud2", "3:", "lea r11, [rip+5f]",
                        "mov " + slot + ", r11", "call " + slot, "jmp 4f", "5:", "setbe al", "ret", "4:", "mov " + slot + ", 0",
                        "mov r11d, 0"),
                        (input, values) -> input.point(pointer, Differential.POINTER_LOW), input -> Forms.ALL_FLAGS);
    }
}
