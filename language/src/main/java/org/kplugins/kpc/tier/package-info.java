// SPDX-License-Identifier: Apache-2.0
/**
 * The auto tier ({@code kpc.Tier=auto}): plugins start in the Truffle tier and move to the x86
 * tier of {@link org.kplugins.kpc.runtime.NativeTier} once a function is hot.
 */
package org.kplugins.kpc.tier;
