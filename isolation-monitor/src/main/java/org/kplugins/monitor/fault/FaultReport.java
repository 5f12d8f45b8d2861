// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.fault;

import java.io.Serializable;
import java.util.Objects;

/**
 * The contents of a plugin fault report: the source location, the fault kind and the faulting access.
 *
 * @param plugin     name of the plugin instance, never null
 * @param function   name of the plugin function that faulted, or null when unknown
 * @param file       source file name, required when {@code line > 0}
 * @param line       1-based source line, or 0 when no source location is known
 * @param column     1-based source column, or 0 when unknown
 * @param kind       the fault class
 * @param detail     what went wrong, for memory faults {@code "4-byte write at 0x00021000"}
 * @param address    the faulting address as an unsigned 32-bit value, or -1 when none
 * @param access     the access that faulted, or {@link Access#NONE}
 * @param size       access size in bytes, or 0 when the fault is not an access
 * @param sourceLine text of the source line without its line terminator, or null when unknown
 */
public record FaultReport(String plugin, String function, String file, int line, int column,
                FaultKind kind, String detail, long address, Access access, int size,
                String sourceLine) implements Serializable {

    /** Value of {@link #address()} for faults that have no address. */
    public static final long NO_ADDRESS = -1;

    public FaultReport {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(access, "access");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("invalid source position " + line + ":" + column
                            + ": line and column must be 0 (unknown) or positive");
        }
        if (line > 0) {
            Objects.requireNonNull(file, "file is required when line > 0");
        }
        if (address < NO_ADDRESS || address > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("invalid fault address " + address
                            + ": expected an unsigned 32-bit value or -1");
        }
    }

    /**
     * Renders the report in the compiler's diagnostic format with {@code fault:} in place of
     * {@code error:}:
     *
     * <pre>
     * grayscale.kpc:12:12: fault: page fault (write to read-only page): 1-byte write at 0x00021000 in transcode() of plugin grayscale
     *         out[i] = y;
     *                ^
     * </pre>
     *
     * Without a source location ({@code line == 0}) the first line starts with the plugin name
     * and is the only line. Without a function name the suffix reads {@code in plugin NAME}.
     * Without a column, the {@code :COL} part and the caret line are left out, and without
     * source text both the source line and the caret are left out. Lines are separated by
     * {@code '\n'}, with no newline at the end.
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        if (line > 0) {
            out.append(file).append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        } else {
            out.append(plugin);
        }

        out.append(": fault: ").append(kind.description());
        if (!detail.isEmpty()) {
            out.append(": ").append(detail);
        }
        if (function != null && !function.isEmpty()) {
            out.append(" in ").append(function).append("()");
            out.append(" of plugin ").append(plugin);
        } else {
            out.append(" in plugin ").append(plugin);
        }

        if (line > 0 && sourceLine != null) {
            out.append("\n    ").append(sourceLine);
            if (column > 0) {
                out.append("\n    ");
                appendCaretIndent(out);
                out.append('^');
            }
        }
        return out.toString();
    }

    /** Appends one blank per character before the column, keeping tabs so the caret lines up. */
    private void appendCaretIndent(StringBuilder out) {
        for (int i = 0; i < column - 1; i++) {
            boolean tab = i < sourceLine.length() && sourceLine.charAt(i) == '\t';
            out.append(tab ? '\t' : ' ');
        }
    }

    /** Formats an address as {@code 0x} and 8 lowercase hex digits, the form reports use. */
    public static String formatAddress(long address) {
        return String.format("0x%08x", address & 0xFFFF_FFFFL);
    }
}
