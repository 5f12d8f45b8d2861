// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Decodes random bytes and checks what must hold for any input: no exception, a length of 0 exactly
 * for {@link Op#TRUNCATED} and 1 to 15 bytes inside the code otherwise, the same result when the
 * code ends right after the instruction, {@link Op#TRUNCATED} when it ends one byte earlier, and
 * well-formed operands. The seeds are fixed, so a failure repeats.
 */
class DecoderFuzzTest {

    /**
     * Bytes that the decoder gives meaning to: prefixes, REX, the 0F escape and common opcodes and
     * ModRM bytes. Half of the biased bytes come from here, so random input reaches the deeper
     * forms (SIB, SSE, immediates) far more often than uniform bytes do.
     */
    static final int[] MEANINGFUL = {0x66, 0xF2, 0xF3, 0x65, 0x64, 0x26, 0x2E, 0x3E, 0x36, 0x40, 0x41, 0x44,
                    0x48, 0x49, 0x4C, 0x4D, 0x4F, 0x0F, 0x0F, 0x0F, 0x01, 0x03, 0x05, 0x2B, 0x39, 0x63, 0x69, 0x6B, 0x80,
                    0x81, 0x83, 0x85, 0x87, 0x89, 0x8B, 0x8D, 0x90, 0x99, 0xA9, 0xB8, 0xC1, 0xC6, 0xC7, 0xD1, 0xD3, 0xE8,
                    0xE9, 0xEB, 0xF6, 0xF7, 0xFE, 0xFF, 0x10, 0x11, 0x2A, 0x2C, 0x2E, 0x57, 0x58, 0x5A, 0x5E, 0x6E, 0x7E,
                    0xAF, 0xB6, 0xBF, 0x44, 0x94, 0x84, 0x04, 0x05, 0x24, 0x25, 0x45, 0x4C, 0x84, 0x85, 0xC0, 0xE0};

    private static final Set<Integer> SIZES = Set.of(1, 2, 4, 8);

    @Test
    void uniformRandomBytes() {
        fuzz(new Random(0x5EED_0001L), 50_000, false);
    }

    @Test
    void biasedRandomBytes() {
        fuzz(new Random(0x5EED_0002L), 50_000, true);
    }

    private static void fuzz(Random random, int decodes, boolean biased) {
        int valid = 0;
        for (int i = 0; i < decodes; i++) {
            byte[] code = new byte[1 + random.nextInt(40)];
            for (int j = 0; j < code.length; j++) {
                code[j] = (byte) (biased && random.nextBoolean() ? MEANINGFUL[random.nextInt(MEANINGFUL.length)]
                                : random.nextInt(256));
            }
            int offset = random.nextInt(code.length);
            Instruction decoded = decodeChecked(code, offset);
            if (decoded.op() != Op.INVALID && decoded.op() != Op.TRUNCATED) {
                valid++;
            }
        }
        // The biased input must reach real instructions often, or it tests little beyond the prefixes.
        assertTrue(valid > decodes / 10, "only " + valid + " of " + decodes + " random decodes were valid instructions");
    }

    /** Decodes {@code code} at {@code offset} and checks the invariants, failing with the bytes. */
    private static Instruction decodeChecked(byte[] code, int offset) {
        String where = "at offset " + offset + " of " + HexFormat.ofDelimiter(" ").formatHex(code);
        Instruction decoded;
        String text;
        try {
            decoded = X86Decoder.decode(code, offset);
            text = X86Decoder.format(decoded);
        } catch (RuntimeException e) {
            throw new AssertionError("decoding threw " + e + " " + where, e);
        }
        assertEquals(offset, decoded.offset(), where);
        assertFalse(text.isEmpty(), where);
        if (decoded.op() == Op.TRUNCATED) {
            assertEquals(0, decoded.length(), where);
            return decoded;
        }
        int length = decoded.length();
        assertTrue(length >= 1, "length " + length + " " + where);
        assertTrue(length <= X86Decoder.MAX_INSTRUCTION_LENGTH, "length " + length + " " + where);
        assertTrue(offset + length <= code.length, "length " + length + " runs past the code " + where);

        byte[] exact = Arrays.copyOf(code, offset + length);
        assertEquals(decoded, X86Decoder.decode(exact, offset), "code ending after the instruction " + where);
        byte[] shorter = Arrays.copyOf(code, offset + length - 1);
        assertEquals(Op.TRUNCATED, X86Decoder.decode(shorter, offset).op(), "code ending one byte early " + where);

        checkFields(decoded, where + " (" + text + ")");
        return decoded;
    }

    private static void checkFields(Instruction decoded, String where) {
        Op op = decoded.op();
        if (op == Op.INVALID) {
            assertEquals(List.of(), decoded.operands(), where);
            return;
        }

        boolean conditional = op == Op.JCC || op == Op.SETCC || op == Op.CMOVCC;
        assertEquals(conditional, decoded.condition() >= 0, "condition " + where);
        assertTrue(decoded.condition() < 16, "condition " + where);

        boolean relative = op == Op.JCC || op == Op.JMP || op == Op.CALL;
        if (relative) {
            assertEquals(List.of(), decoded.operands(), where);
        } else {
            assertEquals(-1, decoded.target(), "target " + where);
        }

        if (!decoded.operands().isEmpty() || op == Op.SIGN_EXTEND_ACCUMULATOR) {
            assertTrue(SIZES.contains(decoded.size()), "size " + decoded.size() + " " + where);
        } else {
            assertEquals(0, decoded.size(), "size " + where);
        }

        int memoryOperands = 0;
        for (Operand operand : decoded.operands()) {
            switch (operand) {
                case Operand.Gpr gpr -> {
                    assertTrue(gpr.number() >= 0, where);
                    assertTrue(gpr.number() < 16, where);
                    assertTrue(SIZES.contains(gpr.size()), where);
                    if (gpr.highByte()) {
                        assertEquals(1, gpr.size(), "high byte " + where);
                        assertTrue(gpr.number() < 4, "high byte " + where);
                    }
                }
                case Operand.Xmm xmm -> {
                    assertTrue(xmm.number() >= 0, where);
                    assertTrue(xmm.number() < 16, where);
                }
                case Operand.Mem mem -> {
                    memoryOperands++;
                    assertTrue(mem.base() >= Operand.NONE, where);
                    assertTrue(mem.base() <= Operand.RIP, where);
                    assertTrue(mem.index() >= Operand.NONE, where);
                    assertTrue(mem.index() < 16, where);
                    assertTrue(mem.index() != 4, "RSP is no index " + where);
                    if (mem.base() == Operand.RIP) {
                        assertEquals(Operand.NONE, mem.index(), "RIP-relative " + where);
                    }
                    assertTrue(Set.of(1, 2, 4, 8).contains(mem.scale()), where);
                    if (mem.index() == Operand.NONE) {
                        assertEquals(1, mem.scale(), "scale without index " + where);
                    }
                    assertTrue(mem.displacement() == (int) mem.displacement(), where);
                    assertTrue(mem.segment() != null, where);
                }
                case Operand.Imm imm -> {
                    // Only movabs has an immediate beyond the sign-extended 32 bits.
                    assertTrue(imm.value() == (int) imm.value() || op == Op.MOV && decoded.size() == 8, where);
                }
            }
        }

        assertTrue(memoryOperands <= 1, where);
        if (op == Op.LEA) {
            assertEquals(1, memoryOperands, where);
        }
    }

    /** Also walks random code from start to end as the emulator walks a basic block. */
    @Test
    void sequentialWalk() {
        Random random = new Random(0x5EED_0003L);
        List<Op> seen = new ArrayList<>();
        byte[] code = new byte[4096];
        for (int j = 0; j < code.length; j++) {
            code[j] = (byte) (random.nextBoolean() ? MEANINGFUL[random.nextInt(MEANINGFUL.length)] : random.nextInt(256));
        }
        int offset = 0;
        int steps = 0;
        while (offset < code.length) {
            Instruction decoded = decodeChecked(code, offset);
            if (decoded.op() == Op.TRUNCATED) {
                break;
            }
            seen.add(decoded.op());
            offset = decoded.next();
            if (++steps > code.length) {
                fail("the walk did not advance at offset " + offset);
            }
        }
        assertTrue(seen.size() > 500, "walked only " + seen.size() + " instructions");
    }
}
