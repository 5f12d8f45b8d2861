// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Engine;
import org.kplugins.kpc.host.Kernel;
import org.kplugins.kpc.host.KernelHook;
import org.kplugins.kpc.host.Plugin;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Linking, unlinking and replacing the plugin function bound to a hook ({@link KernelHook#link},
 * {@link KernelHook#unlink}, {@link KernelHook#replace}), with two loaded plugins that both export
 * {@code int inc(int x)}. Link needs an unlinked hook and unlink a linked one, so JMH puts the hook
 * in that state before each call, outside the measured time. The pair link plus unlink is also
 * timed without that step, as a cross-check.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HookLinkBenchmark {

    /** A kernel with a hook and two plugins that can be linked to it. */
    @State(Scope.Benchmark)
    public static class Hooked {
        Engine engine;
        Kernel kernel;
        KernelHook hook;
        Plugin first;
        Plugin second;
        boolean secondLinked;

        @Setup(Level.Trial)
        public void setUp() {
            engine = KpcTier.JIT.newEngine();
            kernel = Kernel.builder("link").engine(engine).build();
            hook = kernel.declareHook("int inc(int x)");
            first = kernel.load("inc-first", UpcallBenchmark.INC_SOURCE);
            second = kernel.load("inc-second", UpcallBenchmark.INC_SOURCE);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            UpcallBenchmark.requireIncrement("kpc hook after relinking", hookCallOrLink());
            kernel.close();
            engine.close();
        }

        /** Calls the hook once, linking it first if it is unlinked, to check that it still works. */
        private int hookCallOrLink() {
            if (hook.plugin() == null) {
                hook.link(first, "inc");
            }
            return hook.call(41).asInt();
        }
    }

    /** Leaves the hook unlinked before each call. */
    @State(Scope.Benchmark)
    public static class Unlinked {
        @Setup(Level.Invocation)
        public void unlink(Hooked hooked) {
            hooked.hook.unlink();
        }
    }

    /** Leaves the hook linked before each call. */
    @State(Scope.Benchmark)
    public static class Linked {
        @Setup(Level.Invocation)
        public void link(Hooked hooked) {
            if (hooked.hook.plugin() == null) {
                hooked.hook.link(hooked.first, "inc");
            }
        }
    }

    @Benchmark
    public void link(Hooked hooked, Unlinked unlinked) {
        hooked.hook.link(hooked.first, "inc");
    }

    @Benchmark
    public Plugin unlink(Hooked hooked, Linked linked) {
        return hooked.hook.unlink();
    }

    @Benchmark
    public Plugin linkUnlink(Hooked hooked) {
        hooked.hook.link(hooked.first, "inc");
        return hooked.hook.unlink();
    }

    /** Replaces the linked plugin with the other one, so every call changes the binding. */
    @Benchmark
    public Plugin replace(Hooked hooked) {
        hooked.secondLinked = !hooked.secondLinked;
        return hooked.hook.replace(hooked.secondLinked ? hooked.second : hooked.first, "inc");
    }
}
