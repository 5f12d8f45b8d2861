// SPDX-License-Identifier: Apache-2.0
/**
 * Runs plugin machine code inside the JVM with the foreign function and memory API: executable
 * memory from {@code mmap}, a downcall into the entry trampoline, one upcall stub through which
 * plugin code calls the host, and the native tier that the language module loads for
 * {@code kpc.Tier=native}. Linux on x86-64 only.
 */
package org.kplugins.x86.runtime;
