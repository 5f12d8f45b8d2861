// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.TruffleLanguage.ContextReference;
import com.oracle.truffle.api.TruffleLanguage.Env;
import com.oracle.truffle.api.nodes.Node;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import org.graalvm.options.OptionValues;
import org.kplugins.kpc.runtime.KpcScope;
import org.kplugins.kpc.runtime.NativeTier;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.monitor.link.SymbolTable;

/**
 * The state of KPC in one polyglot context: the option values, the buffered standard output
 * that printk writes to, and the plugin instance evaluated last, whose functions the bindings
 * show.
 */
public final class KpcContext {

    private static final ContextReference<KpcContext> REFERENCE = ContextReference.create(KpcLanguage.class);

    private final Env env;
    private final PrintStream output;
    private final long budget;
    private final long callTimeoutMillis;
    private final int stackSize;
    private final int memoryLimit;
    private final int heapSize;
    private final long retainedHostBytes;
    private final SymbolTable symbolTable;
    private final String tier;
    private final String emulatedCode;
    private final long autoThreshold;
    private final String dumpX86;
    private final KpcScope scope;
    private PluginInstance lastPlugin;

    KpcContext(Env env) {
        this.env = env;
        this.output = new PrintStream(new BufferedOutputStream(env.out()), false);
        OptionValues options = env.getOptions();
        this.budget = options.get(KpcLanguage.Budget);
        this.callTimeoutMillis = options.get(KpcLanguage.CallTimeout);
        this.stackSize = options.get(KpcLanguage.StackSize);
        this.memoryLimit = options.get(KpcLanguage.MemoryLimit);
        this.heapSize = options.get(KpcLanguage.HeapSize);
        this.retainedHostBytes = options.get(KpcLanguage.RetainedHostBytes);
        long tableId = KpcLanguage.tableId(options.get(KpcLanguage.SymbolTable));
        // The option's type checked that the table exists; the context keeps it reachable from here on.
        this.symbolTable = tableId == 0 ? null : SymbolTable.find(tableId);
        this.tier = options.get(KpcLanguage.Tier);
        this.emulatedCode = options.get(KpcLanguage.EmulatedCode);
        this.autoThreshold = options.get(KpcLanguage.AutoThreshold);
        this.dumpX86 = options.get(KpcLanguage.DumpX86);
        this.scope = new KpcScope(this);
    }

    public static KpcContext get(Node node) {
        return REFERENCE.get(node);
    }

    public Env env() {
        return env;
    }

    /** Returns the context's buffered standard output, which every call from the host flushes at its end. */
    public PrintStream output() {
        return output;
    }

    @TruffleBoundary
    public void flushOutput() {
        output.flush();
    }

    /** kpc.Budget: steps per call from the host, 0 for unlimited. */
    public long budget() {
        return budget;
    }

    /** kpc.CallTimeout: the wall-clock time each call from the host may take, in milliseconds, 0 for no limit. */
    public long callTimeoutMillis() {
        return callTimeoutMillis;
    }

    /** Returns whether plugin code counts steps: with a budget, or with a call timeout, which stops machine code at a step. */
    public boolean countsSteps() {
        return budget != 0 || callTimeoutMillis != 0;
    }

    /** kpc.StackSize in bytes. */
    public int stackSize() {
        return stackSize;
    }

    /** kpc.MemoryLimit: the segment limit in bytes. */
    public int memoryLimit() {
        return memoryLimit;
    }

    /** kpc.HeapSize in bytes. */
    public int heapSize() {
        return heapSize;
    }

    /** kpc.RetainedHostBytes: the host-buffer memory an instance keeps between calls, in bytes. */
    public long retainedHostBytes() {
        return retainedHostBytes;
    }

    /** Returns the host's symbol table named by kpc.SymbolTable, or null when only the built-ins are exported. */
    public SymbolTable symbolTable() {
        return symbolTable;
    }

    /**
     * kpc.Tier: {@link KpcLanguage#TRUFFLE_TIER}, {@link KpcLanguage#NATIVE_TIER},
     * {@link KpcLanguage#EMULATED_TIER} or {@link KpcLanguage#AUTO_TIER}.
     */
    public String tier() {
        return tier;
    }

    /**
     * Returns where the x86 tier runs the code with kpc.Tier=native or emulated: the host
     * processor, or the emulated CPU with the checks that kpc.EmulatedCode selects.
     *
     * @throws IllegalStateException for the other tiers
     */
    public NativeTier.Mode x86Mode() {
        return switch (tier) {
            case KpcLanguage.NATIVE_TIER -> NativeTier.Mode.NATIVE;
            case KpcLanguage.EMULATED_TIER -> emulatedCode.equals(KpcLanguage.INLINE_CHECKS) ? NativeTier.Mode.EMULATED_CHECKED
                            : NativeTier.Mode.EMULATED_HARDWARE;
            default -> throw new IllegalStateException("kpc.Tier=" + tier + " selects no fixed x86 mode");
        };
    }

    /** kpc.AutoThreshold: the steps after which the auto tier compiles a plugin to machine code. */
    public long autoThreshold() {
        return autoThreshold;
    }

    /** kpc.DumpX86: the function whose machine code the x86 tier prints, * for all, or empty for none. */
    public String dumpX86() {
        return dumpX86;
    }

    public KpcScope scope() {
        return scope;
    }

    public PluginInstance lastPlugin() {
        return lastPlugin;
    }

    public void setLastPlugin(PluginInstance plugin) {
        this.lastPlugin = plugin;
    }
}
