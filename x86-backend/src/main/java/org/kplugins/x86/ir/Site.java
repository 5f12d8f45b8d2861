// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * A place in the source where an instruction can fault or call the host. {@code id} numbers the
 * sites of one function from 0. The runtime gives each site a Truffle node whose source section is
 * {@code location}, so that a fault there renders as the Truffle tier's fault at the same node.
 * {@code function} is the function whose site it is. Code inlined into another function keeps
 * the sites of the function it came from, so its faults still name that function.
 */
public record Site(int id, SourceLocation location, String function) {
}
