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
        super(render(diagnostics), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String render(List<Diagnostic> diagnostics) {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(d.render());
        }
        int count = diagnostics.size();
        out.append('\n').append(count).append(count == 1 ? " error" : " errors").append(" generated.");
        return out.toString();
    }
}
