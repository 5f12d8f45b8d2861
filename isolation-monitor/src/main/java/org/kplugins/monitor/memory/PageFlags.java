// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

/** Bits of a page-table entry in {@link AddressSpace}. An entry of 0 is an unmapped page. */
public final class PageFlags {
    /** The page is mapped and readable. */
    public static final int PRESENT = 1;
    /** The plugin may write the page. Host writes through {@link AddressSpace#hostWrite} ignore it. */
    public static final int WRITABLE = 1 << 1;
    /** The page may be executed. Reserved for the x86 tiers, and not checked yet. */
    public static final int EXECUTABLE = 1 << 2;

    /** Every defined bit. */
    public static final int ALL = PRESENT | WRITABLE | EXECUTABLE;

    private PageFlags() {
    }
}
