// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

/**
 * The operations of decoded instructions, with their operands in {@link Instruction#operands()}
 * order. {@code size} is {@link Instruction#size()}, the operand size in bytes.
 *
 * <p>A memory operand is accessed at {@code size} bytes, except that movzx, movsx and the
 * conversions access {@link Instruction#sourceSize()} bytes, indirect jmp and call 8 bytes, and lea
 * none. Operations without operands, and JCC, JMP and CALL, whose target is
 * {@link Instruction#target()}, have an empty operand list. An {@link Operand.Imm} is sign-extended
 * from its encoded 8, 16, 32 or 64 bits (the count of a shift is zero-extended), so an operation
 * narrower than 8 bytes uses only its low {@code size} bytes.
 */
public enum Op {
    /** mov dst, src: register, memory or immediate source (movabs included). */
    MOV,
    /** movzx dst, src, source of {@link Instruction#sourceSize()} bytes (1 or 2). */
    MOVZX,
    /** movsx or movsxd dst, src, source of {@link Instruction#sourceSize()} bytes (1, 2 or 4). */
    MOVSX,
    /** lea dst, mem: the memory operand's offset, truncated to {@code size}. */
    LEA,
    ADD, OR, ADC, SBB, AND, SUB, XOR, CMP,
    /** test a, b. */
    TEST,
    /** xchg a, b. */
    XCHG,
    /**
     * Shifts and rotates dst by an {@link Operand.Imm} count or by CL (an 8-bit {@link Operand.Gpr}
     * 1). RCL and RCR rotate through the carry flag.
     */
    SHL, SHR, SAR, ROL, ROR, RCL, RCR,
    NOT, NEG, INC, DEC,
    /** One-operand multiply and divide of rDX:rAX by the operand. */
    MUL, IMUL1, DIV, IDIV,
    /** imul dst, src. */
    IMUL2,
    /** imul dst, src, imm. */
    IMUL3,
    /** cwd, cdq or cqo (size 2, 4 or 8): sign-extends rAX into rDX. No operands. */
    SIGN_EXTEND_ACCUMULATOR,
    /** setcc dst (one byte), condition {@link Instruction#condition()}. */
    SETCC,
    /** cmovcc dst, src. */
    CMOVCC,
    /** Jump to code offset {@link Instruction#target()} when the condition holds. No operands, size 0. */
    JCC,
    /** Jump to code offset {@link Instruction#target()}. No operands, size 0. */
    JMP,
    /** Jump to the address in the operand (register or memory, 8 bytes). */
    JMP_INDIRECT,
    /** Push the next instruction's address and jump to code offset {@link Instruction#target()}. No operands, size 0. */
    CALL,
    /** Push the next instruction's address and jump to the address in the operand. */
    CALL_INDIRECT,
    /** Return: pop the address to jump to. No operands, size 0, as for NOP, INT3 and UD2. */
    RET,
    /** push of a register (8 bytes) or an immediate sign-extended to 8 bytes. */
    PUSH,
    /** pop into a register (8 bytes). */
    POP,
    NOP,
    /** int3: breakpoint exception. */
    INT3,
    /** ud2: the defined invalid opcode. */
    UD2,
    /** movd (size 4) or movq (size 8) between an XMM register and a general-purpose register or memory. */
    MOVD,
    /** movss (size 4) or movsd (size 8) between an XMM register and memory or another XMM register. */
    MOVS,
    /** Scalar SSE arithmetic, xmm dst op= xmm or memory src: single precision for size 4, double for 8. */
    ADDS, SUBS, MULS, DIVS,
    /** ucomiss (size 4) or ucomisd (size 8) a, b. */
    UCOMIS,
    /** cvtsi2ss (size 4) or cvtsi2sd (size 8) xmm dst, integer src of {@link Instruction#sourceSize()} bytes. */
    CVTSI2S,
    /** cvttss2si (sourceSize 4) or cvttsd2si (sourceSize 8) into an integer dst of {@code size} bytes. */
    CVTTS2SI,
    /** cvtss2sd xmm dst, xmm or memory src: size 8, sourceSize 4. */
    CVTSS2SD,
    /** cvtsd2ss xmm dst, xmm or memory src: size 4, sourceSize 8. */
    CVTSD2SS,
    /** xorps (size 4) or xorpd (size 8) xmm dst, xmm src: all 128 bits. */
    XORP,
    /**
     * Bytes that the decoder does not recognize as an instruction, or a form it rejects (for
     * example a register where only memory is allowed): executing it raises the invalid-opcode
     * exception.
     */
    INVALID,
    /**
     * An instruction that runs past the end of the code segment, or past 15 bytes: executing it
     * raises a general-protection exception, as a fetch beyond the code segment limit does.
     */
    TRUNCATED
}
