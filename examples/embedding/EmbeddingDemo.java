// SPDX-License-Identifier: Apache-2.0

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.kplugins.kpc.host.Kernel;
import org.kplugins.kpc.host.KernelHook;
import org.kplugins.kpc.host.Plugin;
import org.kplugins.kpc.host.PluginLimits;

/**
 * A small host of kernel plugins: two exports and a hook, a plugin compiled and linked, a million
 * calls, the plugin replaced from another thread while calls run, and a hostile plugin that faults
 * until it is quarantined. Prints one line per step and exits with 0 only if every step behaved.
 */
public final class EmbeddingDemo {

    private static boolean allPassed = true;

    public static void main(String[] args) throws Exception {
        AtomicLong events = new AtomicLong();
        try (Kernel kernel = Kernel.create("demo-host")) {
            kernel.exportFunction("int clamp(int value, int low, int high)", (memory, a) -> Math.max(a[1], Math.min(a[2], a[0])));
            kernel.exportFunction("void count_event(void)", (memory, a) -> events.incrementAndGet());
            KernelHook hook = kernel.declareHook("int filter(int value)");
            step("exports and hook", kernel.symbolTable().symbols().size() == 2,
                            "exported clamp and count_event, declared " + hook.prototype());

            Plugin doubler = kernel.load("doubler", """
                            #include <kernel.h>
                            int filter(int value) { return clamp(value * 2, 0, 255); }
                            """);
            hook.link(doubler, "filter");
            step("compile and link", hook.call(100).asInt() == 200 && hook.call(200).asInt() == 255,
                            String.format("doubler compiled and linked in %.2f ms", doubler.compileNanos() / 1e6));

            int calls = 1_000_000;
            long start = System.nanoTime();
            long sum = 0;
            for (int i = 0; i < calls; i++) {
                sum += hook.call(i & 127).asInt();
            }
            long nanos = System.nanoTime() - start;
            long expected = 0;
            for (int i = 0; i < calls; i++) {
                expected += Math.min(255, (i & 127) * 2);
            }
            step("a million calls", sum == expected,
                            String.format("%d calls through the hook in %.1f ms (%.0f ns per call, including warm-up)",
                                            calls, nanos / 1e6, (double) nanos / calls));

            replaceWhileCalling(kernel, hook, doubler, events);
            quarantineHostilePlugin(kernel, hook);
        }
        System.exit(allPassed ? 0 : 1);
    }

    /** Replaces the doubler by a tripler from another thread while two threads call the hook. */
    private static void replaceWhileCalling(Kernel kernel, KernelHook hook, Plugin doubler, AtomicLong events)
                    throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong byDoubler = new AtomicLong();
        AtomicLong byTripler = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread caller = new Thread(() -> {
                while (!stop.get()) {
                    int result = hook.call(10).asInt();
                    if (result == 20) {
                        byDoubler.incrementAndGet();
                    } else if (result == 30) {
                        byTripler.incrementAndGet();
                    } else {
                        wrong.incrementAndGet();
                    }
                }
            });
            callers.add(caller);
            caller.start();
        }
        Thread.sleep(200);
        Thread replacer = new Thread(() -> {
            Plugin tripler = kernel.load("tripler", """
                            #include <kernel.h>
                            int filter(int value) { count_event(); return clamp(value * 3, 0, 255); }
                            """);
            hook.replace(tripler, "filter");
            doubler.unload();
        });
        replacer.start();
        replacer.join();
        Thread.sleep(200);
        stop.set(true);
        for (Thread caller : callers) {
            caller.join();
        }
        boolean ok = wrong.get() == 0 && byDoubler.get() > 0 && byTripler.get() > 0 && doubler.isReleased()
                        && events.get() == byTripler.get();
        step("replace while calls run", ok, String.format("%d calls answered by doubler, %d by tripler, %d wrong;"
                        + " doubler released: %b", byDoubler.get(), byTripler.get(), wrong.get(), doubler.isReleased()));
    }

    /** Links a plugin that reads outside its memory until the kernel quarantines it. */
    private static void quarantineHostilePlugin(Kernel kernel, KernelHook hook) {
        Plugin previous = hook.plugin();
        Plugin hostile = kernel.load(Source.newBuilder("kpc", """
                        int filter(int value) {
                            int *outside = (int *) 0x7ffff000;
                            return *outside + value;
                        }
                        """, "hostile.kpc").buildLiteral(), PluginLimits.DEFAULT.withFaultLimit(3));
        hook.replace(hostile, "filter");
        String report = null;
        int faults = 0;
        for (int i = 0; i < 3; i++) {
            try {
                hook.call(1);
            } catch (PolyglotException e) {
                faults++;
                report = e.getMessage().lines().findFirst().orElse("");
            }
        }
        boolean quarantined = hostile.isQuarantined() && hook.plugin() == null;
        step("hostile plugin faults", faults == 3 && report != null && report.contains("general-protection fault"),
                        report);
        hook.link(previous, "filter");
        step("hostile plugin quarantined", quarantined && hostile.isReleased() && hook.call(10).asInt() == 30,
                        "hostile unlinked and released after " + hostile.faults() + " faults; tripler serves again");
    }

    private static void step(String name, boolean passed, String detail) {
        System.out.println((passed ? "ok   " : "FAIL ") + name + ": " + detail);
        allPassed &= passed;
    }
}
