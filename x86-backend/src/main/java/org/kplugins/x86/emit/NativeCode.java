// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.emit;

import java.util.Map;
import org.kplugins.x86.select.CodeMode;
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
 * @param mode            the checks the code carries
 * @param hardwareSites   for {@link CodeMode#HARDWARE}, the offset of the first byte (prefixes
 *                        included) of each instruction that can fault for the plugin, to what the
 *                        fault reports. A plugin memory access maps to a {@link FaultStub.Reason#READ}
 *                        or {@link FaultStub.Reason#WRITE} stub with the access size. Its site is null
 *                        where the compiler proved the access allowed, as for the zeroing of a local.
 *                        A div or idiv maps to a {@link FaultStub.Reason#DIVIDE_BY_ZERO} stub with
 *                        the operator and operand width of a divide overflow there, since one divide
 *                        error covers both. Its site is null only for the division of a pointer
 *                        difference by the element size, which cannot fault. Empty for
 *                        {@link CodeMode#CHECKED}
 */
public record NativeCode(Listing listing, int entryOffset, Map<String, Integer> functionOffsets,
                Map<Integer, FaultStub> faultStubs, Map<Integer, FaultStub> callReturns, CodeMode mode,
                Map<Integer, FaultStub> hardwareSites) {

    public byte[] code() {
        return listing.code();
    }
}
