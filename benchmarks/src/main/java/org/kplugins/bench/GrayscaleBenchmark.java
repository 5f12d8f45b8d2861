// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Value;
import org.kplugins.kpc.host.Kernel;
import org.kplugins.kpc.host.KernelHook;
import org.kplugins.kpc.host.Plugin;
import org.kplugins.kpc.host.PluginBuffer;
import org.kplugins.kpc.host.PluginLimits;
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
 * Grayscale throughput: {@code transcode()} of {@code examples/grayscale.kpc} on a square packed-RGB
 * image, per KPC tier, against a Java loop, the same C by gcc -O2 and by gcc -O3 -march=native
 * through the foreign function API, and the same C in GraalWasm and in Sulong. The report turns
 * the time per call into MB of input (10^6 bytes) per second. Every subject's output is checked
 * against {@link GrayscaleImage#reference} in its setup.
 *
 * <p>What a call includes differs by subject, as a host would use each one. The {@code kpc} call
 * maps the Java input array into the plugin's address space and copies the output back. The
 * {@code kpcBuffers} call passes two {@link PluginBuffer}s that the setup filled, so it copies
 * nothing. The peers work on memory that already contains the image: the wasm linear memory, or
 * native memory for gcc and Sulong. The Java loop works on the arrays.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// The jit tier and the peers reached their final speed on 512x512 only after about 10 s with a
// load average of 4, because the Graal compiler itself warms up first. 20 s leaves a margin.
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GrayscaleBenchmark {

    /** The transcode prototype, shared by the KPC hook and every peer. */
    static final String TRANSCODE = "int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height)";

    /** The image and its expected output. JMH instantiates only the subclasses. */
    @State(Scope.Benchmark)
    public abstract static class Image {
        @Param({"512", "2048"})
        public int side;

        byte[] input;
        byte[] expected;

        void createImage() {
            input = GrayscaleImage.synthetic(side);
            expected = GrayscaleImage.reference(input);
        }
    }

    /** The image, and the plugin in a kernel on an engine of one tier, linked to a transcode hook. */
    public abstract static class KpcKernel extends Image {
        Engine engine;
        Kernel kernel;
        KernelHook hook;

        /**
         * Creates the image, the engine of {@code tier} (with its tier log sent to {@code tierLog}
         * unless null) and the kernel, and returns the plugin, linked to {@link #hook}.
         */
        Plugin linkPlugin(KpcTier tier, TierLog tierLog) {
            createImage();
            engine = tier.newEngine(tierLog);
            kernel = Kernel.builder("grayscale").engine(engine).build();
            hook = kernel.declareHook(TRANSCODE);
            Plugin plugin = kernel.load(Artifacts.path(Artifacts.GRAYSCALE_KPC), PluginLimits.DEFAULT);
            hook.link(plugin, "transcode");
            return plugin;
        }

        @TearDown
        public void tearDown() {
            kernel.close();
            engine.close();
        }
    }

    /**
     * The plugin in a kernel of one tier, linked to a transcode hook. In the auto tier the setup
     * calls the hook until the log reports the switch to machine code, so warm-up and measurement
     * time only the machine code.
     */
    @State(Scope.Benchmark)
    public static class Kpc extends KpcKernel {
        @Param({"interp", "jit", "native", "emulated", "emulated-checked", "auto"})
        public String tier;

        byte[] output;
        /** The auto tier's log message of the switch to machine code, or null in the other tiers. */
        String switchMessage;

        @Setup
        public void setUp() {
            KpcTier kpcTier = KpcTier.of(tier);
            TierLog tierLog = kpcTier == KpcTier.AUTO ? new TierLog() : null;
            linkPlugin(kpcTier, tierLog);
            output = new byte[input.length];
            requireSuccess("kpc " + tier, hook.call(input, output, side, side).asInt());
            GrayscaleImage.requireEqual("kpc " + tier, expected, output);

            if (tierLog != null) {
                switchMessage = tierLog.callUntilSwitched("kpc auto",
                                () -> requireSuccess("kpc auto", hook.call(input, output, side, side).asInt()));
                // JMH prints this in its log, once per fork.
                System.out.println("kpc auto, " + side + "x" + side + ": " + switchMessage);
                Arrays.fill(output, (byte) 0);
                requireSuccess("kpc auto after the switch", hook.call(input, output, side, side).asInt());
                GrayscaleImage.requireEqual("kpc auto after the switch", expected, output);
            }
        }
    }

    /**
     * The plugin as in {@link Kpc}, called on buffers mapped in its instance: the image written
     * once into a read-only buffer, the output left in a writable one. The auto tier is left out:
     * after its switch it runs the native tier's code.
     */
    @State(Scope.Benchmark)
    public static class KpcBuffers extends KpcKernel {
        @Param({"jit", "native", "emulated"})
        public String tier;

        PluginBuffer in;
        PluginBuffer out;

        @Setup
        public void setUp() {
            Plugin plugin = linkPlugin(KpcTier.of(tier), null);
            in = plugin.allocateReadOnlyBuffer(input.length);
            out = plugin.allocateBuffer(input.length);
            in.write(0, input);
            requireSuccess("kpc buffers " + tier, hook.call(in, out, side, side).asInt());
            byte[] output = new byte[input.length];
            out.read(0, output);
            GrayscaleImage.requireEqual("kpc buffers " + tier, expected, output);
        }
    }

    /** The Java loop's arrays. */
    @State(Scope.Benchmark)
    public static class Java extends Image {
        byte[] output;

        @Setup
        public void setUp() {
            createImage();
            output = new byte[input.length];
            GrayscaleImage.transcode(input, output, side, side);
            GrayscaleImage.requireEqual("java", expected, output);
        }
    }

    /** The image in native memory, for the gcc libraries and Sulong. */
    public abstract static class NativeImage extends Image {
        Arena arena;
        MemorySegment in;
        MemorySegment out;

        void allocate() {
            createImage();
            arena = Arena.ofShared();
            in = arena.allocate(input.length, 64);
            out = arena.allocate(input.length, 64);
            MemorySegment.copy(input, 0, in, ValueLayout.JAVA_BYTE, 0, input.length);
        }

        void verify(String subject) {
            GrayscaleImage.requireEqual(subject, expected, out.toArray(ValueLayout.JAVA_BYTE));
            out.fill((byte) 0);
        }

        @TearDown
        public void free() {
            arena.close();
        }
    }

    /** The image in native memory for the gcc shared libraries. */
    @State(Scope.Benchmark)
    public static class Gcc extends NativeImage {
        @Setup
        public void setUp() throws Throwable {
            allocate();
            Artifacts.path(Artifacts.GRAYSCALE_GCC_O2);
            Artifacts.path(Artifacts.GRAYSCALE_GCC_O3_NATIVE);
            requireSuccess("gcc -O2", (int) GccLibraries.TRANSCODE_O2.invokeExact(in, out, side, side));
            verify("gcc -O2");
            requireSuccess("gcc -O3 -march=native", (int) GccLibraries.TRANSCODE_O3_NATIVE.invokeExact(in, out, side, side));
            verify("gcc -O3 -march=native");
        }
    }

    /** The bitcode in Sulong, on the image in native memory. Pointers pass as addresses. */
    @State(Scope.Benchmark)
    public static class Sulong extends NativeImage {
        Context context;
        Value transcode;
        long inAddress;
        long outAddress;

        @Setup
        public void setUp() {
            allocate();
            context = Peers.newSulongContext();
            transcode = Peers.loadBitcode(context, Artifacts.GRAYSCALE_BITCODE).getMember("transcode");
            inAddress = in.address();
            outAddress = out.address();
            requireSuccess("sulong", transcode.execute(inAddress, outAddress, side, side).asInt());
            verify("sulong");
        }

        @TearDown
        public void closeContext() {
            context.close();
        }
    }

    /** The wasm module in GraalWasm, with the image written into its linear memory. */
    @State(Scope.Benchmark)
    public static class Wasm extends Image {
        Context context;
        Value transcode;
        int inAddress;
        int outAddress;

        @Setup
        public void setUp() {
            createImage();
            context = Peers.newWasmContext();
            Value exports = Peers.instantiateWasm(context, Peers.wasmSource(Artifacts.GRAYSCALE_WASM_64M, "grayscale"));
            transcode = exports.getMember("transcode");
            Value memory = exports.getMember("memory");

            // The buffers go past the module's data and stack, 64-byte aligned like the native ones.
            inAddress = (exports.getMember("heap_base").execute().asInt() + 63) & ~63;
            outAddress = inAddress + ((input.length + 63) & ~63);
            long end = (long) outAddress + input.length;
            if (end > memory.getBufferSize()) {
                throw new IllegalStateException("wasm linear memory has " + memory.getBufferSize() + " bytes, the " + side + "x"
                                + side + " image needs " + end + ": raise --initial-memory in benchmarks/run");
            }
            writeMemory(memory, inAddress, input);

            requireSuccess("wasm", transcode.execute(inAddress, outAddress, side, side).asInt());
            byte[] output = new byte[input.length];
            memory.readBuffer(outAddress, output, 0, output.length);
            GrayscaleImage.requireEqual("wasm", expected, output);
        }

        /** Copies {@code data} into linear memory at {@code address}, 8 bytes per polyglot call. */
        private static void writeMemory(Value memory, int address, byte[] data) {
            ByteBuffer view = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            int i = 0;
            for (; i + Long.BYTES <= data.length; i += Long.BYTES) {
                memory.writeBufferLong(ByteOrder.LITTLE_ENDIAN, address + i, view.getLong(i));
            }
            for (; i < data.length; i++) {
                memory.writeBufferByte(address + i, data[i]);
            }
        }

        @TearDown
        public void tearDown() {
            context.close();
        }
    }

    static void requireSuccess(String subject, int status) {
        if (status != 0) {
            throw new IllegalStateException(subject + ": transcode returned " + status + ", expected 0");
        }
    }

    @Benchmark
    public int kpc(Kpc kpc) {
        return kpc.hook.call(kpc.input, kpc.output, kpc.side, kpc.side).asInt();
    }

    @Benchmark
    public int kpcBuffers(KpcBuffers kpc) {
        return kpc.hook.call(kpc.in, kpc.out, kpc.side, kpc.side).asInt();
    }

    @Benchmark
    public byte[] java(Java java) {
        GrayscaleImage.transcode(java.input, java.output, java.side, java.side);
        return java.output;
    }

    @Benchmark
    public int gccO2(Gcc gcc) throws Throwable {
        return (int) GccLibraries.TRANSCODE_O2.invokeExact(gcc.in, gcc.out, gcc.side, gcc.side);
    }

    @Benchmark
    public int gccO3Native(Gcc gcc) throws Throwable {
        return (int) GccLibraries.TRANSCODE_O3_NATIVE.invokeExact(gcc.in, gcc.out, gcc.side, gcc.side);
    }

    @Benchmark
    public int wasm(Wasm wasm) {
        return wasm.transcode.execute(wasm.inAddress, wasm.outAddress, wasm.side, wasm.side).asInt();
    }

    @Benchmark
    public int sulong(Sulong sulong) {
        return sulong.transcode.execute(sulong.inAddress, sulong.outAddress, sulong.side, sulong.side).asInt();
    }
}
