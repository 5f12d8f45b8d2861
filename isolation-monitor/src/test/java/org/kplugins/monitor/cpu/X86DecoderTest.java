// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fields of decoded instructions that the text comparison with objdump does not show:
 * register numbers and high-byte flags, memory operand fields, immediate values after sign or zero
 * extension, sizes, source sizes, conditions and branch targets.
 */
class X86DecoderTest {

    private static final int NONE = Operand.NONE;
    private static final Operand.Gpr EAX = new Operand.Gpr(0, 4, false);
    private static final Operand.Gpr RAX = new Operand.Gpr(0, 8, false);
    private static final Operand.Xmm XMM0 = new Operand.Xmm(0);
    private static final Operand.Xmm XMM1 = new Operand.Xmm(1);

    /** Decodes {@code hex} (bytes separated by spaces) at offset 0 and checks that it is one whole instruction. */
    private static Instruction decode(String hex) {
        byte[] code = HexFormat.ofDelimiter(" ").parseHex(hex);
        Instruction instruction = X86Decoder.decode(code, 0);
        assertEquals(code.length, instruction.length(), () -> "length of " + hex + " (" + X86Decoder.format(instruction) + ")");
        return instruction;
    }

    private static Instruction instruction(int length, Op op, int size, Operand... operands) {
        return new Instruction(0, length, op, size, 0, -1, -1, List.of(operands));
    }

    private static Operand.Mem mem(int base, int index, int scale, long displacement) {
        return new Operand.Mem(Segment.DEFAULT, base, index, scale, displacement);
    }

    @Test
    void gsOverrideSetsSegment() {
        assertEquals(instruction(4, Op.MOV, 4, EAX, new Operand.Mem(Segment.GS, 0, NONE, 1, 8)), decode("65 8b 40 08"));
    }

    @Test
    void everySegmentOverride() {
        String[] prefixes = {"26", "2e", "36", "3e", "64", "65"};
        Segment[] segments = {Segment.ES, Segment.CS, Segment.SS, Segment.DS, Segment.FS, Segment.GS};
        for (int i = 0; i < prefixes.length; i++) {
            Instruction decoded = decode(prefixes[i] + " 8b 00");
            assertEquals(new Operand.Mem(segments[i], 0, NONE, 1, 0), decoded.operand(1), prefixes[i]);
        }
    }

    @Test
    void highByteWithoutRex() {
        // 88 /r is mov r/m8, r8: r/m is al, reg 4 is ah without REX and spl with any REX.
        assertEquals(instruction(2, Op.MOV, 1, new Operand.Gpr(0, 1, false), new Operand.Gpr(0, 1, true)),
                        decode("88 e0"));
        assertEquals(instruction(3, Op.MOV, 1, new Operand.Gpr(0, 1, false), new Operand.Gpr(4, 1, false)),
                        decode("40 88 e0"));
        assertEquals(instruction(2, Op.MOV, 1, new Operand.Gpr(3, 1, true), new Operand.Imm(0x12)), decode("b7 12"));
        assertEquals(instruction(3, Op.MOV, 1, new Operand.Gpr(15, 1, false), new Operand.Imm(0x12)), decode("41 b7 12"));
    }

    @Test
    void movzxOfHighByte() {
        Instruction decoded = decode("0f b6 c4");
        assertEquals(new Instruction(0, 3, Op.MOVZX, 4, 1, -1, -1, List.of(EAX, new Operand.Gpr(0, 1, true))), decoded);
        assertEquals(new Operand.Gpr(4, 1, false), decode("40 0f b6 c4").operand(1));
    }

    @Test
    void immediatesSignExtended() {
        assertEquals(new Operand.Imm(-1), decode("48 83 c0 ff").operand(1));
        assertEquals(new Operand.Imm(-128), decode("80 c1 80").operand(1));
        assertEquals(new Operand.Imm(-1), decode("66 05 ff ff").operand(1));
        assertEquals(new Operand.Imm(-2), decode("b8 fe ff ff ff").operand(1));
        assertEquals(new Operand.Imm(Integer.MIN_VALUE), decode("48 c7 c0 00 00 00 80").operand(1));
        assertEquals(new Operand.Imm(0x8000_0000_0000_0001L), decode("48 b8 01 00 00 00 00 00 00 80").operand(1));
        assertEquals(new Operand.Imm(-1), decode("6a ff").operand(0));
        assertEquals(new Operand.Imm(-100), decode("6b c1 9c").operand(2));
        assertEquals(new Operand.Imm(0x1234), decode("66 69 c1 34 12").operand(2));
    }

    @Test
    void shiftCountsZeroExtended() {
        assertEquals(instruction(3, Op.SHL, 4, EAX, new Operand.Imm(255)), decode("c1 e0 ff"));
        assertEquals(instruction(2, Op.SAR, 1, new Operand.Gpr(0, 1, false), new Operand.Imm(1)), decode("d0 f8"));
        assertEquals(instruction(3, Op.RCR, 8, RAX, new Operand.Gpr(1, 1, false)), decode("48 d3 d8"));
        assertEquals(instruction(2, Op.RCL, 4, EAX, new Operand.Imm(1)), decode("d1 d0"));
    }

