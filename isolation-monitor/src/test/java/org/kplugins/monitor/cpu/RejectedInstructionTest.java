// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bytes that decode to {@link Op#INVALID} or {@link Op#TRUNCATED}, with the length each reports. */
class RejectedInstructionTest {

    private record Case(String hex, int length, String why) {
    }

    /** Invalid instructions; the length covers the bytes up to and including the one that made them invalid. */
    private static final List<Case> INVALID = List.of(
                    new Case("8d c0", 2, "lea with a register source"),
                    new Case("66 8d c8", 3, "16-bit lea with a register source"),
                    new Case("f0 01 c0", 1, "LOCK prefix"),
                    new Case("f0 87 00", 1, "LOCK prefix on xchg"),
                    new Case("67 8b 00", 1, "address-size prefix"),
                    new Case("0f 05", 2, "syscall"),
                    new Case("cd 80", 1, "int 0x80"),
                    new Case("06", 1, "push es, invalid in 64-bit mode"),
                    new Case("82 c0 01", 1, "82, invalid in 64-bit mode"),
                    new Case("c4 e1 79 6e c0", 1, "VEX prefix"),
                    new Case("62 f1 7c 48 58 c1", 1, "EVEX prefix"),
                    new Case("a1 00 00 00 00 00 00 00 00", 1, "moffs load"),
                    new Case("48 66 01 c0", 2, "REX before the 66 prefix"),
                    new Case("40 48 01 c0", 2, "two REX prefixes"),
                    new Case("65 01 c0", 3, "segment override without a memory operand"),
                    new Case("64 c3", 2, "segment override on ret"),
                    new Case("65 8d 00", 3, "segment override on lea"),
                    new Case("64 65 8b 00", 2, "two different segment overrides"),
                    new Case("65 65 8b 00", 2, "a repeated segment override"),
                    new Case("f3 01 c0", 2, "rep prefix on add"),
                    new Case("f3 90", 2, "pause"),
                    new Case("f3 c3", 2, "rep ret"),
                    new Case("f2 f3 0f 58 c0", 2, "both F2 and F3"),
                    new Case("f2 0f af c0", 3, "F2 on imul"),
                    new Case("66 0f 58 c0", 3, "addpd"),
                    new Case("0f 58 c0", 2, "addps"),
                    new Case("66 f3 0f 58 c0", 4, "66 with F3 on addss"),
                    new Case("f3 0f 2e c0", 3, "F3 on ucomiss"),
                    new Case("0f 57 00", 3, "xorps with a memory operand"),
                    new Case("0f 6e c0", 2, "movd to an MMX register"),
                    new Case("f3 0f 7e c0", 3, "movq xmm, xmm (F3 0F 7E)"),
                    new Case("66 0f d6 00", 3, "movq store with 66 0F D6"),
                    new Case("63 c0", 1, "movsxd without REX.W"),
                    new Case("66 0f b7 c0", 3, "movzx of a 16-bit source into a 16-bit register"),
                    new Case("66 0f bf c0", 3, "movsx of a 16-bit source into a 16-bit register"),
                    new Case("f6 c8 01", 2, "test /1"),
                    new Case("d1 f0", 2, "shift /6"),
                    new Case("c0 30 01", 2, "shift /6 of memory"),
                    new Case("ff f0", 2, "push r/m"),
                    new Case("ff 18", 2, "far call"),
                    new Case("ff 28", 2, "far jmp"),
                    new Case("fe 10", 2, "FE /2"),
                    new Case("c6 f8 00", 2, "xabort"),
                    new Case("c7 c8 00 00 00 00", 2, "C7 /1"),
                    new Case("66 c3", 2, "16-bit ret"),
                    new Case("66 50", 2, "16-bit push"),
                    new Case("66 6a 01", 2, "16-bit push of an immediate"),
                    new Case("66 e8 00 00 00 00", 2, "16-bit call"),
                    new Case("66 eb 00", 2, "16-bit jmp"),
                    new Case("66 ff e0", 3, "16-bit indirect jmp"),
                    new Case("66 0f 94 c0", 3, "66 on setcc"),
                    new Case("66 88 c0", 2, "66 on a byte mov"),
                    new Case("66 b0 01", 2, "66 on mov r8, imm8"),
                    new Case("66 04 01", 2, "66 on add al, imm8"),
                    new Case("0f 1f 00", 2, "multi-byte nop"),
                    new Case("0f 0f c0 00", 2, "3DNow! escape"),
                    new Case("0f 38 00 c0", 2, "three-byte opcode 0F 38"),
                    new Case("98", 1, "cwde"),
                    new Case("c2 00 00", 1, "ret imm16"),
                    new Case("66 66 66 66 66 66 66 66 66 66 66 66 66 66 06", 15, "15 bytes ending in an invalid opcode"));

