// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import org.graalvm.polyglot.Engine;
import org.kplugins.kpc.KpcLanguage;

/**
 * The KPC execution tiers that exist so far. The report generator also lists the planned emulated
 * and auto tiers, without numbers.
 */
enum KpcTier {
    /** The Truffle AST interpreter only ({@code engine.Compilation=false}). */
    INTERP("interp"),
    /** The Truffle interpreter, with the Graal compiler compiling hot functions and loops. */
    JIT("jit"),
    /**
     * x86-64 machine code from the x86-backend module ({@code kpc.Tier=native}), which the
     * language finds through the {@link java.util.ServiceLoader} on the class path.
     */
    NATIVE("native");

    /** The name that JMH parameters, result keys and {@code kpc --tier} use. */
    final String key;

    KpcTier(String key) {
        this.key = key;
    }

    static KpcTier of(String key) {
        for (KpcTier tier : values()) {
            if (tier.key.equals(key)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("invalid tier '" + key + "': expected interp, jit or native");
    }

    /**
     * Creates a KPC engine of this tier.
     *
     * @throws IllegalStateException for the jit tier when Truffle runs without the Graal compiler,
     *                               which would silently measure the interpreter
     */
    Engine newEngine() {
        Engine.Builder builder = Engine.newBuilder(KpcLanguage.ID).option("engine.WarnInterpreterOnly", "false");
        if (this == INTERP) {
            // engine.Compilation is an experimental option in Truffle 25.0.1.
            builder.allowExperimentalOptions(true).option("engine.Compilation", "false");
        } else if (this == NATIVE) {
            // kpc.Tier is an experimental option of the language.
            builder.allowExperimentalOptions(true).option("kpc.Tier", "native");
        }
        Engine engine = builder.build();
        if (this == JIT) {
            requireCompiler(engine);
        }
        return engine;
    }

    /** Fails when {@code engine} runs on Truffle's fallback runtime, which has no compiler. */
    static void requireCompiler(Engine engine) {
        if ("Interpreted".equals(engine.getImplementationName())) {
            throw new IllegalStateException("the Truffle runtime cannot compile, so the jit tier and the peers would run"
                            + " interpreted: start the JVM with -XX:+EnableJVMCI and --upgrade-module-path naming the Graal"
                            + " compiler jars, as benchmarks/run does");
        }
    }
}
