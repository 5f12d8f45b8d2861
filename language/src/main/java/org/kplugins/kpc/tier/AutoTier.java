// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.tier;

import com.oracle.truffle.api.Assumption;
import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.TruffleLogger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.kplugins.kpc.KpcException;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.diagnostics.CompileException;
import org.kplugins.kpc.link.PluginImports;
import org.kplugins.kpc.nodes.NodeBuilder;
import org.kplugins.kpc.runtime.FunctionEntry;
import org.kplugins.kpc.runtime.NativeTier;
import org.kplugins.kpc.runtime.PluginProgram;

/**
 * The auto tier of one plugin program ({@code kpc.Tier=auto}): the plugin starts in the Truffle
 * tier, and once it is hot the x86 tier compiles it and runs the calls from the host.
 *
 * <p>The Truffle tier builds the program, with step counting on whatever kpc.Budget is, and its
 * instances get the x86 tier's memory factory, so their address spaces can run machine code from
 * the start. Each exported function's call target is an {@link AutoTierRootNode}, which counts
 * the steps of the calls from the host: one per call plus the loop iterations, gotos and plugin
 * calls the call ran. When one function's count reaches kpc.AutoThreshold, its next call from
 * the host compiles the whole plugin with {@link NativeTier#compile}, once per program, and that
 * call and every later call from the host of an exported function run the machine code. The new
 * code runs on the same {@code PluginInstance}: the same memory, heap, stack and budget. A call
 * that is running when the plugin switches finishes in the Truffle tier, and calls between plugin
 * functions follow the tier of the call from the host that made them.
 *
 * <p>The x86 tier runs the code natively where {@link NativeTier#unavailableReason} allows, and
 * on the emulated CPU with hardware checks otherwise. Native comes first because it runs the code
 * on the processor itself: native grayscale transcodes about twice as fast as the Graal-compiled
 * Truffle tier (BENCHMARKS.md), while the emulated CPU adds the cost of emulating each
 * instruction. Without any x86 tier the plugin is an ordinary Truffle-tier program.
 *
 * <p>NOTE: a call from the host into machine code costs more than one into Graal-compiled nodes
 * (83 against 53 ns through a hook in BENCHMARKS.md), so a hot function that does little work
 * per call can run slower after the switch.
 *
 * <p>If the x86 tier rejects the plugin (a construct it cannot compile yet, or any other error),
 * the plugin stays in the Truffle tier for good, and the call goes on there. Only the log
 * records it. NOTE: the x86 tier compiles whole plugins, so one function it cannot compile keeps every
 * function of the plugin in the Truffle tier.
 *
 * <p>The default threshold of {@value KpcLanguage#DEFAULT_AUTO_THRESHOLD} steps is the default of
 * Truffle's {@code engine.LastTierCompilationThreshold} in Truffle 25.0.1: the calls and loop
 * iterations after which Graal compiles a root with full optimization. A function that ran that
 * long is likely to run much longer. Compiling examples/grayscale.kpc to machine code took 110 to
 * 190 ms in a fresh JVM ({@code kpc image --tier=auto} on a 2-core AMD EPYC VM), and the call that
 * reaches the threshold waits for it.
 *
 * <p>The logger {@code kpc.tier} reports at FINE which tier a plugin runs in and why.
 */
public final class AutoTier {

    static final TruffleLogger LOGGER = TruffleLogger.getLogger(KpcLanguage.ID, "tier");

    private final KpcLanguage language;
    private final String pluginName;
    private final NativeTier backend;
    private final NativeTier.Mode mode;
    private final int stackSize;
    /** Whether kpc.Budget is set, which the machine code needs. The Truffle code counts steps either way. */
    private final boolean budgetEnabled;
    private final PluginProgram truffleProgram;
    /** Valid while calls from the host run in the Truffle tier and count steps, and invalidated once the compile has run. */
    private final Assumption counting = Assumption.create("plugin runs in the Truffle tier and counts steps");

    /** The parsed plugin for the compile, dropped after it. Guarded by {@code this}. */
    private TranslationUnit unit;
    private PluginImports imports;
    /** The x86 tier's call target of each exported function, empty until the compile succeeds. */
    private volatile Map<String, CallTarget> x86Targets = Map.of();

    private AutoTier(KpcLanguage language, String pluginName, NativeTier backend, NativeTier.Mode mode, int stackSize,
                    boolean budgetEnabled, PluginProgram truffleProgram, TranslationUnit unit, PluginImports imports) {
        this.language = language;
        this.pluginName = pluginName;
        this.backend = backend;
        this.mode = mode;
        this.stackSize = stackSize;
        this.budgetEnabled = budgetEnabled;
        this.truffleProgram = truffleProgram;
        this.unit = unit;
        this.imports = imports;
    }

