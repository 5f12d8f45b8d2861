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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Linking, unlinking and replacing the plugin function bound to a hook ({@link KernelHook#link},
 * {@link KernelHook#unlink}, {@link KernelHook#replace}), with two loaded plugins that both export
 * {@code int inc(int x)}.
 *
 * <p>Link needs an unlinked hook and unlink a linked one. Each call of those two benchmarks
 * therefore works on {@value #HOOKS} hooks that JMH put in the required state beforehand, outside
 * the measured time, and the time is divided by {@value #HOOKS}. A single link or unlink takes
 * well under 100 ns, not much longer than the timestamps that JMH takes around each call that has
 * such a step, so one hook per call would mostly measure the timestamps. Replace, and the pair link
 * plus unlink, need no preparation and use one hook.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HookLinkBenchmark {

    /** Hooks linked or unlinked per call of {@link #link} and {@link #unlink}. */
    static final int HOOKS = 1000;

    /** A kernel with {@value #HOOKS} hooks and two plugins that can be linked to them. */
    @State(Scope.Benchmark)
    public static class Hooked {
        Engine engine;
        Kernel kernel;
        KernelHook[] hooks;
        Plugin first;
        Plugin second;
        boolean secondLinked;

        @Setup(Level.Trial)
        public void setUp() {
            engine = KpcTier.JIT.newEngine();
            kernel = Kernel.builder("link").engine(engine).build();
            hooks = new KernelHook[HOOKS];
            for (int i = 0; i < HOOKS; i++) {
                hooks[i] = kernel.declareHook("int inc_" + i + "(int x)");
            }
            first = kernel.load("inc-first", UpcallBenchmark.INC_SOURCE);
            second = kernel.load("inc-second", UpcallBenchmark.INC_SOURCE);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            for (KernelHook hook : hooks) {
                if (hook.plugin() == null) {
                    hook.link(first, "inc");
                }
                UpcallBenchmark.requireIncrement("kpc hook after relinking", hook.call(41).asInt());
            }
            kernel.close();
            engine.close();
        }
    }

    /** Leaves every hook unlinked before each call. */
    @State(Scope.Benchmark)
    public static class Unlinked {
        @Setup(Level.Invocation)
        public void unlink(Hooked hooked) {
            for (KernelHook hook : hooked.hooks) {
                hook.unlink();
            }
        }
    }

    /** Leaves every hook linked before each call. */
    @State(Scope.Benchmark)
    public static class Linked {
        @Setup(Level.Invocation)
        public void link(Hooked hooked) {
            for (KernelHook hook : hooked.hooks) {
                if (hook.plugin() == null) {
                    hook.link(hooked.first, "inc");
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(HOOKS)
    public void link(Hooked hooked, Unlinked unlinked) {
        for (KernelHook hook : hooked.hooks) {
            hook.link(hooked.first, "inc");
        }
    }

    @Benchmark
    @OperationsPerInvocation(HOOKS)
    public void unlink(Hooked hooked, Linked linked, Blackhole blackhole) {
        for (KernelHook hook : hooked.hooks) {
            blackhole.consume(hook.unlink());
        }
    }

    @Benchmark
    public Plugin linkUnlink(Hooked hooked) {
        hooked.hooks[0].link(hooked.first, "inc");
        return hooked.hooks[0].unlink();
    }

    /** Replaces the linked plugin with the other one, so every call changes the binding. */
    @Benchmark
    public Plugin replace(Hooked hooked) {
        hooked.secondLinked = !hooked.secondLinked;
        return hooked.hooks[0].replace(hooked.secondLinked ? hooked.second : hooked.first, "inc");
    }
}
