// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import java.util.ServiceLoader;
import org.kplugins.kpc.KpcException;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.diagnostics.CompileException;
import org.kplugins.kpc.link.PluginImports;

/**
 * A tier that compiles plugins to machine code instead of Truffle nodes, selected with
 * {@code kpc.Tier=native}. The language module has no such tier itself: it loads the first
 * implementation that {@link ServiceLoader} finds on the class path, which module
 * {@code x86-backend} provides.
 *
 * <p>The tier returns a {@link PluginProgram} like the Truffle tier does, so instances, host
 * calls, argument mapping and fault counting work the same. Its program's call targets run the
 * machine code, and its memory factory backs each instance's address space with native memory.
 */
public interface NativeTier {

    /** Returns why the tier cannot run on this host, for example on another architecture, or null when it can. */
    String unavailableReason();

    /**
     * Compiles a parsed and linked plugin.
     *
     * @param stackSize     kpc.StackSize in bytes, which fixes where static data starts
     * @param budgetEnabled whether loops and calls count steps of kpc.Budget
     * @throws CompileException with {@code UNSUPPORTED} diagnostics for the features the tier
     *                          cannot compile yet, each at the construct that uses it
     */
    PluginProgram compile(KpcLanguage language, String name, TranslationUnit unit, PluginImports imports,
                    int stackSize, boolean budgetEnabled) throws CompileException;

    /**
     * Returns the native tier on the class path.
     *
     * @throws KpcException if there is none, or if it cannot run on this host
     */
    static NativeTier load() {
        NativeTier tier = ServiceLoader.load(NativeTier.class, NativeTier.class.getClassLoader()).findFirst().orElse(null);
        if (tier == null) {
            throw new KpcException("kpc.Tier=native is unavailable: no native tier is on the class path; add the"
                            + " x86-backend jar next to the language jar", null);
        }
        String reason = tier.unavailableReason();
        if (reason != null) {
            throw new KpcException("kpc.Tier=native is unavailable: " + reason, null);
        }
        return tier;
    }
}
