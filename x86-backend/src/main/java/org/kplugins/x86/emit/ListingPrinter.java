// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.emit;

import java.io.PrintStream;
import java.util.Objects;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * Prints the listing of plugin functions for {@code kpc --dump-x86}: for each function a header,
 * then each source line that produced code followed by its instructions, one per line with the
 * line number, the code offset, the bytes and the instruction. A line of another file than the
 * function's own, such as a header function inlined into it, is shown as {@code file:line}.
 *
 * <pre>
 * transcode() in grayscale.kpc:
 *   40 |     if (in == NULL || out == NULL)
 *   40   0x00d3  85 db                    test ebx,ebx
 * </pre>
 */
public final class ListingPrinter {

    /** Bytes printed per instruction before the text; longer instructions are cut with "..". */
    private static final int MAX_BYTES_SHOWN = 10;

    private ListingPrinter() {
    }

    /**
     * Prints the functions of {@code code} whose name is {@code function}, or all of them for
     * {@code "*"}, and returns how many it printed.
     */
    public static int print(NativeCode code, String function, PrintStream out) {
        Listing listing = code.listing();
        String printing = null;
        SourceFile printingFile = null;
        SourceLocation lastLine = null;
        int printed = 0;
        for (Listing.Entry entry : listing.entries()) {
            if (entry.function() == null || !(function.equals("*") || function.equals(entry.function()))) {
                continue;
            }
            if (!entry.function().equals(printing)) {
                printing = entry.function();
                printingFile = entry.location() == null ? null : entry.location().file();
                lastLine = null;
                printed++;
                String file = entry.location() == null ? "" : " in " + entry.location().file().name();
                out.println((printed > 1 ? "\n" : "") + printing + "()" + file + ":");
            }
            SourceLocation location = entry.location();
            String line;
            if (location == null) {
                line = "-";
            } else if (Objects.equals(location.file(), printingFile)) {
                line = Integer.toString(location.line());
            } else {
                line = location.file().name() + ":" + location.line();
            }
            if (location != null && (lastLine == null || lastLine.line() != location.line()
                            || !Objects.equals(lastLine.file(), location.file()))) {
                out.printf("%5s | %s%n", line, location.file().lineText(location.line()));
                lastLine = location;
            }
            out.printf("%5s   0x%04x  %-31s %s%n", line, entry.offset(), bytes(listing.code(), entry.offset(), entry.length()),
                            entry.text());
        }
        return printed;
    }

    private static String bytes(byte[] code, int offset, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(length, MAX_BYTES_SHOWN); i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(String.format("%02x", code[offset + i] & 0xFF));
        }
        if (length > MAX_BYTES_SHOWN) {
            text.append(" ..");
        }
        return text.toString();
    }
}
