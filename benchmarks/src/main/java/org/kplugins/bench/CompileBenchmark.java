// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.host.Kernel;
import org.kplugins.kpc.host.Plugin;
import org.kplugins.kpc.host.PluginLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Dynamic code generation: {@code examples/grayscale.kpc} from source text to a linked plugin
 * instance ready to call ({@link Kernel#load}: preprocess, parse, type check, build nodes, lay out
 * memory, link), in an engine warmed up by the earlier iterations. Each uncached load gets a source
 * with a new name and a counter comment, so the engine cannot return code it parsed before. The
 * cached case loads the same source object every time. The peer is GraalWasm creating a context on
 * a shared engine, then parsing and instantiating the same function compiled to wasm32, as
 * {@link Kernel#load} also creates a context for the plugin.
 *
 * <p>Unloading the plugin and closing the wasm context happen after each call, outside the
 * measured time. Each operation takes well over 100 us, so the per-call timestamps that
 * {@link Level#Invocation} adds (tens of ns) do not distort it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompileBenchmark {

    /**
     * A kernel on an engine of one tier, and the grayscale plugin's text. In the native and both
     * emulated tiers a load includes the x86 backend's compile time: lowering, register allocation
     * and emission. In the auto tier a load builds the Truffle nodes only, because the x86 backend
     * compiles the plugin later, in the call from the host that finds it hot.
     */
    @State(Scope.Benchmark)
    public static class KpcKernel {
        @Param({"jit", "native", "emulated", "emulated-checked", "auto"})
        public String tier;

        Engine engine;
        Kernel kernel;
        String text;
        long variant;

        @Setup(Level.Trial)
        public void setUp() {
            engine = KpcTier.of(tier).newEngine();
            kernel = Kernel.builder("compile").engine(engine).build();
            text = Artifacts.text(Artifacts.GRAYSCALE_KPC);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            kernel.close();
            engine.close();
        }

        /** Returns the plugin source with a counter comment and a name never used before. */
        Source nextUncachedSource() {
            variant++;
            String name = "grayscale-" + variant + ".kpc";
            return Source.newBuilder(KpcLanguage.ID, text + "\n/* variant " + variant + " */\n", name).buildLiteral();
        }
    }

    /** One uncached load per call. */
    @State(Scope.Benchmark)
    public static class KpcUncached {
        Source source;
        Plugin loaded;

        @Setup(Level.Invocation)
        public void nextSource(KpcKernel kpc) {
            source = kpc.nextUncachedSource();
        }

        @TearDown(Level.Invocation)
        public void unload() {
            loaded.unload();
        }
    }

    /** One load of an already parsed source per call. */
    @State(Scope.Benchmark)
    public static class KpcCached {
        Source source;
        Plugin loaded;

        @Setup(Level.Trial)
        public void parseOnce(KpcKernel kpc) {
            source = kpc.nextUncachedSource();
            kpc.kernel.load(source, PluginLimits.DEFAULT).unload();
        }

        @TearDown(Level.Invocation)
        public void unload() {
            loaded.unload();
        }
    }

    /** A shared GraalWasm engine, and one new context and module source name per call. */
    @State(Scope.Benchmark)
    public static class Wasm {
        Engine engine;
        byte[] module;
        long variant;
        Source source;
        Context context;

        @Setup(Level.Trial)
        public void setUp() {
            engine = Engine.newBuilder(Peers.WASM).option("engine.WarnInterpreterOnly", "false").build();
            KpcTier.requireCompiler(engine);
            module = Artifacts.bytes(Artifacts.GRAYSCALE_WASM);
        }

        @Setup(Level.Invocation)
        public void nextSource() {
            variant++;
            source = Source.newBuilder(Peers.WASM, ByteSequence.create(module), "grayscale-" + variant).buildLiteral();
        }

        @TearDown(Level.Invocation)
        public void closeContext() {
            context.close();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            engine.close();
        }
    }

    @Benchmark
    public Plugin kpc(KpcKernel kpc, KpcUncached load) {
        load.loaded = kpc.kernel.load(load.source, PluginLimits.DEFAULT);
        return load.loaded;
    }

    @Benchmark
    public Plugin kpcCached(KpcKernel kpc, KpcCached load) {
        load.loaded = kpc.kernel.load(load.source, PluginLimits.DEFAULT);
        return load.loaded;
    }

    @Benchmark
    public Value wasm(Wasm wasm) {
        wasm.context = Context.newBuilder(Peers.WASM).engine(wasm.engine).build();
        return Peers.instantiateWasm(wasm.context, wasm.source);
    }
}
