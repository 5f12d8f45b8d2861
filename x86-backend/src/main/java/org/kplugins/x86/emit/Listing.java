// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.emit;

import java.util.List;
import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * Machine code and the record of its instructions, in offset order.
 *
 * @param code    the bytes
 * @param entries one per instruction: offset, length in bytes, Intel-syntax text as objdump prints
 *                it, the source location of its statement, and its plugin function. The
 *                trampoline has neither location nor function, and epilogues and stubs have no
 *                location.
 */
public record Listing(byte[] code, List<Entry> entries) {

    public record Entry(int offset, int length, String text, SourceLocation location, String function) {
    }
}
