// SPDX-License-Identifier: Apache-2.0
/**
 * The kernel-symbol linking layer that every tier shares: the {@link org.kplugins.monitor.link.SymbolTable}
 * of functions and data windows the host exports, the {@link org.kplugins.monitor.link.PluginMemory}
 * view through which host functions reach plugin memory, and the
 * {@link org.kplugins.monitor.link.CallGate} that lets an unloaded plugin finish its running calls
 * before its memory is released.
 *
 * <p>C prototypes are stored as text here. The language front end parses and compares them, because
 * this module has no C parser.
 */
package org.kplugins.monitor.link;
