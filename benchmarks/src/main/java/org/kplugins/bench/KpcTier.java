// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import java.util.logging.Handler;
import org.graalvm.polyglot.Engine;
import org.kplugins.kpc.KpcLanguage;

/** The KPC execution tiers that the suites measure. */
enum KpcTier {
    /** The Truffle AST interpreter only ({@code engine.Compilation=false}). */
    INTERP("interp"),
    /** The Truffle interpreter, with the Graal compiler compiling hot functions and loops. */
    JIT("jit"),
    /**
     * x86-64 machine code from the x86-backend module ({@code kpc.Tier=native}), which the
     * language finds through the {@link java.util.ServiceLoader} on the class path.
     */
    NATIVE("native"),
    /**
     * The same machine code without inline memory and division checks, run on the emulated CPU
     * of the isolation monitor, whose segments and page table stop stray accesses
     * ({@code kpc.Tier=emulated}, {@code kpc.EmulatedCode=hardware}).
     */
    EMULATED("emulated"),
    /** The native tier's machine code with its inline checks, run on the emulated CPU ({@code kpc.EmulatedCode=checked}). */
    EMULATED_CHECKED("emulated-checked"),
    /**
     * Truffle nodes as in the jit tier until an exported function has run {@code kpc.AutoThreshold}
     * steps (10,000 by default), then the whole plugin as machine code: native on Linux x86-64,
     * emulated elsewhere ({@code kpc.Tier=auto}).
     */
    AUTO("auto");

    /** The name that JMH parameters and {@code MemoryFootprint --tier} use. */
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
        throw new IllegalArgumentException("invalid tier '" + key + "': expected " + names());
    }

    /** Returns the tier names, for messages: "interp, jit, ... or auto". */
    static String names() {
        StringBuilder names = new StringBuilder();
        KpcTier[] tiers = values();
        for (int i = 0; i < tiers.length; i++) {
            if (i == tiers.length - 1) {
                names.append(" or ");
            } else if (i > 0) {
                names.append(", ");
            }
            names.append(tiers[i].key);
        }
        return names.toString();
    }

    /** Returns the subject part of the report keys: the name with '_' for '-', as in {@code emulated_checked}. */
    String subject() {
        return key.replace('-', '_');
    }

    /**
     * Creates a KPC engine of this tier.
     *
     * @throws IllegalStateException for the Truffle-compiled tiers (jit, emulated, auto) when Truffle
     *                               runs without the Graal compiler, which would silently measure
     *                               the interpreter
     */
    Engine newEngine() {
        return newEngine(null);
    }

    /**
     * Creates a KPC engine of this tier that sends the language's {@code kpc.tier} log at level
     * FINE to {@code tierLog}: which tier each plugin runs in and when the auto tier switches.
     * A null handler leaves the log off.
     */
    Engine newEngine(Handler tierLog) {
        Engine.Builder builder = Engine.newBuilder(KpcLanguage.ID).option("engine.WarnInterpreterOnly", "false");
        // engine.Compilation and the kpc.* options are experimental in Truffle 25.0.1 and in the language.
        builder.allowExperimentalOptions(true);
        switch (this) {
            case INTERP -> builder.option("engine.Compilation", "false");
            case JIT -> {
            }
            case NATIVE -> builder.option("kpc.Tier", "native");
            case EMULATED -> builder.option("kpc.Tier", "emulated").option("kpc.EmulatedCode", "hardware");
            case EMULATED_CHECKED -> builder.option("kpc.Tier", "emulated").option("kpc.EmulatedCode", "checked");
            case AUTO -> builder.option("kpc.Tier", "auto");
        }
        if (tierLog != null) {
            builder.option("log.kpc.tier.level", "FINE").logHandler(tierLog);
        }
        Engine engine = builder.build();
        if (this != INTERP && this != NATIVE) {
            // The emulated CPU is itself translated to Truffle nodes, and the auto tier starts in them.
            requireCompiler(engine);
        }
        return engine;
    }

    /** Fails when {@code engine} runs on Truffle's fallback runtime, which has no compiler. */
    static void requireCompiler(Engine engine) {
        if ("Interpreted".equals(engine.getImplementationName())) {
            throw new IllegalStateException("the Truffle runtime cannot compile, so the jit, emulated and auto tiers and the"
                            + " peers would run interpreted: start the JVM with -XX:+EnableJVMCI and --upgrade-module-path"
                            + " naming the Graal compiler jars, as benchmarks/run does");
        }
    }
}
