// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.link;

import java.util.Objects;

/**
 * A function in the kernel symbol table.
 *
 * @param name           the C identifier plugins call it by
 * @param prototype      its C prototype, for example {@code int add(int a, int b)}, as the rendered
 *                       header shows it
 * @param version        the export's version, from 1, which the header publishes so plugins can
 *                       test it with {@code #if}
 * @param implementation the Java code a plugin call runs
 */
public record FunctionExport(String name, String prototype, int version, HostFunction implementation) {

    public FunctionExport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prototype, "prototype");
        Objects.requireNonNull(implementation, "implementation");
    }
}
