// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The objdump harness itself: a missing objdump fails the tests, and listings parse. */
class ObjdumpTest {

    @Test
    void missingObjdumpFailsWithInstallHint(@TempDir Path emptyDirectory) {
        AssertionFailedError error = assertThrows(AssertionFailedError.class, () -> Objdump.locate(emptyDirectory.toString()));
        assertTrue(error.getMessage().contains("objdump not found on PATH"), error.getMessage());
        assertTrue(error.getMessage().contains("install GNU binutils"), error.getMessage());
    }

    @Test
    void disassemblesRawBytes() {
        // 48 01 d8 = add rax, rbx; 8b 05 00 00 00 00 = mov eax, [rip+0]; c3 = ret.
        byte[] code = {0x48, 0x01, (byte) 0xD8, (byte) 0x8B, 0x05, 0, 0, 0, 0, (byte) 0xC3};
        List<Objdump.Instruction> listing = Objdump.disassemble(code);
        assertEquals(List.of(new Objdump.Instruction(0, "add rax,rbx", null),
                        new Objdump.Instruction(3, "mov eax,DWORD PTR [rip+0x0]", "0x9"),
                        new Objdump.Instruction(9, "ret", null)), listing);
    }
}
