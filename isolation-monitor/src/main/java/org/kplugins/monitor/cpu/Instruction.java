// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import java.util.List;

/**
 * One decoded x86-64 instruction.
 *
 * @param offset     code-segment offset of its first byte
 * @param length     its length in bytes; 0 for {@link Op#TRUNCATED}
 * @param op         what it does
 * @param size       operand size in bytes (1, 2, 4 or 8), 0 where the operation has none
 * @param sourceSize size in bytes of the source of a widening or converting move, else 0
 * @param condition  the x86 condition code 0 to 15 of JCC, SETCC and CMOVCC, else -1
 * @param target     the code offset a relative JCC, JMP or CALL goes to, else -1: the offset of the
 *                   next instruction plus the displacement, which may be negative (-1 included) or
 *                   beyond the code, so test {@code op} to know whether there is a target
 * @param operands   the operands in the order {@link Op} gives
 */
public record Instruction(int offset, int length, Op op, int size, int sourceSize, int condition, long target,
                List<Operand> operands) {

    /** Returns the code offset of the next instruction. */
    public int next() {
        return offset + length;
    }

    /** Returns operand {@code i}. */
    public Operand operand(int i) {
        return operands.get(i);
    }
}
