// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

/**
 * What a call to the upcall gate does: the monitor's side of a host call from plugin code. The
 * gate is an address in the code segment that contains no code. A call to it runs this method
 * with the System V argument registers and returns with its result in RAX, as the native tier's
 * upcall stub does.
 */
@FunctionalInterface
public interface HostGates {

    /** Runs a host call; the arguments are RDI, RSI and RDX of the calling code. Returns RAX. */
    long upcall(long rdi, long rsi, long rdx);
}
