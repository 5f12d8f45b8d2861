// SPDX-License-Identifier: Apache-2.0
/**
 * The typed Java API for hosts that embed kernel plugins: a {@link org.kplugins.kpc.host.Kernel}
 * exports functions and data windows, declares hook points, loads plugins with per-plugin
 * {@link org.kplugins.kpc.host.PluginLimits}, and links, unlinks and replaces the plugin function
 * behind each {@link org.kplugins.kpc.host.KernelHook} while other threads call it. It is built on
 * the public polyglot API and the linking layer of {@code org.kplugins.monitor.link}; docs/embedding.md
 * describes it with examples.
 */
package org.kplugins.kpc.host;
