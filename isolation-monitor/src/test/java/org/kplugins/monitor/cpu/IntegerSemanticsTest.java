// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The integer instructions of the emulated CPU against the host processor: every ALU operation
 * in its register, memory and immediate forms at each operand size, shifts and rotates by 1, by
 * immediates and by CL (counts of 0 and at or beyond the operand width included), not, neg, inc,
 * dec, the three forms of multiply, divide with dividends up to 128 bits, cwd, cdq and cqo, mov,
 * movzx, movsx, movsxd, lea, xchg, push and pop, and the high-byte registers AH to BH.
 *
 * <p>Flags the Intel SDM (Vol. 2, each instruction's "Flags Affected") calls undefined are not
 * compared: OF after a shift or rotate by a masked count other than 1; CF after shl or shr by a
 * count at or beyond the operand width; SF, ZF and PF after mul and imul; all flags after div and
 * idiv. AF is never compared, because the emulator does not keep it.
 */
class IntegerSemanticsTest {

    /** Inputs each form runs with. */
    static final int RUNS = 16;
    private static final long SEED = 0x5EED_1A7EL;
    private static final int[] SIZES = {1, 2, 4, 8};
    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp", "test"};
    private static final String[] SHIFTS = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sar"};
    private static final int[] SHIFT_IMMEDIATES = {0, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255};

    private static final List<Differential.Form> FORMS = forms();
    private static Differential.Session session;

    @BeforeAll
    static void install() {
        session = new Differential.Session(FORMS);
    }

    @TestFactory
    Stream<DynamicTest> integerInstructionsMatchHost() {
        return FORMS.stream().map(form -> dynamicTest(form.text(),
                        () -> session.check(form, new InputSource(SEED ^ form.label().hashCode()), RUNS)));
    }

    static List<Differential.Form> forms() {
        Forms forms = new Forms("int", SEED);
        addAlu(forms);
        addHighByteAlu(forms);
        addShifts(forms);
        addUnary(forms);
        addMultiply(forms);
        addDivide(forms);
        forms.add("cwd");
        forms.add("cdq");
        forms.add("cqo");
        addMoves(forms);
        addExtensions(forms);
        addLea(forms);
        addExchanges(forms);
        addStack(forms);
        forms.add("nop");
        return forms.list();
    }

    // ---- ALU ----

    private static List<Long> immediates(int size, Random random) {
        return switch (size) {
            case 1 -> List.of(0L, 1L, 0x7FL, -0x80L, -1L, (long) (byte) random.nextInt());
            case 2 -> List.of(0x7FL, -0x80L, 0x7FFFL, -0x8000L, -1L, (long) (short) random.nextInt());
            default -> List.of(0L, 0x7FL, -1L, 0x7FFF_FFFFL, -0x8000_0000L, (long) random.nextInt());
        };
    }

    private static void addAlu(Forms forms) {
        for (String op : ALU) {
            for (int size : SIZES) {
                for (int k = 0; k < 3; k++) {
                    int a = forms.register();
                    int b = k == 0 ? a : forms.register(a);
                    forms.add(op + " " + Forms.name(a, size) + ", " + Forms.name(b, size));
                }
                Forms.Memory source = forms.memory(size);
                int destination = forms.register(source.registers());
                forms.add(List.of(op + " " + Forms.name(destination, size) + ", " + source), source::constrain, input -> Forms.ALL_FLAGS);
                Forms.Memory target = forms.memory(size);
                int register = forms.register(target.registers());
                forms.add(List.of(op + " " + target + ", " + Forms.name(register, size)), target::constrain, input -> Forms.ALL_FLAGS);

                List<Long> values = immediates(size, forms.random());
                for (int i = 0; i < values.size(); i++) {
                    long value = values.get(i);
                    switch (i % 3) {
                        case 0 -> forms.add(op + " " + Forms.name(CpuState.RAX, size) + ", " + value);
                        case 1 -> forms.add(op + " " + Forms.name(forms.register(CpuState.RAX), size) + ", " + value);
                        default -> {
                            Forms.Memory memory = forms.memory(size);
                            forms.add(List.of(op + " " + memory + ", " + value), memory::constrain, input -> Forms.ALL_FLAGS);
                        }
                    }
                }
            }
        }
    }

    /** AH, CH, DH and BH with each other, with AL to BL, with immediates and with memory that needs no REX prefix. */
    private static void addHighByteAlu(Forms forms) {
        String[] low = {"al", "cl", "dl", "bl"};
        Random random = forms.random();
        for (String op : ALU) {
            String high = Forms.HIGH_BYTES[random.nextInt(4)];
            forms.add(op + " " + high + ", " + low[random.nextInt(4)]);
            forms.add(op + " " + low[random.nextInt(4)] + ", " + Forms.HIGH_BYTES[random.nextInt(4)]);
            forms.add(op + " " + high + ", " + Forms.HIGH_BYTES[random.nextInt(4)]);
            forms.add(op + " " + high + ", " + (random.nextInt(256) - 128));
            Forms.Memory memory = forms.memory(1, true, CpuState.RAX, CpuState.RCX, CpuState.RDX, CpuState.RBX);
            forms.add(List.of(op + " " + memory + ", " + high), memory::constrain, input -> Forms.ALL_FLAGS);
        }
    }

    // ---- Shifts and rotates ----

    /** Returns the flags a shift or rotate by {@code count} defines. */
    static int shiftFlags(String op, int size, long count) {
        int masked = (int) (count & (size == 8 ? 63 : 31));
        if (masked == 0) {
            // The flags are not changed, so all five must keep their input values.
            return Forms.ALL_FLAGS;
        }
        int defined = Forms.ALL_FLAGS;
        if (masked != 1) {
            defined &= ~Flags.OF;
        }
        if ((op.equals("shl") || op.equals("shr")) && masked >= size * 8) {
            defined &= ~Flags.CF;
        }
        return defined;
    }

    /** Sets CL to a count near the interesting limits: 0, 1, the operand width, 31, 32, 63, 64 or random. */
    private static void constrainCount(Differential.Input input, InputSource values, int size) {
        Random random = values.random();
        int[] counts = {0, 1, 2, size * 8 - 1, size * 8, size * 8 + 1, 31, 32, 33, 63, 64, 65, random.nextInt(256)};
        long count = counts[random.nextInt(counts.length)];
        input.gpr[CpuState.RCX] = (input.gpr[CpuState.RCX] & ~0xFFL) | count;
    }

    private static void addShifts(Forms forms) {
        for (String op : SHIFTS) {
            for (int size : SIZES) {
                String register = Forms.name(forms.register(CpuState.RCX), size);
                forms.add(List.of(op + " " + register + ", 1"), Forms.NO_CONSTRAINT, input -> shiftFlags(op, size, 1));
                forms.add(List.of(op + " " + register + ", cl"), (input, values) -> constrainCount(input, values, size),
                                input -> shiftFlags(op, size, input.gpr[CpuState.RCX]));
                for (int count : SHIFT_IMMEDIATES) {
                    String target = Forms.name(forms.register(), size);
                    forms.add(List.of(op + " " + target + ", " + count), Forms.NO_CONSTRAINT, input -> shiftFlags(op, size, count));
                }
                Forms.Memory memory = forms.memory(size, CpuState.RCX);
                forms.add(List.of(op + " " + memory + ", 1"), memory::constrain, input -> shiftFlags(op, size, 1));
                forms.add(List.of(op + " " + memory + ", cl"), (input, values) -> {
                    memory.constrain(input, values);
                    constrainCount(input, values, size);
                }, input -> shiftFlags(op, size, input.gpr[CpuState.RCX]));
                int count = SHIFT_IMMEDIATES[forms.random().nextInt(SHIFT_IMMEDIATES.length)];
                forms.add(List.of(op + " " + memory + ", " + count), memory::constrain, input -> shiftFlags(op, size, count));
            }
            String high = Forms.HIGH_BYTES[forms.random().nextInt(4)];
            if (!high.equals("ch")) {
                forms.add(List.of(op + " " + high + ", cl"), (input, values) -> constrainCount(input, values, 1),
                                input -> shiftFlags(op, 1, input.gpr[CpuState.RCX]));
            }
            forms.add(List.of(op + " " + high + ", 3"), Forms.NO_CONSTRAINT, input -> shiftFlags(op, 1, 3));
        }
    }

    // ---- not, neg, inc, dec ----

    private static void addUnary(Forms forms) {
        for (String op : new String[] {"not", "neg", "inc", "dec"}) {
            for (int size : SIZES) {
                forms.add(op + " " + Forms.name(forms.register(), size));
                forms.add(op + " " + Forms.name(forms.register(), size));
                Forms.Memory memory = forms.memory(size);
                forms.add(List.of(op + " " + memory), memory::constrain, input -> Forms.ALL_FLAGS);
            }
            forms.add(op + " " + Forms.HIGH_BYTES[forms.random().nextInt(4)]);
        }
    }

    // ---- Multiply ----

    /** Flags that mul and imul define. SF, ZF, AF and PF are undefined. */
    private static final int MULTIPLY_FLAGS = Flags.CF | Flags.OF;

    private static void addMultiply(Forms forms) {
        for (String op : new String[] {"mul", "imul"}) {
            for (int size : SIZES) {
                forms.add(List.of(op + " " + Forms.name(forms.register(), size)), Forms.NO_CONSTRAINT, input -> MULTIPLY_FLAGS);
                forms.add(List.of(op + " " + Forms.name(CpuState.RAX, size)), Forms.NO_CONSTRAINT, input -> MULTIPLY_FLAGS);
                Forms.Memory memory = forms.memory(size);
                forms.add(List.of(op + " " + memory), memory::constrain, input -> MULTIPLY_FLAGS);
            }
            forms.add(List.of(op + " " + Forms.HIGH_BYTES[1 + forms.random().nextInt(3)]), Forms.NO_CONSTRAINT, input -> MULTIPLY_FLAGS);
        }
        for (int size : new int[] {2, 4, 8}) {
            for (int k = 0; k < 3; k++) {
                int a = forms.register();
                int b = k == 0 ? a : forms.register(a);
                forms.add(List.of("imul " + Forms.name(a, size) + ", " + Forms.name(b, size)), Forms.NO_CONSTRAINT,
                                input -> MULTIPLY_FLAGS);
            }
            Forms.Memory memory = forms.memory(size);
            int destination = forms.register(memory.registers());
            forms.add(List.of("imul " + Forms.name(destination, size) + ", " + memory), memory::constrain, input -> MULTIPLY_FLAGS);
            for (long value : immediates(size, forms.random())) {
                int a = forms.register();
                int b = forms.register();
                forms.add(List.of("imul " + Forms.name(a, size) + ", " + Forms.name(b, size) + ", " + value), Forms.NO_CONSTRAINT,
                                input -> MULTIPLY_FLAGS);
            }
            Forms.Memory source = forms.memory(size);
            int target = forms.register();
            long value = immediates(size, forms.random()).get(forms.random().nextInt(6));
            forms.add(List.of("imul " + Forms.name(target, size) + ", " + source + ", " + value), source::constrain,
                            input -> MULTIPLY_FLAGS);
        }
    }

    // ---- Divide ----

    /**
     * Returns {@code {high, low, divisor}} for a division at {@code size} bytes whose quotient
     * fits, so the host processor raises no divide error: the quotient and divisor are edge or
     * random values, and the remainder is smaller than the divisor with the dividend's sign.
     */
    static long[] division(boolean signed, int size, InputSource values) {
        Random random = values.random();
        int bits = size * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        BigInteger divisor;
        BigInteger quotient;
        do {
            divisor = pick(signed, size, values, mask);
        } while (divisor.signum() == 0);
        quotient = pick(signed, size, values, mask);
        BigInteger magnitude = new BigInteger(bits + 8, random).mod(divisor.abs());
        BigInteger product = quotient.multiply(divisor);
        int sign = product.signum() != 0 ? product.signum() : random.nextBoolean() ? 1 : -1;
        BigInteger remainder = signed ? magnitude.multiply(BigInteger.valueOf(sign)) : magnitude;
        BigInteger dividend = product.add(remainder);

        BigInteger[] check = dividend.divideAndRemainder(divisor);
        assertEquals(quotient, check[0], "the generated division has another quotient");
        assertEquals(remainder, check[1], "the generated division has another remainder");
        BigInteger wide = dividend.and(BigInteger.ONE.shiftLeft(2 * bits).subtract(BigInteger.ONE));
        return new long[] {wide.shiftRight(bits).longValue(), wide.and(mask).longValue(), divisor.and(mask).longValue()};
    }

    private static BigInteger pick(boolean signed, int size, InputSource values, BigInteger mask) {
        long value = values.random().nextBoolean() ? values.edge(size) : values.random().nextLong();
        BigInteger unsigned = BigInteger.valueOf(value).and(mask);
        if (!signed) {
            return unsigned;
        }
        return BigInteger.valueOf(Flags.signExtend(value, size));
    }

    private static void constrainDivision(Differential.Input input, InputSource values, boolean signed, int size, int divisorRegister,
                    boolean highByteDivisor, Forms.Memory memory) {
        long[] division = division(signed, size, values);
        long mask = Flags.mask(size);
        if (size == 1) {
            long ax = (division[0] << 8 | division[1]) & 0xFFFF;
            input.gpr[CpuState.RAX] = (input.gpr[CpuState.RAX] & ~0xFFFFL) | ax;
        } else {
            input.gpr[CpuState.RAX] = (input.gpr[CpuState.RAX] & ~mask) | division[1];
            input.gpr[CpuState.RDX] = (input.gpr[CpuState.RDX] & ~mask) | division[0];
        }
        if (memory != null) {
            memory.constrain(input, values);
            input.store(memory.offset(input), size, division[2]);
        } else if (highByteDivisor) {
            input.gpr[divisorRegister] = (input.gpr[divisorRegister] & ~0xFF00L) | division[2] << 8;
        } else {
            input.gpr[divisorRegister] = (input.gpr[divisorRegister] & ~mask) | division[2];
        }
    }

    private static void addDivide(Forms forms) {
        for (String op : new String[] {"div", "idiv"}) {
            boolean signed = op.equals("idiv");
            for (int size : SIZES) {
                for (int k = 0; k < 2; k++) {
                    int divisor = forms.register(CpuState.RAX, CpuState.RDX);
                    forms.add(List.of(op + " " + Forms.name(divisor, size)),
                                    (input, values) -> constrainDivision(input, values, signed, size, divisor, false, null), input -> 0);
                }
                Forms.Memory memory = forms.memory(size, CpuState.RAX, CpuState.RDX);
                forms.add(List.of(op + " " + memory), (input, values) -> constrainDivision(input, values, signed, size, -1, false, memory),
                                input -> 0);
            }
            int high = 1 + forms.random().nextInt(3);
            forms.add(List.of(op + " " + Forms.HIGH_BYTES[high]),
                            (input, values) -> constrainDivision(input, values, signed, 1, high, true, null), input -> 0);
        }
    }

    // ---- Moves ----

    private static void addMoves(Forms forms) {
        Random random = forms.random();
        for (int size : SIZES) {
            for (int k = 0; k < 3; k++) {
                forms.add("mov " + Forms.name(forms.register(), size) + ", " + Forms.name(forms.register(), size));
            }
            Forms.Memory source = forms.memory(size);
            forms.add(List.of("mov " + Forms.name(forms.register(), size) + ", " + source), source::constrain, input -> Forms.ALL_FLAGS);
            Forms.Memory target = forms.memory(size);
            forms.add(List.of("mov " + target + ", " + Forms.name(forms.register(target.registers()), size)), target::constrain,
                            input -> Forms.ALL_FLAGS);
            for (long value : immediates(size, random)) {
                forms.add("mov " + Forms.name(forms.register(), size) + ", " + value);
            }
            Forms.Memory immediateTarget = forms.memory(size);
            long value = immediates(size, random).get(random.nextInt(6));
            forms.add(List.of("mov " + immediateTarget + ", " + value), immediateTarget::constrain, input -> Forms.ALL_FLAGS);
        }
        forms.add("movabs " + Forms.name(forms.register(), 8) + ", 0x123456789abcdef0");
        forms.add("movabs " + Forms.name(forms.register(), 8) + ", 0x80000000");
        forms.add("mov ah, bl");
        forms.add("mov cl, dh");
        forms.add("mov bh, ch");
        forms.add("mov dh, 0x9c");
        Forms.Memory memory = forms.memory(1, true, CpuState.RAX, CpuState.RCX, CpuState.RDX, CpuState.RBX);
        forms.add(List.of("mov ah, " + memory), memory::constrain, input -> Forms.ALL_FLAGS);
        forms.add(List.of("mov " + memory + ", bh"), memory::constrain, input -> Forms.ALL_FLAGS);
        // ES, DS and SS are flat, so their overrides change nothing.
        for (String segment : new String[] {"es", "ds", "ss"}) {
            Forms.Memory flat = forms.memory(4);
            String operand = flat.text().replace("[", segment + ":[");
            forms.add(List.of("mov " + Forms.name(forms.register(flat.registers()), 4) + ", " + operand, "add " + operand + ", 3"),
                            flat::constrain, input -> Forms.ALL_FLAGS);
        }
        // A RIP-relative load of a constant in the code.
        forms.add("mov " + Forms.name(forms.register(), 4) + ", DWORD PTR [rip+3f]", "jmp 4f", "3:", ".long 0x89abcdef", "4:");
    }

    private static void addExtensions(Forms forms) {
        int[][] pairs = {{2, 1}, {4, 1}, {8, 1}, {4, 2}, {8, 2}};
        for (String op : new String[] {"movzx", "movsx"}) {
            for (int[] pair : pairs) {
                for (int k = 0; k < 2; k++) {
                    forms.add(op + " " + Forms.name(forms.register(), pair[0]) + ", " + Forms.name(forms.register(), pair[1]));
                }
                Forms.Memory memory = forms.memory(pair[1]);
                forms.add(List.of(op + " " + Forms.name(forms.register(), pair[0]) + ", " + memory), memory::constrain,
                                input -> Forms.ALL_FLAGS);
            }
            forms.add(op + " eax, ah");
            forms.add(op + " cx, bh");
            forms.add(op + " " + Forms.name(forms.register(true), 4) + ", " + Forms.HIGH_BYTES[forms.random().nextInt(4)]);
        }
        for (int k = 0; k < 3; k++) {
            forms.add("movsxd " + Forms.name(forms.register(), 8) + ", " + Forms.name(forms.register(), 4));
        }
        Forms.Memory memory = forms.memory(4);
        forms.add(List.of("movsxd " + Forms.name(forms.register(), 8) + ", " + memory), memory::constrain, input -> Forms.ALL_FLAGS);
    }

    /** lea at 16, 32 and 64 bits with random register values, so 32-bit and 16-bit results wrap. */
    private static void addLea(Forms forms) {
        Random random = forms.random();
        long[] displacements = {0, 8, -0x80, 0x7F, 0x1234, -0x8000_0000L, 0x7FFF_FFFF};
        for (int size : new int[] {2, 4, 8}) {
            for (int k = 0; k < 8; k++) {
                int base = forms.register();
                int index = forms.register();
                int scale = 1 << random.nextInt(4);
                long displacement = displacements[random.nextInt(displacements.length)];
                String address = switch (k % 4) {
                    case 0 -> Differential.GPR64[base] + "+" + displacement;
                    case 1 -> Differential.GPR64[base] + "+" + Differential.GPR64[index] + "*" + scale;
                    case 2 -> Differential.GPR64[index] + "*" + scale + "+" + displacement;
                    default -> Differential.GPR64[base] + "+" + Differential.GPR64[index] + "*" + scale + "+" + displacement;
                };
                forms.add("lea " + Forms.name(forms.register(), size) + ", [" + address.replace("+-", "-") + "]");
            }
        }
        forms.add("lea eax, [rax+rax*8-1]");
        forms.add("lea r13d, [r13+0x7fffffff]");
        forms.add("lea rbp, [rbp+0]");
        forms.add("lea r12, [r12+r12*2]");
    }

    private static void addExchanges(Forms forms) {
        for (int size : SIZES) {
            for (int k = 0; k < 2; k++) {
                forms.add("xchg " + Forms.name(forms.register(), size) + ", " + Forms.name(forms.register(), size));
            }
            if (size > 1) {
                forms.add("xchg " + Forms.name(CpuState.RAX, size) + ", " + Forms.name(forms.register(CpuState.RAX), size));
            }
            Forms.Memory memory = forms.memory(size);
            forms.add(List.of("xchg " + memory + ", " + Forms.name(forms.register(memory.registers()), size)), memory::constrain,
                            input -> Forms.ALL_FLAGS);
        }
        forms.add("xchg eax, eax");
        forms.add("xchg r8, rax");
        forms.add("xchg ah, al");
        forms.add("xchg ch, dl");
    }

    private static void addStack(Forms forms) {
        forms.add("push rax", "pop rcx");
        forms.add("push r12", "push 0x7f", "pop r13", "pop r14");
        forms.add("push -0x12345678", "pop rbx");
        forms.add("push -1", "push 0x7fffffff", "pop rdx", "pop r9");
        forms.add("push rsi", "mov rdx, QWORD PTR [rsp]", "pop rbp");
        forms.add("push r15", "pop r15");
        forms.add("push rdi", "push rbx", "xchg rdi, QWORD PTR [rsp]", "pop rbx", "pop rdi");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            if (i != CpuState.RSP) {
                many.add("push " + Differential.GPR64[i]);
            }
        }
        for (int i = 15; i >= 0; i--) {
            if (i != CpuState.RSP) {
                many.add("pop " + Differential.GPR64[(i + 5) % 16 == CpuState.RSP ? i : (i + 5) % 16]);
            }
        }
        forms.add(many.toArray(String[]::new));
    }
}