    @Test
    void relativeTargets() {
        byte[] code = HexFormat.ofDelimiter(" ").parseHex("90 90 eb 80 e8 00 00 00 80 0f 8f fe ff ff ff eb fe");
        assertEquals(new Instruction(2, 2, Op.JMP, 0, 0, -1, 4 - 128, List.of()), X86Decoder.decode(code, 2));
        assertEquals(new Instruction(4, 5, Op.CALL, 0, 0, -1, 9L + Integer.MIN_VALUE, List.of()), X86Decoder.decode(code, 4));
        assertEquals(new Instruction(9, 6, Op.JCC, 0, 0, 15, 13, List.of()), X86Decoder.decode(code, 9));
        assertEquals(new Instruction(15, 2, Op.JMP, 0, 0, -1, 15, List.of()), X86Decoder.decode(code, 15));
        assertEquals(new Instruction(0, 2, Op.JCC, 0, 0, 2, 0x81, List.of()), decode("72 7f"));
    }

    @Test
    void addressingForms() {
        assertEquals(mem(Operand.RIP, NONE, 1, 0x10), decode("8b 05 10 00 00 00").operand(1));
        assertEquals(mem(Operand.RIP, NONE, 1, -0x10), decode("c7 05 f0 ff ff ff 01 00 00 00").operand(0));
        assertEquals(mem(NONE, NONE, 1, -0x10), decode("8b 04 25 f0 ff ff ff").operand(1));
        assertEquals(mem(NONE, 0, 4, 0x10), decode("8b 04 85 10 00 00 00").operand(1));
        assertEquals(mem(13, NONE, 1, 0), decode("41 8b 45 00").operand(1));
        assertEquals(mem(5, NONE, 1, 0), decode("8b 45 00").operand(1));
        assertEquals(mem(12, NONE, 1, 0), decode("41 8b 04 24").operand(1));
        assertEquals(mem(4, NONE, 1, -0x80), decode("8b 44 24 80").operand(1));
        assertEquals(mem(0, 12, 1, 0), decode("42 8b 04 20").operand(1));
        assertEquals(mem(13, 12, 2, 0x7fffffff), decode("43 8b 84 65 ff ff ff 7f").operand(1));
        // SIB base 101 with mod 00 has no base even with REX.B, and index 100 with scale bits has no index.
        assertEquals(mem(NONE, NONE, 1, 0x10), decode("41 8b 04 65 10 00 00 00").operand(1));
        assertEquals(mem(0, NONE, 1, Integer.MIN_VALUE), decode("8b 80 00 00 00 80").operand(1));
    }

    @Test
    void operandSizes() {
        assertEquals(instruction(3, Op.ADD, 2, new Operand.Gpr(0, 2, false), new Operand.Gpr(1, 2, false)),
                        decode("66 01 c8"));
        // REX.W wins over 66.
        assertEquals(instruction(4, Op.ADD, 8, RAX, new Operand.Gpr(1, 8, false)), decode("66 48 01 c8"));
        assertEquals(instruction(2, Op.SIGN_EXTEND_ACCUMULATOR, 8), decode("48 99"));
        assertEquals(instruction(2, Op.SIGN_EXTEND_ACCUMULATOR, 2), decode("66 99"));
        assertEquals(instruction(1, Op.SIGN_EXTEND_ACCUMULATOR, 4), decode("99"));
        assertEquals(instruction(3, Op.JMP_INDIRECT, 8, new Operand.Gpr(11, 8, false)), decode("41 ff e3"));
        assertEquals(instruction(6, Op.CALL_INDIRECT, 8, mem(Operand.RIP, NONE, 1, 0)), decode("ff 15 00 00 00 00"));
        assertEquals(instruction(2, Op.PUSH, 8, new Operand.Gpr(12, 8, false)), decode("41 54"));
        assertEquals(instruction(2, Op.POP, 8, new Operand.Gpr(8, 8, false)), decode("41 58"));
    }

    @Test
    void exchangeForms() {
        assertEquals(instruction(1, Op.XCHG, 4, new Operand.Gpr(1, 4, false), EAX), decode("91"));
        assertEquals(instruction(2, Op.XCHG, 8, new Operand.Gpr(8, 8, false), RAX), decode("49 90"));
        assertEquals(instruction(1, Op.NOP, 0), decode("90"));
        assertEquals(instruction(2, Op.NOP, 0), decode("48 90"));
        assertEquals(instruction(2, Op.XCHG, 4, EAX, EAX), decode("87 c0"));
        assertEquals(instruction(2, Op.XCHG, 4, mem(0, NONE, 1, 0), new Operand.Gpr(1, 4, false)), decode("87 08"));
    }

