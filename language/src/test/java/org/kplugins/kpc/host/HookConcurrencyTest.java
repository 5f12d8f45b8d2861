// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.Test;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.host.KernelTestSupport.Tier;

/** Hooks replaced while other threads call them, and code shared between the contexts of one engine. */
class HookConcurrencyTest {

    private static final int CALLER_THREADS = 3;
    private static final int REPLACEMENTS = 20;

    /**
     * Three threads call a hook while a fourth replaces its plugin twenty times, unloading each old
     * one. Every plugin reports each call it runs to the host; no call may be lost or run twice, and
     * none may run in a plugin whose memory was released.
     */
    @Test
    void replaceUnderConcurrentCalls() throws Exception {
        try (KernelTestSupport support = new KernelTestSupport(Tier.INTERPRETER)) {
            Kernel kernel = support.kernel;
            Map<String, Plugin> byName = new ConcurrentHashMap<>();
            Map<String, AtomicLong> runs = new ConcurrentHashMap<>();
            AtomicInteger callsIntoReleased = new AtomicInteger();
            kernel.exportFunction("void record_call(void)", (memory, args) -> {
                Plugin caller = byName.get(memory.pluginName());
                if (caller == null || caller.isReleased()) {
                    callsIntoReleased.incrementAndGet();
                }
                runs.computeIfAbsent(memory.pluginName(), name -> new AtomicLong()).incrementAndGet();
                return 0;
            });
            KernelHook hook = kernel.declareHook("int handle(int value)");
            Plugin first = load(kernel, 0);
            byName.put(first.name(), first);
            hook.link(first, "handle");

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong successfulCalls = new AtomicLong();
            AtomicInteger wrongResults = new AtomicInteger();
            List<Thread> callers = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int t = 0; t < CALLER_THREADS; t++) {
                Thread caller = new Thread(() -> {
                    int value = 0;
                    while (!stop.get()) {
                        int result = hook.call(value).asInt();
                        // Plugin k returns value * 1000 + k.
                        int k = result - value * 1000;
                        if (k < 0 || k > REPLACEMENTS) {
                            wrongResults.incrementAndGet();
                        }
                        successfulCalls.incrementAndGet();
                        value = (value + 1) % 1000;
                    }
                });
                caller.setUncaughtExceptionHandler((thread, error) -> {
                    synchronized (failures) {
                        failures.add(error);
                    }
                });
                callers.add(caller);
                caller.start();
            }

            List<Plugin> replaced = new ArrayList<>();
            for (int k = 1; k <= REPLACEMENTS; k++) {
                Plugin next = load(kernel, k);
                byName.put(next.name(), next);
                Plugin old = hook.replace(next, "handle");
                old.unload();
                replaced.add(old);
                Thread.sleep(5);
            }
            stop.set(true);
            for (Thread caller : callers) {
                caller.join(60_000);
            }

            assertEquals(List.of(), failures);
            assertEquals(0, wrongResults.get());
            assertEquals(0, callsIntoReleased.get());
            long recorded = runs.values().stream().mapToLong(AtomicLong::get).sum();
            assertEquals(successfulCalls.get(), recorded, "calls recorded by plugins");
            long counted = byName.values().stream().mapToLong(Plugin::calls).sum();
            assertEquals(successfulCalls.get(), counted, "calls counted by the kernel");
            for (Plugin old : replaced) {
                assertTrue(old.isReleased(), old + " released");
            }
        }
    }

    private static Plugin load(Kernel kernel, int k) {
        String source = "void record_call(void);\nint handle(int value) { record_call(); return value * 1000 + " + k + "; }";
        return kernel.load(Source.newBuilder("kpc", source, "handler" + k + ".kpc").buildLiteral(), PluginLimits.DEFAULT);
    }

    @Test
    void secondContextDoesNotParseAgain() throws Exception {
        try (Engine engine = Engine.newBuilder("kpc").option("engine.WarnInterpreterOnly", "false").build();
                        Kernel kernel = Kernel.builder("sharing").engine(engine).build()) {
            Source source = Source.newBuilder("kpc", "int g; int next(void) { return ++g; }", "shared.kpc").buildLiteral();
            long before = KpcLanguage.parseCount();
            Plugin first = kernel.load(source, PluginLimits.DEFAULT);
            assertEquals(before + 1, KpcLanguage.parseCount());

            // A second plugin from the same source gets a context of its own on the same engine.
            Plugin second = kernel.load(source, PluginLimits.DEFAULT);
            assertEquals(1, first.call("next").asInt());
            assertEquals(1, second.call("next").asInt());
            // A second thread's instance is a third context.
            Thread other = new Thread(() -> first.call("next"));
            other.start();
            other.join(30_000);
            assertEquals(before + 1, KpcLanguage.parseCount());

            // Limits that change the generated code (the stack size moves static data) parse again.
            kernel.load(source, PluginLimits.DEFAULT.withStackSize(8192));
            assertEquals(before + 2, KpcLanguage.parseCount());
        }
    }
}
