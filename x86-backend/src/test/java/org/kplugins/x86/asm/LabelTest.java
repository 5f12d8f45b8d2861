// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Label binding and the errors for unbound, rebound, foreign and out-of-range labels. */
class LabelTest {

    @Test
    void unboundLabelFailsFinish() {
        X86Assembler asm = new X86Assembler();
        asm.nop();
        Label exit = asm.newLabel("exit");
        asm.jcc(Condition.E, exit);
        IllegalStateException error = assertThrows(IllegalStateException.class, asm::finish);
        assertEquals("label 'exit' (used by je at offset 0x1) is never bound; call bind(label) at the target before finish()",
                        error.getMessage());
    }

    @Test
    void everyUnboundLabelIsNamed() {
        X86Assembler asm = new X86Assembler();
        Label first = asm.newLabel("first");
        Label second = asm.newLabel("second");
        asm.jmp(first);
        asm.lea(OperandSize.QWORD, Register.RAX, Memory.ripRelative(second));
        IllegalStateException error = assertThrows(IllegalStateException.class, asm::finish);
        assertEquals("labels 'first' (used by jmp at offset 0x0), 'second' (used by lea at offset 0x5) are never bound;"
                        + " call bind(label) at the target before finish()", error.getMessage());
    }

    @Test
    void unusedUnboundLabelIsAllowed() {
        X86Assembler asm = new X86Assembler();
        Label unused = asm.newLabel("unused");
        asm.ret();
        assertArrayEquals(new byte[] {(byte) 0xC3}, asm.finish());
        assertFalse(unused.isBound());
    }

    @Test
    void labelBindsOnce() {
        X86Assembler asm = new X86Assembler();
        Label loop = asm.newLabel("loop");
        asm.bind(loop);
        asm.nop();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> asm.bind(loop));
        assertEquals("label 'loop' is already bound at offset 0x0; a label marks one position, so create a new label"
                        + " for offset 0x1", error.getMessage());
    }

    @Test
    void positionOfUnboundLabelFails() {
        Label label = new X86Assembler().newLabel("later");
        IllegalStateException error = assertThrows(IllegalStateException.class, label::position);
        assertEquals("label 'later' is not bound yet", error.getMessage());
    }

    @Test
    void boundLabelReportsPosition() {
        X86Assembler asm = new X86Assembler();
        asm.nop();
        asm.nop();
        Label label = asm.newLabel("here");
        asm.bind(label);
        assertTrue(label.isBound());
        assertEquals(2, label.position());
        assertEquals("here", label.name());
    }

    @Test
    void shortForwardJumpOutOfRange() {
        X86Assembler asm = new X86Assembler();
        Label exit = asm.newLabel("exit");
        asm.jmp(exit, JumpDistance.SHORT);
        for (int i = 0; i < 128; i++) {
            asm.nop();
        }
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> asm.bind(exit));
        assertEquals("jmp at offset 0x0 to label 'exit' at offset 0x82: displacement 128 does not fit in a short jump"
                        + " (rel8, -128 to 127); use JumpDistance.NEAR", error.getMessage());
        assertFalse(exit.isBound(), "a failed bind leaves the label unbound");
    }

    @Test
    void shortBackwardJumpOutOfRange() {
        X86Assembler asm = new X86Assembler();
        Label top = asm.newLabel("top");
        asm.bind(top);
        for (int i = 0; i < 127; i++) {
            asm.nop();
        }
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                        () -> asm.jcc(Condition.NE, top, JumpDistance.SHORT));
        assertEquals("jne at offset 0x7f to label 'top' at offset 0x0: displacement -129 does not fit in a short jump"
                        + " (rel8, -128 to 127); use JumpDistance.NEAR", error.getMessage());
        assertEquals(127, asm.position(), "a rejected jump emits nothing");
    }

    @Test
    void callHasNoShortForm() {
        X86Assembler asm = new X86Assembler();
        Label target = asm.newLabel("target");
        asm.bind(target);
        asm.call(target);
        assertArrayEquals(new byte[] {(byte) 0xE8, (byte) 0xFB, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, asm.finish(),
                        "call to a nearby label is still rel32");
    }

    @Test
    void labelOfAnotherAssemblerIsRejected() {
        X86Assembler first = new X86Assembler();
        X86Assembler second = new X86Assembler();
        Label foreign = first.newLabel("foreign");
        IllegalArgumentException jump = assertThrows(IllegalArgumentException.class, () -> second.jmp(foreign));
        assertEquals("jmp: label 'foreign' belongs to another assembler; create it with newLabel on this one",
                        jump.getMessage());
        IllegalArgumentException bind = assertThrows(IllegalArgumentException.class, () -> second.bind(foreign));
        assertEquals("bind: label 'foreign' belongs to another assembler; create it with newLabel on this one",
                        bind.getMessage());
        IllegalArgumentException rip = assertThrows(IllegalArgumentException.class,
                        () -> second.lea(OperandSize.QWORD, Register.RAX, Memory.ripRelative(foreign)));
        assertEquals("lea: label 'foreign' belongs to another assembler; create it with newLabel on this one",
                        rip.getMessage());
    }

    @Test
    void nullLabelIsRejected() {
        X86Assembler asm = new X86Assembler();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> asm.jcc(Condition.L, null));
        assertEquals("jl: label is null", error.getMessage());
    }

    @Test
    void fixupsPatchAllReferences() {
        X86Assembler asm = new X86Assembler();
        Label done = asm.newLabel("done");
        asm.jmp(done, JumpDistance.SHORT);
        asm.jmp(done);
        asm.bind(done);
        asm.ret();
        // EB 05: jmp +5 over the 5-byte near jmp; E9 00000000: jmp +0.
        assertArrayEquals(new byte[] {(byte) 0xEB, 0x05, (byte) 0xE9, 0, 0, 0, 0, (byte) 0xC3}, asm.finish());
    }
}
