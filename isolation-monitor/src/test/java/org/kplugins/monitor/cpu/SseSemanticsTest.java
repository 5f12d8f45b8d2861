// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The scalar SSE instructions of the emulated CPU against the host processor, with NaNs
 * (quiet, signaling, with payloads, the indefinite), infinities, signed zeros and denormals in
 * the inputs. The forms are arithmetic, ucomiss and ucomisd, the conversions, movd, movq, movss,
 * movsd, xorps and xorpd. cvtt* out of range and of NaN give the integer indefinite, and
 * cvtsi2ss keeps bits 32 to 63 of the destination.
 *
 * <p>The routine saves the low 64 bits of each XMM register, so the upper 64 bits are not
 * compared. Every instruction here except ucomis leaves the flags unchanged, and all five are
 * compared.
 */
class SseSemanticsTest {

    private static final long SEED = 0x55E_F10A7L;
    private static final String[] ARITHMETIC = {"add", "sub", "mul", "div"};

    private static final List<Differential.Form> FORMS = forms();
    private static Differential.Session session;

    @BeforeAll
    static void install() {
        session = new Differential.Session(FORMS);
    }

    @TestFactory
    Stream<DynamicTest> sseInstructionsMatchHost() {
        return FORMS.stream().map(form -> dynamicTest(form.text(),
                        () -> session.check(form, new InputSource(SEED ^ form.label().hashCode()), 2 * IntegerSemanticsTest.RUNS)));
    }

    private static String xmm(Forms forms) {
        return "xmm" + forms.random().nextInt(16);
    }

    /** Points a memory operand into the data buffer and writes a special or random floating-point value of {@code size} bytes there. */
    private static BiConsumer<Differential.Input, InputSource> floatingPointAt(Forms.Memory memory, int size) {
        return (input, values) -> {
            memory.constrain(input, values);
            long bits = values.random().nextInt(4) == 0 ? input.xmm[values.random().nextInt(16)] : values.floatingPoint();
            input.store(memory.offset(input), size, bits);
        };
    }

    static List<Differential.Form> forms() {
        Forms forms = new Forms("sse", SEED);
        for (String op : ARITHMETIC) {
            for (String suffix : new String[] {"ss", "sd"}) {
                int size = suffix.equals("ss") ? 4 : 8;
                for (int k = 0; k < 4; k++) {
                    String destination = xmm(forms);
                    forms.add(op + suffix + " " + destination + ", " + (k == 0 ? destination : xmm(forms)));
                }
                Forms.Memory memory = forms.memory(size);
                forms.add(List.of(op + suffix + " " + xmm(forms) + ", " + memory), floatingPointAt(memory, size),
                                input -> Forms.ALL_FLAGS);
            }
        }
        for (String suffix : new String[] {"ss", "sd"}) {
            int size = suffix.equals("ss") ? 4 : 8;
            for (int k = 0; k < 4; k++) {
                String first = xmm(forms);
                forms.add("ucomi" + suffix + " " + first + ", " + (k == 0 ? first : xmm(forms)));
            }
            Forms.Memory memory = forms.memory(size);
            forms.add(List.of("ucomi" + suffix + " " + xmm(forms) + ", " + memory), floatingPointAt(memory, size),
                            input -> Forms.ALL_FLAGS);
        }
        addConversions(forms);
        addMoves(forms);
        for (String op : new String[] {"xorps", "xorpd"}) {
            String same = xmm(forms);
            forms.add(op + " " + same + ", " + same);
            forms.add(op + " " + xmm(forms) + ", " + xmm(forms));
            forms.add(op + " " + xmm(forms) + ", " + xmm(forms));
        }
        return forms.list();
    }

