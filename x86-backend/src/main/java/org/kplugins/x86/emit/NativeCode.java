// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.emit;

import java.util.Map;
import org.kplugins.x86.select.FaultStub;

/**
 * The machine code of a whole plugin, before it is installed in executable memory.
 *
 * @param listing         the code and the record of every instruction
 * @param entryOffset     offset of the entry trampoline, {@code long enter(context, function, arguments)}
 * @param functionOffsets offset of each plugin function by name
 * @param faultStubs      the code-offset map of the fault stubs: stub offset to the check it belongs to
 * @param callReturns     offset after each call instruction of plugin code, to the stub that names the
 *                        call site, where a native stack overflow in the callee is reported
 */
public record NativeCode(Listing listing, int entryOffset, Map<String, Integer> functionOffsets,
                Map<Integer, FaultStub> faultStubs, Map<Integer, FaultStub> callReturns) {

    public byte[] code() {
        return listing.code();
    }
}
