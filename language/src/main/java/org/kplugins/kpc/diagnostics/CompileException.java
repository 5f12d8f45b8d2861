// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.diagnostics;

import java.util.List;

/**
 * Thrown when a plugin does not compile or link. It carries every diagnostic found in the run, in
 * source order, so the user sees all of them at once.
 */
public final class CompileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Diagnostic> diagnostics;

    public CompileException(List<Diagnostic> diagnostics) {
        this(diagnostics, 0);
    }

    /**
     * @param omitted the number of further errors that were found but not kept, because a run
     *     keeps at most {@link DiagnosticSink#MAX_ERRORS}
     */
    public CompileException(List<Diagnostic> diagnostics, int omitted) {
        super(render(diagnostics, omitted), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String render(List<Diagnostic> diagnostics, int omitted) {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(d.render());
        }
        if (omitted > 0) {
            out.append("\n").append(omitted).append(omitted == 1 ? " more error" : " more errors")
                    .append(" not shown: a run reports at most ").append(DiagnosticSink.MAX_ERRORS).append('.');
        }
        int count = diagnostics.size() + omitted;
        out.append('\n').append(count).append(count == 1 ? " error" : " errors").append(" generated.");
        return out.toString();
    }
}
