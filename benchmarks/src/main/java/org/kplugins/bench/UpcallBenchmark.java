// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Value;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.host.Kernel;
import org.kplugins.kpc.host.KernelHook;
import org.kplugins.kpc.host.Plugin;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An upcall: the Java host calls {@code int inc(int x) { return x + 1; }} in a plugin and gets the
 * result back. Subjects: the typed API through a hook ({@link KernelHook#call}), the plain polyglot
 * {@link Value#execute} of the same function, a Java interface call as the floor, and the same C
 * function in GraalWasm, in Sulong and in a gcc -O2 shared library through the foreign function API.
 * Each call passes a different argument so no subject can fold the result.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UpcallBenchmark {

    /** The plugin, the same text as {@code src/main/c/inc.c} without its comments. */
    static final String INC_SOURCE = "int inc(int x) { return x + 1; }";

    /** The argument of the next call, also the expected result minus one. */
    @State(Scope.Thread)
    public static class Argument {
        int next;

        int take() {
            return next++;
        }
    }

    /**
     * A kernel with a hook {@code int inc(int x)} linked to the plugin. In the auto tier the setup
     * calls the hook until the plugin has switched to machine code.
     */
    @State(Scope.Benchmark)
    public static class KpcHook {
        @Param({"interp", "jit", "native", "emulated", "emulated-checked", "auto"})
        public String tier;

        Engine engine;
        Kernel kernel;
        KernelHook hook;
        /** The auto tier's log message of the switch to machine code, or null in the other tiers. */
        String switchMessage;

        @Setup
        public void setUp() {
            KpcTier kpcTier = KpcTier.of(tier);
            TierLog tierLog = kpcTier == KpcTier.AUTO ? new TierLog() : null;
            engine = kpcTier.newEngine(tierLog);
            kernel = Kernel.builder("upcall").engine(engine).build();
            hook = kernel.declareHook("int inc(int x)");
            Plugin plugin = kernel.load("inc", INC_SOURCE);
            hook.link(plugin, "inc");
            requireIncrement("kpc hook", hook.call(41).asInt());
            if (tierLog != null) {
                switchMessage = switchToMachineCode(tierLog, "kpc auto hook", () -> hook.call(41).asInt());
            }
        }

        @TearDown
        public void tearDown() {
            kernel.close();
            engine.close();
        }
    }

    /**
     * A polyglot context that evaluated the plugin, without the typed API. In the auto tier the
     * setup calls the function until the plugin has switched to machine code.
     */
    @State(Scope.Benchmark)
    public static class KpcPolyglot {
        @Param({"interp", "jit", "native", "emulated", "emulated-checked", "auto"})
        public String tier;

        Engine engine;
        Context context;
        Value inc;
        /** The auto tier's log message of the switch to machine code, or null in the other tiers. */
        String switchMessage;

        @Setup
        public void setUp() {
            KpcTier kpcTier = KpcTier.of(tier);
            TierLog tierLog = kpcTier == KpcTier.AUTO ? new TierLog() : null;
            engine = kpcTier.newEngine(tierLog);
            context = Context.newBuilder(KpcLanguage.ID).engine(engine).build();
            context.eval(KpcLanguage.ID, INC_SOURCE);
            inc = context.getBindings(KpcLanguage.ID).getMember("inc");
            requireIncrement("kpc polyglot", inc.execute(41).asInt());
            if (tierLog != null) {
                switchMessage = switchToMachineCode(tierLog, "kpc auto polyglot", () -> inc.execute(41).asInt());
            }
        }

        @TearDown
        public void tearDown() {
            context.close();
            engine.close();
        }
    }

    /** The Java baseline: a lambda behind an interface. */
    @State(Scope.Benchmark)
    public static class Java {
        IntUnaryOperator inc = x -> x + 1;
    }

    /** {@code inc.c} compiled to wasm32 by clang, instantiated in GraalWasm. */
    @State(Scope.Benchmark)
    public static class Wasm {
        Context context;
        Value inc;

        @Setup
        public void setUp() {
            context = Peers.newWasmContext();
            inc = Peers.instantiateWasm(context, Peers.wasmSource(Artifacts.INC_WASM, "inc")).getMember("inc");
            requireIncrement("wasm", inc.execute(41).asInt());
        }

        @TearDown
        public void tearDown() {
            context.close();
        }
    }

    /** {@code inc.c} compiled to LLVM bitcode by clang, run by Sulong in native mode. */
    @State(Scope.Benchmark)
    public static class Sulong {
        Context context;
        Value inc;

        @Setup
        public void setUp() {
            context = Peers.newSulongContext();
            inc = Peers.loadBitcode(context, Artifacts.INC_BITCODE).getMember("inc");
            requireIncrement("sulong", inc.execute(41).asInt());
        }

        @TearDown
        public void tearDown() {
            context.close();
        }
    }

    /** {@code inc.c} compiled by gcc -O2 into a shared library, called through a downcall handle. */
    @State(Scope.Benchmark)
    public static class Ffm {
        @Setup
        public void setUp() throws Throwable {
            Artifacts.path(Artifacts.INC_SHARED_LIBRARY);
            requireIncrement("ffm", (int) GccLibraries.INC.invokeExact(41));
        }
    }

    /**
     * Calls {@code inc(41)} until the auto tier has switched the plugin to machine code, checks the
     * result of the machine code, prints the switch message into the JMH log and returns it.
     */
    static String switchToMachineCode(TierLog tierLog, String subject, IntSupplier incOf41) {
        // A call of inc counts one step, so the default threshold takes 10,000 calls.
        String message = tierLog.callUntilSwitched(subject, () -> requireIncrement(subject, incOf41.getAsInt()));
        System.out.println(subject + ": " + message);
        requireIncrement(subject + " after the switch", incOf41.getAsInt());
        return message;
    }

    static void requireIncrement(String subject, int result) {
        if (result != 42) {
            throw new IllegalStateException(subject + ": inc(41) returned " + result + ", expected 42");
        }
    }

    @Benchmark
    public int hook(KpcHook kpc, Argument argument) {
        return kpc.hook.call(argument.take()).asInt();
    }

    @Benchmark
    public int polyglot(KpcPolyglot kpc, Argument argument) {
        return kpc.inc.execute(argument.take()).asInt();
    }

    @Benchmark
    public int javaInterface(Java java, Argument argument) {
        return java.inc.applyAsInt(argument.take());
    }

    @Benchmark
    public int wasm(Wasm wasm, Argument argument) {
        return wasm.inc.execute(argument.take()).asInt();
    }

    @Benchmark
    public int sulong(Sulong sulong, Argument argument) {
        return sulong.inc.execute(argument.take()).asInt();
    }

    @Benchmark
    public int ffm(Ffm ffm, Argument argument) throws Throwable {
        return (int) GccLibraries.INC.invokeExact(argument.take());
    }
}