    @Test
    void conditions() {
        for (int condition = 0; condition < 16; condition++) {
            String cc = String.format("%02x", 0x90 + condition);
            assertEquals(new Instruction(0, 4, Op.SETCC, 1, 0, condition, -1, List.of(new Operand.Gpr(12, 1, false))),
                            decode("41 0f " + cc + " c4"));
            String cmov = String.format("%02x", 0x40 + condition);
            assertEquals(new Instruction(0, 4, Op.CMOVCC, 8, 0, condition, -1, List.of(RAX, new Operand.Gpr(9, 8, false))),
                            decode("49 0f " + cmov + " c1"));
        }
    }

    @Test
    void extensionSourceSizes() {
        assertEquals(new Instruction(0, 3, Op.MOVZX, 4, 1, -1, -1, List.of(EAX, mem(0, NONE, 1, 0))), decode("0f b6 00"));
        assertEquals(new Instruction(0, 4, Op.MOVSX, 8, 2, -1, -1, List.of(RAX, new Operand.Gpr(1, 2, false))),
                        decode("48 0f bf c1"));
        assertEquals(new Instruction(0, 4, Op.MOVZX, 2, 1, -1, -1, List.of(new Operand.Gpr(0, 2, false),
                        new Operand.Gpr(0, 1, false))), decode("66 0f b6 c0"));
        assertEquals(new Instruction(0, 3, Op.MOVSX, 8, 4, -1, -1, List.of(RAX, mem(0, NONE, 1, 0))), decode("48 63 00"));
    }

    @Test
    void sseSizes() {
        assertEquals(new Instruction(0, 5, Op.CVTSI2S, 8, 8, -1, -1, List.of(XMM0, RAX)), decode("f2 48 0f 2a c0"));
        assertEquals(new Instruction(0, 4, Op.CVTSI2S, 4, 4, -1, -1, List.of(XMM1, mem(0, NONE, 1, 0))),
                        decode("f3 0f 2a 08"));
        assertEquals(new Instruction(0, 4, Op.CVTTS2SI, 4, 8, -1, -1, List.of(EAX, XMM1)), decode("f2 0f 2c c1"));
        assertEquals(new Instruction(0, 5, Op.CVTTS2SI, 8, 4, -1, -1, List.of(RAX, XMM1)), decode("f3 48 0f 2c c1"));
        assertEquals(new Instruction(0, 4, Op.CVTSS2SD, 8, 4, -1, -1, List.of(XMM0, XMM1)), decode("f3 0f 5a c1"));
        assertEquals(new Instruction(0, 4, Op.CVTSD2SS, 4, 8, -1, -1, List.of(XMM0, XMM1)), decode("f2 0f 5a c1"));
        assertEquals(instruction(5, Op.MOVD, 8, RAX, XMM0), decode("66 48 0f 7e c0"));
        assertEquals(instruction(5, Op.MOVD, 4, new Operand.Xmm(9), new Operand.Gpr(12, 4, false)), decode("66 45 0f 6e cc"));
        assertEquals(instruction(4, Op.MOVS, 8, new Operand.Xmm(1), XMM0), decode("f2 0f 11 c1"));
        assertEquals(instruction(4, Op.MOVS, 4, mem(0, NONE, 1, 0), XMM0), decode("f3 0f 11 00"));
        assertEquals(instruction(5, Op.UCOMIS, 8, XMM0, new Operand.Xmm(15)), decode("66 41 0f 2e c7"));
        assertEquals(instruction(3, Op.XORP, 4, XMM0, XMM0), decode("0f 57 c0"));
        assertEquals(instruction(10, Op.DIVS, 8, new Operand.Xmm(8), mem(NONE, NONE, 1, 0)),
                        decode("f2 44 0f 5e 04 25 00 00 00 00"));
    }

    @Test
    void decodesAtOffset() {
        byte[] code = HexFormat.ofDelimiter(" ").parseHex("c3 48 01 d8 cc");
        Instruction add = X86Decoder.decode(code, 1);
        assertEquals(new Instruction(1, 3, Op.ADD, 8, 0, -1, -1, List.of(RAX, new Operand.Gpr(3, 8, false))), add);
        assertEquals(4, add.next());
        assertEquals(instruction(1, Op.RET, 0), X86Decoder.decode(code, 0));
        assertEquals(new Instruction(4, 1, Op.INT3, 0, 0, -1, -1, List.of()), X86Decoder.decode(code, 4));
        assertEquals(instruction(2, Op.UD2, 0), decode("0f 0b"));
    }

    @Test
    void formatsWithoutObjdump() {
        assertEquals("mov eax,DWORD PTR gs:[rax+0x8]", X86Decoder.format(decode("65 8b 40 08")));
        assertEquals("movabs rax,0x8000000000000001", X86Decoder.format(decode("48 b8 01 00 00 00 00 00 00 80")));
        assertEquals("mov rax,0x5", X86Decoder.format(decode("48 b8 05 00 00 00 00 00 00 00")));
        assertEquals("shl eax,0x1", X86Decoder.format(decode("d1 e0")));
        assertEquals("(bad)", X86Decoder.format(decode("0f 05")));
        assertEquals("(truncated)", X86Decoder.format(X86Decoder.decode(new byte[] {(byte) 0x8b}, 0)));
    }
}
