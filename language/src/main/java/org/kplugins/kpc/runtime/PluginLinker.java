// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import java.util.IdentityHashMap;
import java.util.Map;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.builtins.HostExport;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;

/**
 * Resolves a plugin's imports against the host's exports. Every function that the plugin declares
 * or calls without defining it must be a {@link HostExport} with the same prototype, and every
 * global must be defined, because the host exports no data. Each failure is a LINK diagnostic at
 * the symbol's first declaration.
 */
public final class PluginLinker {

    private PluginLinker() {
    }

    /** Returns the host export behind each undefined function, reporting the ones that have none. */
    public static Map<Function, HostExport> link(TranslationUnit unit, DiagnosticSink sink) {
        Map<Function, HostExport> imports = new IdentityHashMap<>();
        for (Function function : unit.functions()) {
            if (function.isDefined()) {
                continue;
            }
            HostExport export = HostExport.find(function.name());
            if (export == null) {
                sink.report(Diagnostic.Kind.LINK, function.location(),
                                "undefined symbol '" + function.name() + "': the host exports no such function");
            } else if (!export.type().sameAs(function.type())) {
                sink.report(Diagnostic.Kind.LINK, function.location(), "'" + function.name() + "' is declared as '"
                                + function.type().prototype(function.name()) + "' but the host exports '"
                                + export.prototype() + "'");
            } else {
                imports.put(function, export);
            }
        }
        for (Variable global : unit.globals()) {
            if (!global.isDefined()) {
                sink.report(Diagnostic.Kind.LINK, global.location(),
                                "undefined symbol '" + global.name() + "': the host exports no data symbols");
            }
        }
        return imports;
    }
}
