// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.ToIntFunction;

/**
 * Builds the {@link Differential.Form}s of one test class: labels, register and memory operands
 * chosen from a fixed seed, and the input constraints that keep memory operands inside the data
 * buffer.
 */
final class Forms {

    static final int ALL_FLAGS = Differential.FLAG_MASK;
    static final BiConsumer<Differential.Input, InputSource> NO_CONSTRAINT = (input, values) -> {
    };

    private static final String[] GPR32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d",
        "r12d", "r13d", "r14d", "r15d"};
    private static final String[] GPR16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w",
        "r13w", "r14w", "r15w"};
    private static final String[] GPR8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b",
        "r13b", "r14b", "r15b"};
    static final String[] HIGH_BYTES = {"ah", "ch", "dh", "bh"};

    private final String prefix;
    private final Random random;
    private final List<Differential.Form> forms = new ArrayList<>();

    Forms(String prefix, long seed) {
        this.prefix = prefix;
        this.random = new Random(seed);
    }

    List<Differential.Form> list() {
        return forms;
    }

    Random random() {
        return random;
    }

    /** Adds a form whose flags are all defined and whose inputs need no constraint. */
    void add(String... body) {
        add(List.of(body), NO_CONSTRAINT, input -> ALL_FLAGS);
    }

    void add(List<String> body, BiConsumer<Differential.Input, InputSource> constrain, ToIntFunction<Differential.Input> definedFlags) {
        forms.add(new Differential.Form(prefix + "_" + forms.size(), body, constrain, definedFlags));
    }

    /** Returns the Intel name of general-purpose register {@code number} at {@code size} bytes. */
    static String name(int number, int size) {
        return switch (size) {
            case 1 -> GPR8[number];
            case 2 -> GPR16[number];
            case 4 -> GPR32[number];
            default -> Differential.GPR64[number];
        };
    }

    /** Returns {@code DWORD PTR } and the like. */
    static String ptr(int size) {
        return switch (size) {
            case 1 -> "BYTE PTR ";
            case 2 -> "WORD PTR ";
            case 4 -> "DWORD PTR ";
            default -> "QWORD PTR ";
        };
    }

    /** Returns a random register number other than RSP and {@code excluded}. With {@code legacy}, only RAX to RDI, which need no REX. */
    int register(boolean legacy, int... excluded) {
        while (true) {
            int number = random.nextInt(legacy ? 8 : 16);
            if (number != CpuState.RSP && !contains(excluded, number)) {
                return number;
            }
        }
    }

    int register(int... excluded) {
        return register(false, excluded);
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * A memory operand into the data buffer: a pointer register, maybe an index register with
     * a small value, and a displacement of -64 to 64.
     */
    record Memory(int size, int base, int index, int scale, int displacement) {

        String text() {
            StringBuilder text = new StringBuilder(ptr(size)).append('[').append(Differential.GPR64[base]);
            if (index >= 0) {
                text.append('+').append(Differential.GPR64[index]).append('*').append(scale);
            }
            if (displacement != 0) {
                text.append(displacement < 0 ? "-" : "+").append(String.format(Locale.ROOT, "0x%x", Math.abs(displacement)));
            }
            return text.append(']').toString();
        }

        @Override
        public String toString() {
            return text();
        }

        /** Returns the registers the operand's address uses. */
        int[] registers() {
            return index >= 0 ? new int[] {base, index} : new int[] {base};
        }

        /**
         * Points the base into the data buffer and gives the index a small value. Then it writes
         * an edge value or the value of a random register at the operand's address, or keeps the
         * random bytes there, each a third of the time.
         */
        void constrain(Differential.Input input, InputSource values) {
            Random random = values.random();
            input.point(base, Differential.POINTER_LOW + random.nextInt(Differential.POINTER_HIGH - Differential.POINTER_LOW));
            if (index >= 0) {
                input.gpr[index] = random.nextInt(12) - 4;
            }
            switch (random.nextInt(3)) {
                case 0 -> input.store(offset(input), size, values.edge(size));
                case 1 -> input.store(offset(input), size, input.gpr[random.nextInt(16)]);
                default -> {
                }
            }
        }

        /** Returns the data buffer offset the operand addresses for {@code input}. */
        long offset(Differential.Input input) {
            long offset = input.gpr[base] + displacement;
            if (index >= 0) {
                offset += input.gpr[index] * scale;
            }
            return offset;
        }
    }

    /** Returns a memory operand of {@code size} bytes whose registers avoid {@code excluded}. */
    Memory memory(int size, boolean legacy, int... excluded) {
        int base = register(legacy, excluded);
        int index = -1;
        int scale = 1;
        if (random.nextBoolean()) {
            int[] both = new int[excluded.length + 1];
            System.arraycopy(excluded, 0, both, 0, excluded.length);
            both[excluded.length] = base;
            index = register(legacy, both);
            scale = 1 << random.nextInt(4);
        }
        int displacement = random.nextInt(5) == 0 ? 0 : random.nextInt(129) - 64;
        return new Memory(size, base, index, scale, displacement);
    }

    Memory memory(int size, int... excluded) {
        return memory(size, false, excluded);
    }
}
