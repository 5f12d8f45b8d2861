// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

/**
 * The machine instructions that instruction selection produces, with the role of each operand:
 * D is written, U is read, UD is read and written. Operand 0 comes first.
 */
public enum Opcode {
    /** mov D, U. */
    MOV(Role.DEF, Role.USE),
    /** Zero-extends a 32-bit U into the 64-bit D. */
    MOVZX32(Role.DEF, Role.USE),
    /** movzx D, U from {@code sourceSize}. */
    MOVZX(Role.DEF, Role.USE),
    /** movsx D, U from {@code sourceSize} (movsxd from a DWORD). */
    MOVSX(Role.DEF, Role.USE),
    /** lea D, [memory]. */
    LEA(Role.DEF, Role.USE),
    /** lea D, [U + U + immediate]: the sum of two registers and a constant in one instruction. */
    LEA_SUM(Role.DEF, Role.USE, Role.USE, Role.USE),
    ADD(Role.USE_DEF, Role.USE),
    SUB(Role.USE_DEF, Role.USE),
    AND(Role.USE_DEF, Role.USE),
    OR(Role.USE_DEF, Role.USE),
    XOR(Role.USE_DEF, Role.USE),
    /** imul UD, U. */
    IMUL(Role.USE_DEF, Role.USE),
    /** imul D, U, immediate. */
    IMUL3(Role.DEF, Role.USE, Role.USE),
    /** Shifts UD by an immediate or by CL. */
    SHL(Role.USE_DEF, Role.USE),
    SHR(Role.USE_DEF, Role.USE),
    SAR(Role.USE_DEF, Role.USE),
    NEG(Role.USE_DEF),
    NOT(Role.USE_DEF),
    CMP(Role.USE, Role.USE),
    TEST(Role.USE, Role.USE),
    /** setcc on a physical byte register. */
    SETCC(Role.DEF),
    /** Sign-extends EAX into EDX, or RAX into RDX at QWORD size (cdq, cqo). */
    SIGN_EXTEND_ACCUMULATOR(),
    /** idiv U: RDX:RAX by U. */
    IDIV(Role.USE),
    /** div U: RDX:RAX by U, unsigned. */
    DIV(Role.USE),
    /** movd or movq (QWORD) from the general-purpose U into the XMM register D. */
    MOVD_TO_XMM(Role.DEF, Role.USE),
    /** movd or movq (QWORD) from the XMM register U into the general-purpose D. */
    MOVD_FROM_XMM(Role.DEF, Role.USE),
    /** Scalar SSE arithmetic on XMM registers, UD op= U; DWORD is single precision, QWORD double. */
    ADDS(Role.USE_DEF, Role.USE),
    SUBS(Role.USE_DEF, Role.USE),
    MULS(Role.USE_DEF, Role.USE),
    DIVS(Role.USE_DEF, Role.USE),
    /** ucomiss or ucomisd U, U. */
    UCOMIS(Role.USE, Role.USE),
    /** cvtsi2ss or cvtsi2sd XMM D, general-purpose U of {@code sourceSize}. */
    CVTSI2S(Role.DEF, Role.USE),
    /** cvttss2si or cvttsd2si ({@code sourceSize}) general-purpose D, XMM U. */
    CVTTS2SI(Role.DEF, Role.USE),
    CVTSS2SD(Role.DEF, Role.USE),
    CVTSD2SS(Role.DEF, Role.USE),
    /** Jump to {@code target} when {@code condition} holds. */
    JCC(),
    JMP(),
    /** Binds {@code target} here: a label inside an instruction pattern. */
    BIND(),
    /** Jump to a fault stub when {@code condition} holds, or always when it is null. */
    FAULT_JUMP(),
    /** Call plugin function {@code callee}. */
    CALL(),
    /** call qword [memory]. */
    CALL_INDIRECT(Role.USE),
    PUSH(Role.USE),
    POP(Role.DEF),
    /** Leave the function through its epilogue; the result is already in RAX. */
    RETURN();

    /** How an instruction uses an operand. A memory operand's registers are always read. */
    public enum Role {
        DEF, USE, USE_DEF
    }

    private final Role[] roles;

    Opcode(Role... roles) {
        this.roles = roles;
    }

    /** Returns the role of operand {@code index}. */
    public Role role(int index) {
        return roles[index];
    }

    public int operandCount() {
        return roles.length;
    }
}
