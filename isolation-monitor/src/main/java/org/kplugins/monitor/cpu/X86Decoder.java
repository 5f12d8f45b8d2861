// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import java.util.List;

/**
 * Decodes the x86-64 machine code that the x86 tier's assembler emits into {@link Instruction}s.
 *
 * <p>The decoder reads legacy prefixes, then REX, then a one-byte or {@code 0F}-escaped opcode,
 * ModRM, SIB, displacement and immediate. It accepts the integer, control-transfer and scalar SSE
 * forms listed in {@link Op}. It is stricter than a processor, so some bytes a processor would run
 * decode as {@link Op#INVALID}:
 * <ul>
 * <li>the LOCK ({@code F0}) and address-size ({@code 67}) prefixes;
 * <li>a REX prefix that is not immediately before the opcode;
 * <li>more than one segment override, or one on an instruction without a memory access (LEA
 * included);
 * <li>{@code F2} or {@code F3} on an integer instruction (so {@code pause} and {@code rep ret}),
 * and {@code 66} where it does not select a 16-bit operand (byte operations, branches, push, pop,
 * setcc);
 * <li>a scalar SSE instruction whose mandatory prefix is missing or combined with another one of
 * {@code 66}, {@code F2} and {@code F3};
 * <li>forms the assembler never emits, among them {@code movsxd} without REX.W, 16-bit
 * {@code movzx} and {@code movsx} of a 16-bit source, {@code push r/m}, the {@code A0}-{@code A3}
 * moffs moves, multi-byte NOPs, {@code movq} with {@code F3 0F 7E} or {@code 66 0F D6}, and
 * xorps or xorpd with a memory operand.
 * </ul>
 *
 * <p>{@link #decode} never throws for an offset inside the code. Each call allocates a small reader,
 * the instruction, its operand list and any memory operand or immediate; register operands are
 * shared constants.
 */
public final class X86Decoder {

    /** Maximum instruction length in bytes. The processor raises a general-protection exception on a longer one. */
    public static final int MAX_INSTRUCTION_LENGTH = 15;

    private X86Decoder() {
    }

    /**
     * Decodes the instruction at {@code offset} of a code segment whose limit is
     * {@code code.length}.
     *
     * <p>An instruction that needs a byte at or beyond {@code code.length}, or beyond its 15th byte,
     * is {@link Op#TRUNCATED} with length 0, and so is any {@code offset} outside
     * {@code [0, code.length)}. Bytes the decoder rejects are {@link Op#INVALID}, with a length
     * that covers the bytes read up to and including the one that made the instruction invalid
     * (at least 1).
     *
     * @throws NullPointerException if {@code code} is null
     */
    public static Instruction decode(byte[] code, int offset) {
        if (offset < 0 || offset >= code.length) {
            return truncated(offset);
        }
        InstructionReader reader = new InstructionReader(code, offset,
                        (int) Math.min(code.length, (long) offset + MAX_INSTRUCTION_LENGTH));
        try {
            return reader.decode();
        } catch (InstructionReader.EndOfInstruction e) {
            return truncated(offset);
        } catch (InstructionReader.InvalidInstruction e) {
            return new Instruction(offset, reader.position() - offset, Op.INVALID, 0, 0, -1, -1, List.of());
        }
    }

    /**
     * Formats {@code instruction} in Intel syntax as {@code objdump -d -M intel} (binutils 2.40)
     * prints it, with one space after the mnemonic, for example
     * {@code mov eax,DWORD PTR gs:[rax+0x8]}. Immediates are hexadecimal and truncated to the
     * operand size, and relative branch targets print as code offsets. Like objdump, it prints an
     * ES, CS, SS or DS override as a word before the mnemonic ({@code es mov ...}), because those
     * segments are flat in 64-bit mode. {@link Op#INVALID} prints as {@code (bad)} and
     * {@link Op#TRUNCATED} as {@code (truncated)}.
     *
     * <p>The text differs from objdump's where the {@link Instruction} does not keep the encoding:
     * <ul>
     * <li>a shift or rotate by 1 prints its count as {@code 0x1}, where objdump prints {@code 1} for
     * the D0 and D1 forms;
     * <li>{@code mov r64, imm64} prints as {@code movabs} only when the value does not fit in a
     * sign-extended 32-bit immediate, but objdump prints {@code movabs} for every REX.W B8+r form;
     * <li>a zero displacement prints only with an RBP or R13 base or without a base, where every
     * encoding has one, but objdump prints it wherever it is encoded;
     * <li>a SIB byte that the address did not need prints without objdump's {@code riz}, and a DS
     * override on an indirect jmp or call prints as {@code ds}, where objdump prints
     * {@code notrack};
     * <li>objdump names unused REX bits ({@code rex.W}) and a 66 prefix that REX.W overrides
     * ({@code data16}), and this text omits them.
     * </ul>
     */
    public static String format(Instruction instruction) {
        return IntelSyntaxFormatter.format(instruction);
    }

    private static Instruction truncated(int offset) {
        return new Instruction(offset, 0, Op.TRUNCATED, 0, 0, -1, -1, List.of());
    }
}
