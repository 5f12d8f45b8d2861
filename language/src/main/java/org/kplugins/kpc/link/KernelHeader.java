// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.link;

import org.kplugins.kpc.preprocess.BuiltinHeaders;
import org.kplugins.monitor.link.DataExport;
import org.kplugins.monitor.link.FunctionExport;
import org.kplugins.monitor.link.SymbolTable;

/**
 * Renders a symbol table as the declarations plugins read from {@code <kernel.h>}. Each export gets
 * a comment with its version, a macro {@code KP_VERSION_<name>} with the version as an integer, so a
 * plugin can test it with {@code #if}, and its declaration.
 */
public final class KernelHeader {

    private KernelHeader() {
    }

    /** Returns the declarations of every export of {@code table}, or "" for none. */
    public static String declarations(SymbolTable table) {
        if (table == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (Object symbol : table.symbols()) {
            switch (symbol) {
                case FunctionExport f -> append(out, f.name(), f.version(), "function", f.prototype());
                case DataExport d -> append(out, d.name(), d.version(),
                                d.writable() ? "writable data" : "read-only data", "extern " + d.declaration());
                default -> throw new IllegalStateException("unknown symbol " + symbol);
            }
        }
        return out.toString();
    }

    /** Returns the whole text of {@code <kernel.h>} for {@code table}, which may be null. */
    public static String render(SymbolTable table) {
        return BuiltinHeaders.kernelHeader(declarations(table));
    }

    private static void append(StringBuilder out, String name, int version, String kind, String declaration) {
        out.append("\n/* ").append(name).append(": ").append(kind).append(", version ").append(version).append(" */\n");
        out.append("#define KP_VERSION_").append(name).append(' ').append(version).append('\n');
        out.append(declaration).append(";\n");
    }
}
