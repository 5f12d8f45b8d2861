// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.util.Map;
import org.kplugins.kpc.KpcLanguage;

/**
 * The execution tier of plugin code: the Truffle interpreter alone, with Graal compiling hot code,
 * x86-64 machine code on the host processor or on the emulated CPU, or the Truffle tier with the
 * move of hot plugins to machine code.
 */
enum Tier {
    /** Truffle AST interpreter only ({@code engine.Compilation=false}). */
    INTERP("interp"),
    /** Truffle interpreter first, then the Graal compiler compiles hot functions and loops. */
    JIT("jit"),
    /** x86-64 machine code from the x86-backend module ({@code kpc.Tier=native}); Linux x86-64 only. */
    NATIVE("native"),
    /** The same machine code on the emulated CPU of the isolation monitor ({@code kpc.Tier=emulated}). */
    EMULATED("emulated"),
    /**
     * The jit tier first; a plugin with a function that ran kpc.AutoThreshold steps is compiled to
     * machine code, native or emulated ({@code kpc.Tier=auto}).
     */
    AUTO("auto");

    private final String optionValue;

    Tier(String optionValue) {
        this.optionValue = optionValue;
    }

    /** Returns the spelling used by {@code --tier=} and in the summary line. */
    String optionValue() {
        return optionValue;
    }

    /** Returns the tier named {@code value}, or throws {@link InvalidInputException}. */
    static Tier parse(String value) {
        for (Tier tier : values()) {
            if (tier.optionValue.equals(value)) {
                return tier;
            }
        }
        throw new InvalidInputException("invalid value '" + value + "' for --tier: expected interp, jit, native, emulated or"
                        + " auto");
    }

    /**
     * Returns the tier that the language option kpc.Tier selects: truffle gives jit, whose Truffle
     * nodes Graal compiles unless engine.Compilation=false turns the compiler off.
     *
     * @throws InvalidInputException for a value the language does not define
     */
    static Tier parseLanguageOption(String value) {
        return switch (value) {
            case KpcLanguage.TRUFFLE_TIER -> JIT;
            case KpcLanguage.NATIVE_TIER -> NATIVE;
            case KpcLanguage.EMULATED_TIER -> EMULATED;
            case KpcLanguage.AUTO_TIER -> AUTO;
            default -> throw new InvalidInputException("invalid value '" + value + "' for --kpc.Tier: expected "
                            + KpcLanguage.TRUFFLE_TIER + ", " + KpcLanguage.NATIVE_TIER + ", " + KpcLanguage.EMULATED_TIER
                            + " or " + KpcLanguage.AUTO_TIER);
        };
    }

    /** Returns whether plugin functions may run as x86-64 machine code, outside Truffle's nodes. */
    boolean runsMachineCode() {
        return this == NATIVE || this == EMULATED || this == AUTO;
    }

    /** Adds the engine and language options that select this tier. */
    void addEngineOptions(Map<String, String> polyglotOptions) {
        if (this == INTERP) {
            polyglotOptions.put("engine.Compilation", "false");
        }
        if (runsMachineCode()) {
            polyglotOptions.put("kpc.Tier", optionValue);
        }
    }
}