    private static void addConversions(Forms forms) {
        for (String suffix : new String[] {"ss", "sd"}) {
            int size = suffix.equals("ss") ? 4 : 8;
            for (int source : new int[] {4, 8}) {
                forms.add("cvtsi2" + suffix + " " + xmm(forms) + ", " + Forms.name(forms.register(), source));
                forms.add("cvtsi2" + suffix + " " + xmm(forms) + ", " + Forms.name(forms.register(), source));
                Forms.Memory memory = forms.memory(source);
                forms.add(List.of("cvtsi2" + suffix + " " + xmm(forms) + ", " + memory), memory::constrain, input -> Forms.ALL_FLAGS);
            }
            for (int destination : new int[] {4, 8}) {
                forms.add("cvtt" + suffix + "2si " + Forms.name(forms.register(), destination) + ", " + xmm(forms));
                forms.add("cvtt" + suffix + "2si " + Forms.name(forms.register(), destination) + ", " + xmm(forms));
                Forms.Memory memory = forms.memory(size);
                forms.add(List.of("cvtt" + suffix + "2si " + Forms.name(forms.register(memory.registers()), destination) + ", " + memory),
                                floatingPointAt(memory, size), input -> Forms.ALL_FLAGS);
            }
        }
        for (int k = 0; k < 3; k++) {
            forms.add("cvtss2sd " + xmm(forms) + ", " + xmm(forms));
            forms.add("cvtsd2ss " + xmm(forms) + ", " + xmm(forms));
        }
        String same = xmm(forms);
        forms.add("cvtsd2ss " + same + ", " + same);
        Forms.Memory single = forms.memory(4);
        forms.add(List.of("cvtss2sd " + xmm(forms) + ", " + single), floatingPointAt(single, 4), input -> Forms.ALL_FLAGS);
        Forms.Memory dual = forms.memory(8);
        forms.add(List.of("cvtsd2ss " + xmm(forms) + ", " + dual), floatingPointAt(dual, 8), input -> Forms.ALL_FLAGS);
    }

    /** Adds movd, movq, movss and movsd in each direction. GNU as needs rex64 for the 66 REX.W 0F 6E and 7E memory forms of movq. */
    private static void addMoves(Forms forms) {
        for (int k = 0; k < 2; k++) {
            forms.add("movd " + xmm(forms) + ", " + Forms.name(forms.register(), 4));
            forms.add("movq " + xmm(forms) + ", " + Forms.name(forms.register(), 8));
            forms.add("movd " + Forms.name(forms.register(), 4) + ", " + xmm(forms));
            forms.add("movq " + Forms.name(forms.register(), 8) + ", " + xmm(forms));
        }
        Forms.Memory load32 = forms.memory(4);
        forms.add(List.of("movd " + xmm(forms) + ", " + load32), load32::constrain, input -> Forms.ALL_FLAGS);
        Forms.Memory store32 = forms.memory(4);
        forms.add(List.of("movd " + store32 + ", " + xmm(forms)), store32::constrain, input -> Forms.ALL_FLAGS);
        Forms.Memory load64 = forms.memory(4);
        forms.add(List.of("rex64 movd " + xmm(forms) + ", " + load64), load64::constrain, input -> Forms.ALL_FLAGS);
        Forms.Memory store64 = forms.memory(4);
        forms.add(List.of("rex64 movd " + store64 + ", " + xmm(forms)), store64::constrain, input -> Forms.ALL_FLAGS);

        for (String suffix : new String[] {"ss", "sd"}) {
            int size = suffix.equals("ss") ? 4 : 8;
            for (int k = 0; k < 3; k++) {
                forms.add("mov" + suffix + " " + xmm(forms) + ", " + xmm(forms));
            }
            Forms.Memory load = forms.memory(size);
            forms.add(List.of("mov" + suffix + " " + xmm(forms) + ", " + load), floatingPointAt(load, size), input -> Forms.ALL_FLAGS);
            Forms.Memory store = forms.memory(size);
            forms.add(List.of("mov" + suffix + " " + store + ", " + xmm(forms)), store::constrain, input -> Forms.ALL_FLAGS);
        }
    }
}
