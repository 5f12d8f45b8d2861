// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.diagnostics;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects diagnostics from every compile stage so that one run reports several errors. A stage
 * reports and recovers; the compiler throws {@link CompileException} at the end of a stage that
 * reported anything.
 */
public final class DiagnosticSink {
    /** Stops a run that produces more errors than a reader can use. */
    public static final int MAX_ERRORS = 50;

    private final List<Diagnostic> diagnostics = new ArrayList<>();
    /** Errors reported after the first {@link #MAX_ERRORS}, counted but not kept. */
    private int omitted;

    public void report(Diagnostic.Kind kind, SourceLocation location, String message) {
        if (diagnostics.size() < MAX_ERRORS) {
            diagnostics.add(new Diagnostic(kind, location, message));
        } else {
            omitted++;
        }
    }

    public boolean hasErrors() {
        return !diagnostics.isEmpty();
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** Throws the collected diagnostics, if any. */
    public void throwIfErrors() throws CompileException {
        if (!diagnostics.isEmpty()) {
            throw new CompileException(diagnostics, omitted);
        }
    }
}
