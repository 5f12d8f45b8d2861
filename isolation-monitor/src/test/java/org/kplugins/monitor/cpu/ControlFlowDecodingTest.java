// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.kplugins.monitor.cpu.AsmOperands.GPR64;
import static org.kplugins.monitor.cpu.AsmOperands.MEMORY;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Control transfer decoded like objdump: jcc, jmp and call with rel8 and rel32 displacements
 * forward, backward and to targets before the code, indirect jmp and call through every register
 * and memory form, and ret, nop, int3 and ud2. A target prints as a code offset, so this also
 * checks {@link Instruction#target()}.
 */
class ControlFlowDecodingTest {

    @Test
    void controlFlowMatchesObjdump() {
        List<String> lines = new ArrayList<>();
        lines.add("jmp .-0x10"); // at offset 0, so the target is before the code
        lines.add("call .-0x1000");
        for (String condition : DataMovementDecodingTest.CONDITIONS) {
            lines.add("j" + condition + " .+0x2");
            lines.add("j" + condition + " .-0x7e");
            lines.add("j" + condition + " .+0x81");
            lines.add("j" + condition + " .-0x12345");
            lines.add("j" + condition + " .+0x7fff0000");
            // rel32 with a displacement that would fit rel8, which as does not choose on its own.
            lines.add(".byte 0x0f," + String.format("0x%x", 0x80 + DataMovementDecodingTest.CONDITIONS.indexOf(condition))
                            + ",0x10,0x00,0x00,0x00");
        }

        for (String displacement : List.of(".+0x2", ".-0x80", ".+0x81", ".-0x10000", ".+0x7ffffff0")) {
            lines.add("jmp " + displacement);
            lines.add("call " + displacement);
        }
        lines.add(".byte 0xe9,0x00,0x00,0x00,0x00");
        lines.add(".byte 0xe8,0xfb,0xff,0xff,0xff");

        for (String register : GPR64) {
            lines.add("jmp " + register);
            lines.add("call " + register);
        }
        for (String memory : MEMORY) {
            lines.add("jmp QWORD PTR " + memory);
            lines.add("call QWORD PTR " + memory);
        }

        // A DS override on an indirect branch, which objdump calls notrack.
        lines.add("ds jmp QWORD PTR [rax]");
        lines.add("ds call QWORD PTR [r12+0x8]");

        lines.add("ret");
        lines.add("nop");
        lines.add("int3");
        lines.add("ud2");
        ObjdumpComparison.assertDecodesLikeObjdump(lines);
    }
}
