// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.link;

/**
 * The Java implementation of a function the host exports to plugins.
 *
 * <p>Each argument arrives as a long: a signed integer parameter sign-extended, an unsigned one
 * zero-extended, a pointer as its 32-bit plugin address (zero-extended, 0 for NULL). The result is
 * converted to the C return type as a cast would, and ignored for {@code void}. A pointer is only
 * an address in the calling plugin's address space: read and write through {@code memory}, which
 * checks every access as the plugin's own would be checked.
 *
 * <p>An implementation runs on the thread of the plugin call, while the plugin waits. A
 * {@link org.kplugins.monitor.fault.PluginFault} raised by {@code memory} is a fault of the
 * plugin, reported at the call site. Any other RuntimeException ends the plugin call with an error
 * that names the host function and the exception, which the host that made the call receives; it
 * is not counted as a fault of the plugin. An Error propagates unchanged.
 */
@FunctionalInterface
public interface HostFunction {

    long call(PluginMemory memory, long[] arguments);
}
