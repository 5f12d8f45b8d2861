// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kplugins.monitor.testing.LocatedNode;

class PluginFaultTest {

    private static final InteropLibrary INTEROP = InteropLibrary.getUncached();

    @Test
    void raiseTakesLocationFromNode() {
        String text = "int divide(int a, int b) {\n\treturn a / b;\n}\n";
        LocatedNode node = LocatedNode.at("calc.kpc", text, "divide", 2, 9, 5);

        PluginFault fault = PluginFault.raise(FaultKind.DIVIDE_ERROR, "division by zero", FaultReport.NO_ADDRESS,
                        Access.NONE, 0, node, "calc");
        FaultReport report = fault.report();
        assertEquals("calc.kpc", report.file());
        assertEquals(2, report.line());
        assertEquals(9, report.column());
        assertEquals("divide", report.function());
        assertEquals("\treturn a / b;", report.sourceLine());
        assertEquals("calc.kpc:2:9: fault: divide error: division by zero in divide() of plugin calc\n"
                        + "    \treturn a / b;\n"
                        + "    \t       ^", fault.getMessage());
    }

    @Test
    void raiseWithoutLocationHasLineZero() {
        PluginFault fault = PluginFault.raise(FaultKind.WATCHDOG, "budget of 1000000 steps used up",
                        FaultReport.NO_ADDRESS, Access.NONE, 0, null, "grayscale");
        assertEquals(0, fault.report().line());
        assertNull(fault.report().function());
        assertEquals("grayscale: fault: watchdog (execution budget exceeded): budget of 1000000 steps used up"
                        + " in plugin grayscale", fault.getMessage());
    }

    @Test
    void interopMembersExposeReport() throws Exception {
        LocatedNode node = LocatedNode.at("g.kpc", "out[i] = y;\n", "transcode", 1, 1, 6);
        PluginFault fault = PluginFault.raise(FaultKind.PAGE_NOT_WRITABLE, "1-byte write at 0x00021000",
                        0x21000, Access.WRITE, 1, node, "grayscale");

        assertTrue(INTEROP.isException(fault));
        assertTrue(INTEROP.hasMembers(fault));
        assertEquals("PAGE_NOT_WRITABLE", INTEROP.readMember(fault, "kind"));
        assertEquals(0x21000L, INTEROP.readMember(fault, "address"));
        assertEquals("WRITE", INTEROP.readMember(fault, "access"));
        assertEquals(1, INTEROP.readMember(fault, "size"));
        assertEquals("transcode", INTEROP.readMember(fault, "function"));
        assertEquals("g.kpc", INTEROP.readMember(fault, "file"));
        assertEquals(1, INTEROP.readMember(fault, "line"));
        assertEquals(1, INTEROP.readMember(fault, "column"));
        assertEquals("grayscale", INTEROP.readMember(fault, "plugin"));
        assertEquals("1-byte write at 0x00021000", INTEROP.readMember(fault, "detail"));
        assertThrows(UnknownIdentifierException.class, () -> INTEROP.readMember(fault, "pc"));
    }

    @Test
    void interopMemberListMatchesReadableMembers() throws Exception {
        PluginFault fault = PluginFault.raise(FaultKind.DIVIDE_ERROR, "division by zero",
                        FaultReport.NO_ADDRESS, Access.NONE, 0, null, "calc");
        Object members = INTEROP.getMembers(fault);
        Set<String> names = new HashSet<>();
        for (long i = 0; i < INTEROP.getArraySize(members); i++) {
            names.add(INTEROP.asString(INTEROP.readArrayElement(members, i)));
        }
        assertEquals(Set.of("kind", "address", "access", "size", "line", "column", "plugin", "detail"), names);
        for (String name : names) {
            assertTrue(INTEROP.isMemberReadable(fault, name), name);
        }
        assertFalse(INTEROP.isMemberReadable(fault, "function"), "function is absent when unknown");
        assertEquals(-1L, INTEROP.readMember(fault, "address"));
    }
}
