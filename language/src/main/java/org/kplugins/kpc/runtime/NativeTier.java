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
 * {@code kpc.Tier=native} or {@code kpc.Tier=emulated}, and used by {@code kpc.Tier=auto} for hot
 * plugins. The language module has no such tier itself: it loads the first
 * implementation that {@link ServiceLoader} finds on the class path, which module
 * {@code x86-backend} provides.
 *
 * <p>The tier returns a {@link PluginProgram} like the Truffle tier does, so instances, host
 * calls, argument mapping and fault counting work the same. Its program's call targets run the
 * machine code, and its memory factory backs each instance's address space with native memory.
 */
public interface NativeTier {

    /** The place the machine code runs, and the checks it carries. */
    enum Mode {
        /** On the host processor, with inline segment and page-table checks. */
        NATIVE,
        /** On the emulated CPU of module isolation-monitor, with the same inline checks as {@link #NATIVE}. */
        EMULATED_CHECKED,
        /**
         * On the emulated CPU, without inline memory and division checks: the emulated segment
         * limit and page table catch each stray access, and the divide instruction faults itself.
         */
        EMULATED_HARDWARE
    }

    /**
     * The per-instance state of a machine-code tier that can stop a running call. Machine code on
     * the host processor never polls Truffle safepoints, so the call timeout stops it through its
     * step counter.
     */
    interface StoppableState {

        /**
         * Makes the running call fault at its next step. Called from another thread while the call
         * runs, so it writes only the step counter.
         */
        void stopAtNextStep();
    }

    /** Returns why {@code mode} cannot run on this host, for example on another architecture, or null when it can. */
    String unavailableReason(Mode mode);

    /**
     * Returns the memory factory of the programs that {@link #compile} builds for {@code mode}. The
     * auto tier creates instances with it before it compiles anything, so that their address
     * spaces can run the machine code once the plugin becomes hot.
     */
    PluginProgram.MemoryFactory memoryFactory(Mode mode);

    /**
     * Compiles a parsed and linked plugin.
     *
     * @param stackSize     kpc.StackSize in bytes, which fixes where static data starts
     * @param budgetEnabled whether loops and calls count steps of kpc.Budget
     * @param mode          where the code runs
     * @throws CompileException with {@code UNSUPPORTED} diagnostics for the features the tier
     *                          cannot compile yet, each at the construct that uses it
     */
    PluginProgram compile(KpcLanguage language, String name, TranslationUnit unit, PluginImports imports,
                    int stackSize, boolean budgetEnabled, Mode mode) throws CompileException;

    /**
     * Returns the native tier on the class path.
     *
     * @throws KpcException if there is none, or if it cannot run on this host
     */
    static NativeTier load(Mode mode) {
        NativeTier tier = find();
        if (tier == null) {
            throw new KpcException("kpc.Tier=" + tierName(mode) + " is unavailable: no x86 tier is on the class path; add the"
                            + " x86-backend jar next to the language jar", null);
        }
        String reason = tier.unavailableReason(mode);
        if (reason != null) {
            throw new KpcException("kpc.Tier=" + tierName(mode) + " is unavailable: " + reason, null);
        }
        return tier;
    }

    /** Returns the first x86 tier on the class path, or null when there is none. */
    static NativeTier find() {
        return ServiceLoader.load(NativeTier.class, NativeTier.class.getClassLoader()).findFirst().orElse(null);
    }

    /** Returns how {@link PluginProgram#currentTier} names {@code mode}: native, emulated (checked) or emulated (hardware). */
    static String description(Mode mode) {
        return switch (mode) {
            case NATIVE -> KpcLanguage.NATIVE_TIER;
            case EMULATED_CHECKED -> KpcLanguage.EMULATED_TIER + " (" + KpcLanguage.INLINE_CHECKS + ")";
            case EMULATED_HARDWARE -> KpcLanguage.EMULATED_TIER + " (" + KpcLanguage.HARDWARE_CHECKS + ")";
        };
    }

    /** Returns the kpc.Tier value that selects {@code mode}. */
    static String tierName(Mode mode) {
        return mode == Mode.NATIVE ? "native" : "emulated";
    }
}
