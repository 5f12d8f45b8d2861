// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.host.KernelTestSupport.Tier;

/**
 * Hook calls of a thread that has called the hook before, which find the thread's instance and
 * function value in the hook's per-thread table and enter the plugin's gate through the thread's
 * own slot.
 */
class HookCallTest {

    /** A host function that blocks a plugin call until the test lets it go on. */
    private static final class Pause {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        volatile boolean armed;

        long run() {
            if (armed) {
                entered.countDown();
                try {
                    assertTrue(proceed.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 0;
        }
    }

    /** Starts a thread that calls {@code hook} with 41 twice and keeps the second result or exception. */
    private static Thread callTwice(KernelHook hook, AtomicReference<Object> second, Pause pause) {
        Thread caller = new Thread(() -> {
            hook.call(41);
            pause.armed = true;
            try {
                second.set(hook.call(41).asInt());
            } catch (RuntimeException e) {
                second.set(e);
            }
        });
        caller.start();
        return caller;
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void unloadWaitsForRepeatedCall(Tier tier) throws Exception {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            Pause pause = new Pause();
            kernel.exportFunction("void pause(void)", (memory, args) -> pause.run());
            KernelHook hook = kernel.declareHook("int run(int value)");
            Plugin plugin = kernel.load("slow", "void pause(void);\nint run(int value) { pause(); return value + 1; }");
            hook.link(plugin, "run");

            AtomicReference<Object> second = new AtomicReference<>();
            Thread caller = callTwice(hook, second, pause);
            assertTrue(pause.entered.await(30, TimeUnit.SECONDS));

            plugin.unload();
            assertNull(hook.plugin());
            assertFalse(plugin.isReleased());
            assertEquals(1, plugin.runningCalls());

            pause.proceed.countDown();
            caller.join(30_000);
            assertEquals(42, second.get());
            assertTrue(plugin.isReleased());
            assertEquals(0, plugin.runningCalls());
            assertEquals(2, plugin.calls());
            IllegalStateException unlinked = assertThrows(IllegalStateException.class, () -> hook.call(1));
            assertEquals("hook 'run' has no plugin function linked; link one first", unlinked.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void replaceLetsRepeatedCallFinish(Tier tier) throws Exception {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            Pause pause = new Pause();
            kernel.exportFunction("void pause(void)", (memory, args) -> pause.run());
            KernelHook hook = kernel.declareHook("int run(int value)");
            Plugin old = kernel.load("old", "void pause(void);\nint run(int value) { pause(); return value + 1; }");
            Plugin next = kernel.load("next", "int run(int value) { return value * 10; }");
            hook.link(old, "run");

            AtomicReference<Object> second = new AtomicReference<>();
            Thread caller = callTwice(hook, second, pause);
            assertTrue(pause.entered.await(30, TimeUnit.SECONDS));

            assertSame(old, hook.replace(next, "run"));
            assertEquals(50, hook.call(5).asInt());
            old.unload();
            assertFalse(old.isReleased());

            pause.proceed.countDown();
            caller.join(30_000);
            assertEquals(42, second.get());
            assertTrue(old.isReleased());
            assertEquals(2, old.calls());
            assertEquals(1, next.calls());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void faultsOfEveryThreadCountTowardQuarantine(Tier tier) throws Exception {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            KernelHook hook = kernel.declareHook("int work(int value)");
            Plugin plugin = kernel.load(Source.newBuilder("kpc", "int work(int v) { return 100 / v; }", "divider.kpc")
                            .buildLiteral(), PluginLimits.DEFAULT.withFaultLimit(2));
            hook.link(plugin, "work");
            assertEquals(50, hook.call(2).asInt());

            // The other thread's call is its first, the main thread's fault takes the repeated path.
            AtomicReference<Throwable> otherFault = new AtomicReference<>();
            Thread other = new Thread(() -> {
                assertEquals(25, hook.call(4).asInt());
                try {
                    hook.call(0);
                } catch (PolyglotException e) {
                    otherFault.set(e);
                }
            });
            other.start();
            other.join(30_000);
            assertTrue(otherFault.get() instanceof PolyglotException, String.valueOf(otherFault.get()));
            assertEquals(1, plugin.faults());
            assertFalse(plugin.isQuarantined());

            PolyglotException last = assertThrows(PolyglotException.class, () -> hook.call(0));
            assertTrue(last.getMessage().startsWith("divider.kpc:1:30: fault: divide error: division by zero"),
                            last.getMessage());
            assertEquals(2, plugin.faults());
            assertTrue(plugin.isQuarantined());
            assertTrue(plugin.isReleased());
            assertEquals(4, plugin.calls());
            IllegalStateException empty = assertThrows(IllegalStateException.class, () -> hook.call(1));
            assertTrue(empty.getMessage().startsWith("hook 'work' has no plugin function linked (plugin 'divider' was"
                            + " quarantined after 2 faults: divider.kpc:1:30: fault: divide error"), empty.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void releasedThreadInstanceIsReplaced(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            KernelHook hook = kernel.declareHook("int next(void)");
            Plugin counter = kernel.load("counter", "int count; int next(void) { return ++count; }");
            hook.link(counter, "next");
            assertEquals(1, hook.call().asInt());
            assertEquals(2, hook.call().asInt());
            assertEquals(3, counter.call("next").asInt());

            counter.releaseThreadInstance();
            assertEquals(1, hook.call().asInt(), "a new instance starts with fresh globals");
            assertEquals(2, counter.call("next").asInt());
            assertEquals(5, counter.calls());
            assertFalse(counter.isReleased());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void threadInstanceCannotBeReleasedDuringCall(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            AtomicReference<Plugin> self = new AtomicReference<>();
            kernel.exportFunction("void drop_instance(void)", (memory, args) -> {
                self.get().releaseThreadInstance();
                return 0;
            });
            KernelHook hook = kernel.declareHook("int next(void)");
            Plugin counter = kernel.load("dropper", """
                            void drop_instance(void);
                            int count;
                            int next(void) { ++count; if (count == 2) drop_instance(); return count; }
                            """);
            self.set(counter);
            hook.link(counter, "next");
            assertEquals(1, hook.call().asInt());

            PolyglotException error = assertThrows(PolyglotException.class, hook::call);
            assertEquals("host function 'drop_instance' failed: java.lang.IllegalStateException: cannot release this"
                            + " thread's instance of plugin 'dropper' while a call of it runs on this thread; release it"
                            + " after the call returns", error.getMessage());
            assertEquals(3, hook.call().asInt(), "the instance stays in use");
            assertEquals(0, counter.runningCalls());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void everyThreadKeepsItsOwnInstance(Tier tier) throws Exception {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            KernelHook hook = kernel.declareHook("int next(void)");
            Plugin counter = kernel.load("counter", "int count; int next(void) { return ++count; }");
            hook.link(counter, "next");

            int threads = 9;
            int callsPerThread = 50;
            List<Thread> callers = new ArrayList<>();
            List<String> mistakes = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                Thread caller = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int expected = 1; expected <= callsPerThread; expected++) {
                        int result = hook.call().asInt();
                        if (result != expected) {
                            synchronized (mistakes) {
                                mistakes.add(Thread.currentThread().getName() + " got " + result + " for call " + expected);
                            }
                        }
                    }
                });
                callers.add(caller);
                caller.start();
            }
            start.countDown();
            for (Thread caller : callers) {
                caller.join(60_000);
            }

            assertEquals(List.of(), mistakes);
            assertEquals((long) threads * callsPerThread, counter.calls());
            assertEquals(0, counter.runningCalls());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hooksOfOneFunctionShareThreadInstance(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            KernelHook first = kernel.declareHook("int next(void)");
            KernelHook second = kernel.declareHook("int tick(void)");
            Plugin counter = kernel.load("counter", "int count; int next(void) { return ++count; }");
            first.link(counter, "next");
            second.link(counter, "next");

            assertEquals(1, first.call().asInt());
            assertEquals(2, second.call().asInt());
            assertEquals(3, first.call().asInt());
            assertSame(counter, first.unlink());
            assertEquals(4, second.call().asInt());
        }
    }
}
