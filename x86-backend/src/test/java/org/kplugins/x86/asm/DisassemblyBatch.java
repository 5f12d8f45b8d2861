// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Instructions assembled into one buffer together with the text objdump should print for each,
 * checked with one objdump run. Each instruction must start where objdump finds an instruction
 * and decode to the expected text, and objdump must find no other instruction, so a wrong length
 * shows up as a mismatch too.
 */
final class DisassemblyBatch {

    private record Expected(int start, int end, String text, String comment) {
    }

    private final X86Assembler asm = new X86Assembler();
    private final List<Expected> expected = new ArrayList<>();

    X86Assembler assembler() {
        return asm;
    }

    /**
     * Emits one instruction with {@code emit}, records the text objdump should print for it, and
     * returns its length in bytes.
     */
    int expect(String text, Consumer<X86Assembler> emit) {
        int start = asm.position();
        emit.accept(asm);
        if (asm.position() == start) {
            fail("'" + text + "' emitted no bytes");
        }
        expected.add(new Expected(start, asm.position(), text, null));
        return asm.position() - start;
    }

    /**
     * Records an instruction already emitted on {@link #assembler()} from {@code start} to
     * {@code end}, for label tests, whose text is known only once the label is bound.
     *
     * @param comment the target objdump should print after {@code #}, or null
     */
    void expectAt(int start, int end, String text, String comment) {
        expected.add(new Expected(start, end, text, comment));
    }

    /** Disassembles the batch and fails with every mismatch (up to 40) when one instruction differs. */
    void check() {
        byte[] code = asm.finish();
        Map<Integer, Objdump.Instruction> decoded = new HashMap<>();
        for (Objdump.Instruction instruction : Objdump.disassemble(code)) {
            decoded.put(instruction.offset(), instruction);
        }

        List<String> mismatches = new ArrayList<>();
        for (Expected want : expected) {
            Objdump.Instruction got = decoded.remove(want.start());
            String bytes = hexBytes(code, want.start(), want.end());
            if (got == null) {
                mismatches.add(offset(want.start()) + " " + bytes + ": expected '" + want.text()
                                + "', but objdump decodes no instruction starting here");
            } else if (!got.text().equals(want.text())) {
                mismatches.add(offset(want.start()) + " " + bytes + ": expected '" + want.text() + "', objdump: '"
                                + got.text() + "'");
            } else if (want.comment() != null && !want.comment().equals(got.comment())) {
                mismatches.add(offset(want.start()) + " " + bytes + ": '" + want.text() + "' should address "
                                + want.comment() + ", objdump: " + got.comment());
            }
        }
        for (Objdump.Instruction extra : decoded.values()) {
            mismatches.add(offset(extra.offset()) + ": objdump decodes an unexpected instruction '" + extra.text()
                            + "' (an earlier instruction has the wrong length)");
        }
        if (!mismatches.isEmpty()) {
            mismatches.sort(null);
            fail(mismatches.size() + " of " + expected.size() + " instructions differ from objdump:\n"
                            + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
        }
    }

    private static String offset(int offset) {
        return String.format("%6x", offset);
    }

    private static String hexBytes(byte[] code, int start, int end) {
        StringBuilder text = new StringBuilder();
        for (int i = start; i < end; i++) {
            text.append(String.format("%02x", code[i] & 0xFF));
        }
        return text.toString();
    }
}
