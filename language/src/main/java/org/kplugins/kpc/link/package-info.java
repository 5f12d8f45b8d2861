// SPDX-License-Identifier: Apache-2.0
/**
 * The language's side of the kernel-symbol linking layer: parsing the C prototypes of a
 * {@link org.kplugins.monitor.link.SymbolTable}, rendering the table as {@code <kernel.h>}, and
 * resolving a plugin's imports against it ({@link org.kplugins.kpc.link.PluginLinker}).
 */
package org.kplugins.kpc.link;
