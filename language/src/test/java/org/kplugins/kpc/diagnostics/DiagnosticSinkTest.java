// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DiagnosticSinkTest {

    private static final SourceFile FILE = new SourceFile("t.kpc", "int x = y;\n", null);

    @Test
    void errorsBeyondLimitAreCounted() {
        DiagnosticSink sink = new DiagnosticSink();
        for (int i = 0; i < DiagnosticSink.MAX_ERRORS + 7; i++) {
            sink.report(Diagnostic.Kind.TYPE, new SourceLocation(FILE, 1, 9, 8, 1), "use of undeclared identifier 'y'");
        }

        CompileException error = assertThrows(CompileException.class, sink::throwIfErrors);

        assertEquals(DiagnosticSink.MAX_ERRORS, error.diagnostics().size());
        String message = error.getMessage();
        assertTrue(message.endsWith("\n7 more errors not shown: a run reports at most 50.\n57 errors generated."),
                message.substring(message.length() - 120));
    }

    @Test
    void singleErrorRendersWithCaret() {
        DiagnosticSink sink = new DiagnosticSink();
        sink.report(Diagnostic.Kind.TYPE, new SourceLocation(FILE, 1, 9, 8, 1), "use of undeclared identifier 'y'");

        CompileException error = assertThrows(CompileException.class, sink::throwIfErrors);

        assertEquals("""
                t.kpc:1:9: error: use of undeclared identifier 'y'
                    int x = y;
                            ^
                1 error generated.""", error.getMessage());
    }
}