    private static byte[] bytes(String hex) {
        return HexFormat.ofDelimiter(" ").parseHex(hex);
    }

    @Test
    void invalidForms() {
        for (Case c : INVALID) {
            Instruction decoded = X86Decoder.decode(bytes(c.hex()), 0);
            assertEquals(Op.INVALID, decoded.op(), () -> c.why() + " (" + c.hex() + "): decoded " + X86Decoder.format(decoded));
            assertEquals(c.length(), decoded.length(), () -> c.why() + " (" + c.hex() + "): length");
            assertEquals(List.of(), decoded.operands(), c.why());
        }
    }

    @Test
    void invalidAtOffset() {
        byte[] code = bytes("90 0f 05 90");
        Instruction decoded = X86Decoder.decode(code, 1);
        assertEquals(new Instruction(1, 2, Op.INVALID, 0, 0, -1, -1, List.of()), decoded);
        assertEquals(3, decoded.next());
    }

    /** Instructions that need one more byte than the code has. */
    private static final List<String> CUT_SHORT = List.of("8b", "8b 04", "8b 05 00 00 00", "8b 44 24", "8b 80 00 00 00",
                    "e8 00 00 00", "eb", "0f 85 00 00 00", "48 b8 01 02 03 04 05 06 07", "66 b8 01", "66", "48", "65",
                    "f2 0f", "f2 0f 58", "0f", "c7 00 01 00 00", "66 c7 00 01", "69 c0 01 00 00", "c1 e0", "6a",
                    "65 8b 04 25 00 00 00");

    @Test
    void truncatedAtEndOfCode() {
        for (String hex : CUT_SHORT) {
            Instruction decoded = X86Decoder.decode(bytes(hex), 0);
            assertEquals(new Instruction(0, 0, Op.TRUNCATED, 0, 0, -1, -1, List.of()), decoded, hex);
            // Followed by zero bytes, the same bytes start a longer instruction, valid or invalid.
            Instruction padded = X86Decoder.decode(bytes(hex + " 00".repeat(16)), 0);
            assertNotEquals(Op.TRUNCATED, padded.op(), hex);
            assertTrue(padded.length() > bytes(hex).length, () -> hex + " 00...: " + X86Decoder.format(padded));
        }
    }

    @Test
    void truncatedInMiddleOfCode() {
        byte[] code = bytes("90 90 48 8b 05 10 00");
        assertEquals(new Instruction(2, 0, Op.TRUNCATED, 0, 0, -1, -1, List.of()), X86Decoder.decode(code, 2));
        assertEquals(Op.NOP, X86Decoder.decode(code, 1).op());
    }

    @Test
    void fifteenByteLimit() {
        // 66 f7 /0 is test WORD PTR [rax], imm16: 5 bytes, padded with repeated 66 prefixes.
        String test = "f7 00 34 12";
        Instruction fifteen = X86Decoder.decode(bytes("66 ".repeat(11) + test), 0);
        assertEquals(Op.TEST, fifteen.op());
        assertEquals(15, fifteen.length());
        assertEquals(new Operand.Imm(0x1234), fifteen.operand(1));

        // One prefix more makes 16 bytes, over the limit although the code has all of them.
        byte[] sixteen = bytes("66 ".repeat(12) + test + " 90 90");
        assertEquals(new Instruction(0, 0, Op.TRUNCATED, 0, 0, -1, -1, List.of()), X86Decoder.decode(sixteen, 0));
        assertEquals(Op.TRUNCATED, X86Decoder.decode(bytes("66 ".repeat(15) + "90"), 0).op());
        assertEquals(Op.TRUNCATED, X86Decoder.decode(bytes("66 ".repeat(14) + "05 00 00 90"), 0).op());
    }

    @Test
    void offsetOutsideCode() {
        byte[] code = bytes("90 c3");
        assertEquals(new Instruction(2, 0, Op.TRUNCATED, 0, 0, -1, -1, List.of()), X86Decoder.decode(code, 2));
        assertEquals(new Instruction(-1, 0, Op.TRUNCATED, 0, 0, -1, -1, List.of()), X86Decoder.decode(code, -1));
        assertEquals(Op.TRUNCATED, X86Decoder.decode(new byte[0], 0).op());
    }
}
