// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Register codes and names, operand sizes and condition negation. */
class OperandTypesTest {

    @Test
    void registerCodes() {
        for (int i = 0; i < 16; i++) {
            Register register = Register.GENERAL_PURPOSE.get(i);
            assertEquals(i, register.encoding(), register + " encoding");
            assertEquals(i & 7, register.lowBits(), register + " low bits");
            assertEquals(i >= 8, register.needsRexBit(), register + " REX bit");
            assertFalse(register.isHighByte(), register + " is not a high-byte register");
        }
        assertEquals(4, Register.AH.lowBits());
        assertEquals(7, Register.BH.lowBits());
        assertTrue(Register.CH.isHighByte());
        assertFalse(Register.DH.needsRexBit());
    }

    @Test
    void registerNames() {
        assertEquals("rsp", Register.RSP.nameAt(OperandSize.QWORD));
        assertEquals("esp", Register.RSP.nameAt(OperandSize.DWORD));
        assertEquals("sp", Register.RSP.nameAt(OperandSize.WORD));
        assertEquals("spl", Register.RSP.nameAt(OperandSize.BYTE));
        assertEquals("r11d", Register.R11.nameAt(OperandSize.DWORD));
        assertEquals("r11w", Register.R11.nameAt(OperandSize.WORD));
        assertEquals("r11b", Register.R11.nameAt(OperandSize.BYTE));
        assertEquals("ah", Register.AH.nameAt(OperandSize.BYTE));
        assertNull(Register.AH.nameAt(OperandSize.DWORD));
        assertEquals("bh", Register.BH.toString());
        assertEquals("r15", Register.R15.toString());
    }

    @Test
    void byteFormsThatNeedRex() {
        for (Register register : Register.values()) {
            boolean expected = register == Register.RSP || register == Register.RBP || register == Register.RSI
                            || register == Register.RDI;
            assertEquals(expected, register.byteFormNeedsRex(), register + " byte form needs REX");
        }
    }

    @Test
    void operandSizes() {
        assertEquals(8, OperandSize.BYTE.bits());
        assertEquals(2, OperandSize.WORD.bytes());
        assertEquals(4, OperandSize.DWORD.bytes());
        assertEquals(64, OperandSize.QWORD.bits());
    }

    @Test
    void conditionNegation() {
        assertEquals(Condition.NE, Condition.E.negate());
        assertEquals(Condition.AE, Condition.B.negate());
        assertEquals(Condition.LE, Condition.G.negate());
        assertEquals(Condition.NO, Condition.O.negate());
        for (Condition condition : Condition.values()) {
            assertEquals(condition, condition.negate().negate(), condition + " negated twice");
            assertEquals(condition.code() ^ 1, condition.negate().code(), condition + " negated code");
        }
    }
}
