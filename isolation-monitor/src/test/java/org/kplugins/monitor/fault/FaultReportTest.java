// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FaultReportTest {

    @Test
    void renderWithLocation() {
        FaultReport report = new FaultReport("grayscale", "transcode", "grayscale.kpc", 12, 9,
                        FaultKind.PAGE_NOT_WRITABLE, "1-byte write at 0x00021000", 0x21000, Access.WRITE, 1,
                        "    out[i] = y;");
        assertEquals("grayscale.kpc:12:9: fault: page fault (write to read-only page): 1-byte write at 0x00021000"
                        + " in transcode() of plugin grayscale\n"
                        + "        out[i] = y;\n"
                        + "            ^", report.render());
    }

    @Test
    void renderKeepsTabsBeforeCaret() {
        FaultReport report = new FaultReport("calc", "divide", "calc.kpc", 3, 11, FaultKind.DIVIDE_ERROR,
                        "division by zero", FaultReport.NO_ADDRESS, Access.NONE, 0, "\treturn a / b;");
        assertEquals("calc.kpc:3:11: fault: divide error: division by zero in divide() of plugin calc\n"
                        + "    \treturn a / b;\n"
                        + "    \t         ^", report.render());
    }

    @Test
    void renderWithoutLocation() {
        FaultReport report = new FaultReport("grayscale", "transcode", null, 0, 0, FaultKind.WATCHDOG,
                        "budget of 1000000 steps used up", FaultReport.NO_ADDRESS, Access.NONE, 0, null);
        assertEquals("grayscale: fault: watchdog (execution budget exceeded): budget of 1000000 steps used up"
                        + " in transcode() of plugin grayscale", report.render());
    }

    @Test
    void renderWithoutFunction() {
        FaultReport report = new FaultReport("grayscale", null, null, 0, 0, FaultKind.STACK_OVERFLOW,
                        "stack of 65536 bytes exhausted", FaultReport.NO_ADDRESS, Access.NONE, 0, null);
        assertEquals("grayscale: fault: stack fault (stack overflow): stack of 65536 bytes exhausted in plugin grayscale",
                        report.render());
    }

    @Test
    void renderWithoutColumnOmitsCaret() {
        FaultReport report = new FaultReport("calc", "divide", "calc.kpc", 3, 0, FaultKind.DIVIDE_ERROR,
                        "INT_MIN / -1 overflows", FaultReport.NO_ADDRESS, Access.NONE, 0, "return a / b;");
        assertEquals("calc.kpc:3: fault: divide error: INT_MIN / -1 overflows in divide() of plugin calc\n"
                        + "    return a / b;", report.render());
    }

    @Test
    void constructorRejectsInvalidFields() {
        assertThrows(NullPointerException.class, () -> new FaultReport("p", "f", null, 3, 1,
                        FaultKind.DIVIDE_ERROR, "d", -1, Access.NONE, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new FaultReport("p", "f", "f.kpc", -1, 1,
                        FaultKind.DIVIDE_ERROR, "d", -1, Access.NONE, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new FaultReport("p", "f", null, 0, 0,
                        FaultKind.GENERAL_PROTECTION, "d", 0x1_0000_0000L, Access.READ, 1, null));
    }

    @Test
    void formatAddressUsesEightLowercaseDigits() {
        assertEquals("0x00000000", FaultReport.formatAddress(0));
        assertEquals("0x0000abcd", FaultReport.formatAddress(0xABCD));
        assertEquals("0xfffffffc", FaultReport.formatAddress(0xFFFFFFFC));
    }

    @Test
    void faultKindDescriptions() {
        assertEquals("general-protection fault", FaultKind.GENERAL_PROTECTION.description());
        assertEquals("page fault (page not present)", FaultKind.PAGE_NOT_PRESENT.description());
        assertEquals("page fault (write to read-only page)", FaultKind.PAGE_NOT_WRITABLE.description());
        assertEquals("divide error", FaultKind.DIVIDE_ERROR.description());
        assertEquals("stack fault (stack overflow)", FaultKind.STACK_OVERFLOW.description());
        assertEquals("watchdog (execution budget exceeded)", FaultKind.WATCHDOG.description());
        assertEquals("watchdog (call timed out)", FaultKind.TIMEOUT.description());
        assertEquals("general-protection fault (invalid function pointer)",
                        FaultKind.INVALID_FUNCTION_POINTER.description());
        assertEquals("page fault (page not executable)", FaultKind.PAGE_NOT_EXECUTABLE.description());
        assertEquals("invalid opcode", FaultKind.INVALID_OPCODE.description());
        assertEquals(10, FaultKind.values().length);
    }
}
