// SPDX-License-Identifier: Apache-2.0
/**
 * Lowering of the typed KPC syntax tree to the IR of {@link org.kplugins.x86.ir}, one function at
 * a time. It follows the Truffle tier's node builder construct by construct: the same evaluation
 * order, the same conversions, locals stored where {@link org.kplugins.kpc.nodes.MemoryFrame}
 * puts them, and faults located at the source span of the Truffle node that raises them. A
 * construct it cannot lower yet raises {@link org.kplugins.x86.lower.UnsupportedFeatureException},
 * which the tier reports as a compile error.
 */
package org.kplugins.x86.lower;