    /**
     * Builds the program of plugin {@code name} for the auto tier.
     *
     * @param budgetEnabled whether kpc.Budget is set
     * @param threshold     kpc.AutoThreshold in steps
     * @param dumpX86       kpc.DumpX86, checked here so that a misspelled function name fails now
     *                      rather than when the plugin becomes hot
     * @throws KpcException if {@code dumpX86} names a function the plugin does not define
     */
    public static PluginProgram build(KpcLanguage language, String name, TranslationUnit unit, PluginImports imports,
                    int stackSize, boolean budgetEnabled, long threshold, String dumpX86) {
        NativeTier backend = NativeTier.find();
        List<String> reasons = new ArrayList<>();
        NativeTier.Mode mode = backend == null ? null : availableMode(backend, reasons);
        if (mode == null) {
            String unavailable = backend == null ? "no x86 tier is on the class path" : String.join("; ", reasons);
            LOGGER.fine(() -> "plugin '" + name + "' runs in the Truffle tier only, because kpc.Tier=auto has no x86"
                            + " tier to move it to: " + unavailable);
            return NodeBuilder.build(language, name, unit, imports, stackSize, budgetEnabled);
        }
        checkDumpTarget(name, unit, dumpX86);

        PluginProgram truffle = NodeBuilder.build(language, name, unit, imports, stackSize, true);
        AutoTier tier = new AutoTier(language, name, backend, mode, stackSize, budgetEnabled, truffle, unit, imports);
        Map<String, FunctionEntry> exports = new LinkedHashMap<>();
        for (FunctionEntry entry : truffle.exports().values()) {
            AutoTierRootNode root = new AutoTierRootNode(language, tier, entry, threshold);
            exports.put(entry.name(), new FunctionEntry(entry.name(), entry.type(), root.getCallTarget()));
        }
        NativeTier.Mode chosen = mode;
        LOGGER.fine(() -> "plugin '" + name + "' starts in the Truffle tier and is compiled for the " + modeName(chosen)
                        + " tier once the steps of an exported function reach kpc.AutoThreshold=" + threshold);
        return new PluginProgram(name, truffle.layout(), exports, truffle.dataImports(), backend.memoryFactory(mode),
                        tier::currentTier);
    }

    /**
     * Returns the tier that calls from the host run in now: truffle until a compile has succeeded,
     * then the x86 tier's mode, as {@link PluginProgram#currentTier} names it.
     */
    private String currentTier() {
        return x86Targets.isEmpty() ? KpcLanguage.TRUFFLE_TIER : NativeTier.description(mode);
    }

    /** Returns NATIVE where the host runs it, else EMULATED_HARDWARE where available, else null with both reasons added. */
    private static NativeTier.Mode availableMode(NativeTier backend, List<String> reasons) {
        for (NativeTier.Mode mode : new NativeTier.Mode[] {NativeTier.Mode.NATIVE, NativeTier.Mode.EMULATED_HARDWARE}) {
            String reason = backend.unavailableReason(mode);
            if (reason == null) {
                return mode;
            }
            reasons.add(modeName(mode) + ": " + reason);
        }
        return null;
    }

    private static String modeName(NativeTier.Mode mode) {
        return mode == NativeTier.Mode.NATIVE ? "native" : "emulated";
    }

    private static void checkDumpTarget(String name, TranslationUnit unit, String dumpX86) {
        if (dumpX86.isEmpty() || dumpX86.equals("*")) {
            return;
        }
        List<String> defined = unit.functions().stream().filter(Function::isDefined).map(Function::name).toList();
        if (!defined.contains(dumpX86)) {
            throw new KpcException("kpc.DumpX86: plugin '" + name + "' defines no function '" + dumpX86 + "'; name one of "
                            + String.join(", ", defined), null);
        }
    }

    /** Returns the assumption that calls from the host still run in the Truffle tier. */
    Assumption counting() {
        return counting;
    }

    /** Returns the x86 tier's call target of exported function {@code name}, or null when the plugin stays in the Truffle tier. */
    CallTarget x86Target(String name) {
        return x86Targets.get(name);
    }

    /**
     * Compiles the plugin with the x86 tier unless that has been tried before, after exported
     * function {@code function} reached the threshold with {@code steps} steps. Other threads that
     * reach the threshold meanwhile wait here, and calls that have not reached it go on in the
     * Truffle tier. Whatever the outcome, the counting stops.
     */
    @TruffleBoundary
    synchronized void compile(String function, long steps) {
        if (!counting.isValid()) {
            return;
        }
        long start = System.nanoTime();
        try {
            PluginProgram program = backend.compile(language, pluginName, unit, imports, stackSize, budgetEnabled, mode);
            String mismatch = mismatch(program);
            if (mismatch != null) {
                LOGGER.warning(() -> "plugin '" + pluginName + "' stays in the Truffle tier: its " + modeName(mode)
                                + "-tier program does not fit the Truffle tier's instances: " + mismatch);
                return;
            }
            Map<String, CallTarget> targets = new LinkedHashMap<>();
            for (String name : truffleProgram.exports().keySet()) {
                targets.put(name, program.exports().get(name).callTarget());
            }
            x86Targets = Map.copyOf(targets);
            double millis = (System.nanoTime() - start) / 1e6;
            LOGGER.fine(() -> String.format("plugin '%s' switched to the %s tier at step %d of %s(), compiled in %.1f ms",
                            pluginName, modeName(mode), steps, function, millis));
        } catch (CompileException e) {
            LOGGER.fine(() -> "plugin '" + pluginName + "' stays in the Truffle tier: the " + modeName(mode)
                            + " tier cannot compile it:\n" + e.getMessage());
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "plugin '" + pluginName + "' stays in the Truffle tier: compiling it for the "
                            + modeName(mode) + " tier failed: " + e, e);
        } finally {
            unit = null;
            imports = null;
            counting.invalidate();
        }
    }

    /**
     * Returns why instances of the Truffle program cannot run {@code program}, or null when they
     * can. Both programs must lay out the static data alike, the machine code may use only data
     * windows that the instances map, and it must export every function.
     */
    private String mismatch(PluginProgram program) {
        if (!program.layout().sameAs(truffleProgram.layout())) {
            return "the static data is laid out differently";
        }
        for (PluginImports.DataImport window : program.dataImports()) {
            if (truffleProgram.dataImports().stream().noneMatch(mapped -> mapped == window)) {
                return "it uses the data window '" + window.variable().name() + "', which the instances do not map";
            }
        }
        for (String name : truffleProgram.exports().keySet()) {
            if (!program.exports().containsKey(name)) {
                return "it does not export '" + name + "'";
            }
        }
        return null;
    }
}
