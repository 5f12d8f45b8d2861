// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.host.KernelTestSupport.Tier;

class KernelTest {

    @ParameterizedTest
    @EnumSource(Tier.class)
    void exportedFunctionIsCalled(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            kernel.exportFunction("int add(int a, int b)", (memory, args) -> args[0] + args[1]);
            kernel.exportFunction("uint32_t twice(uint32_t value)", (memory, args) -> args[0] * 2);
            Plugin plugin = kernel.load("calc", """
                            #include <kernel.h>
                            int f(int x) { return add(x, -10); }
                            unsigned g(unsigned x) { return twice(x); }
                            """);
            assertEquals(-7, plugin.call("f", 3).asInt());
            // 0x80000001 arrives zero-extended, and twice's result is cut back to 32 bits.
            assertEquals(2L, plugin.call("g", 0x80000001L).asLong());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hostFunctionReadsAndWritesPluginMemory(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            kernel.exportFunction("uint32_t sum_bytes(const uint8_t *data, uint32_t length)", (memory, args) -> {
                byte[] bytes = memory.read(args[0], (int) args[1]);
                long sum = 0;
                for (byte b : bytes) {
                    sum += b & 0xFF;
                }
                return sum;
            });
            kernel.exportFunction("void fill_name(char *buffer)", (memory, args) -> {
                memory.write(args[0], "kpc\0".getBytes());
                return 0;
            });
            Plugin plugin = kernel.load("memory", """
                            #include <kernel.h>
                            int f(void) {
                                uint8_t data[4] = {1, 2, 3, 250};
                                char name[8];
                                fill_name(name);
                                printk("%s\\n", name);
                                return sum_bytes(data, 4);
                            }
                            """);
            assertEquals(256, plugin.call("f").asInt());
            assertEquals("kpc\n", support.output());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hostFunctionBadPointerFaultsAtCallSite(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            kernel.exportFunction("uint32_t sum_bytes(const uint8_t *data, uint32_t length)", (memory, args) -> {
                memory.read(args[0], (int) args[1]);
                return 0;
            });
            Plugin plugin = kernel.load("bad", """
                            #include <kernel.h>
                            int f(void) {
                                return sum_bytes((const uint8_t *) 0x10, 4);
                            }
                            """);
            PolyglotException fault = assertThrows(PolyglotException.class, () -> plugin.call("f"));
            assertTrue(fault.getMessage().startsWith("bad.kpc:3:12: fault: page fault (page not present)"),
                            fault.getMessage());
            assertEquals("PAGE_NOT_PRESENT", fault.getGuestObject().getMember("kind").asString());
            assertEquals(1, plugin.faults());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void exportedFunctionIsCalledThroughPointer(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            kernel.exportFunction("int add(int a, int b)", (memory, args) -> args[0] + args[1]);
            kernel.exportFunction("uint8_t low_byte(uint32_t value)", (memory, args) -> args[0] + 0x100);
            kernel.exportFunction("int64_t widen(int32_t value)", (memory, args) -> args[0] << 32);
            Plugin plugin = kernel.load("pointers", """
                            #include <kernel.h>
                            static int (*operation)(int, int) = add;
                            int f(int x) {
                                uint8_t (*narrow)(uint32_t) = &low_byte;
                                return operation(x, 1) + narrow(0xFFu);
                            }
                            long long g(int x) {
                                int64_t (*wide)(int32_t) = widen;
                                return wide(x);
                            }
                            """);
            // low_byte's result 0x1FF is cut to uint8_t, as in a direct call.
            assertEquals(4 + 0xFF, plugin.call("f", 3).asInt());
            assertEquals(-3L << 32, plugin.call("g", -3).asLong());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hostFunctionThroughPointerFaultsAtCallSite(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            kernel.exportFunction("uint32_t sum_bytes(const uint8_t *data, uint32_t length)", (memory, args) -> {
                memory.read(args[0], (int) args[1]);
                return 0;
            });
            Plugin plugin = kernel.load("bad", """
                            #include <kernel.h>
                            int f(void) {
                                uint32_t (*sum)(const uint8_t *, uint32_t) = sum_bytes;
                                return sum((const uint8_t *) 0x10, 4);
                            }
                            """);
            PolyglotException fault = assertThrows(PolyglotException.class, () -> plugin.call("f"));
            assertTrue(fault.getMessage().startsWith("bad.kpc:4:12: fault: page fault (page not present)"),
                            fault.getMessage());
            assertEquals("PAGE_NOT_PRESENT", fault.getGuestObject().getMember("kind").asString());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void readOnlyDataWindowShowsHostBytesAtEachCall(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            ByteBuffer table = ByteBuffer.allocate(16);
            table.put(0, (byte) 7);
            kernel.exportData("const uint8_t table[16]", table, false);
            Plugin plugin = kernel.load("reader", """
                            #include <kernel.h>
                            int first(void) { return table[0] + table[15]; }
                            """);
            assertEquals(7, plugin.call("first").asInt());
            table.put(15, (byte) 100);
            assertEquals(107, plugin.call("first").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void writableDataWindowIsCopiedBack(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            ByteBuffer counters = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            kernel.exportData("uint32_t counters[2]", counters, true);
            Plugin plugin = kernel.load("writer", """
                            #include <stdint.h>
                            extern uint32_t counters[2];
                            void bump(void) { counters[1] += 5; }
                            """);
            plugin.call("bump");
            plugin.call("bump");
            assertEquals(10, counters.getInt(4));
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void writeToReadOnlyWindowFaults(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            kernel.exportData("const uint8_t table[16]", ByteBuffer.allocate(16), false);
            Plugin plugin = kernel.load("sneaky", """
                            #include <stdint.h>
                            extern const uint8_t table[16];
                            void f(void) { *(uint8_t *) table = 1; }
                            """);
            PolyglotException fault = assertThrows(PolyglotException.class, () -> plugin.call("f"));
            assertEquals("PAGE_NOT_WRITABLE", fault.getGuestObject().getMember("kind").asString());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void headerListsExportsWithVersions(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            kernel.exportFunction("int add(int a, int b)", 3, (memory, args) -> args[0] + args[1]);
            kernel.exportData("const uint8_t table[16]", ByteBuffer.allocate(16), false);
            String header = kernel.header();
            assertTrue(header.contains("int printk(const char *fmt, ...);"), header);
            assertTrue(header.contains("#define KP_VERSION_add 3\nint add(int a, int b);"), header);
            assertTrue(header.contains("#define KP_VERSION_table 1\nextern const uint8_t table[16];"), header);
            Plugin plugin = kernel.load("versioned", """
                            #include <kernel.h>
                            #if KP_VERSION_add >= 3
                            int f(void) { return add(1, 2); }
                            #else
                            int f(void) { return -1; }
                            #endif
                            """);
            assertEquals(3, plugin.call("f").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hookLinksReplacesAndUnlinks(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            KernelHook hook = kernel.declareHook("int filter(int value)");
            Plugin plusOne = kernel.load("plus_one", "int f(int v) { return v + 1; }");
            Plugin timesTwo = kernel.load("times_two", "int g(int v) { return v * 2; }");

            IllegalStateException unlinked = assertThrows(IllegalStateException.class, () -> hook.call(1));
            assertEquals("hook 'filter' has no plugin function linked; link one first", unlinked.getMessage());

            hook.link(plusOne, "f");
            assertEquals(11, hook.call(10).asInt());
            LinkException twice = assertThrows(LinkException.class, () -> hook.link(timesTwo, "g"));
            assertEquals("hook 'filter' is linked to 'f' of plugin 'plus_one' already; replace it, or unlink it first",
                            twice.getMessage());

            assertSame(plusOne, hook.replace(timesTwo, "g"));
            assertEquals(20, hook.call(10).asInt());
            assertSame(timesTwo, hook.unlink());
            assertNull(hook.plugin());
            assertThrows(IllegalStateException.class, () -> hook.call(1));
            assertTrue(plusOne.isLoaded());
            assertEquals(1, plusOne.calls());
            assertEquals(1, timesTwo.calls());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void linkErrorsLeaveHookUnchanged(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            KernelHook hook = kernel.declareHook("int transcode(const uint8_t *in, uint8_t *out, uint32_t width,"
                            + " uint32_t height)");
            Plugin good = kernel.load("good", """
                            #include <kernel.h>
                            int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height) {
                                return (int) (width * height);
                            }
                            int other(int x) { return x; }
                            """);
            hook.link(good, "transcode");

            LinkException mismatch = assertThrows(LinkException.class, () -> hook.replace(good, "other"));
            assertEquals("cannot link 'other' of plugin 'good' to hook 'transcode': the hook is 'int transcode(const"
                            + " unsigned char *, unsigned char *, unsigned int, unsigned int)' but the plugin defines"
                            + " 'int other(int)'", mismatch.getMessage());
            LinkException missing = assertThrows(LinkException.class, () -> hook.replace(good, "absent"));
            assertEquals("plugin 'good' exports no function 'absent'", missing.getMessage());

            Plugin gone = kernel.load("gone", "int transcode(const unsigned char *a, unsigned char *b, unsigned w,"
                            + " unsigned h) { return 0; }");
            gone.unload();
            LinkException unloaded = assertThrows(LinkException.class, () -> hook.replace(gone, "transcode"));
            assertEquals("cannot link plugin 'gone' to hook 'transcode': the plugin is unloaded", unloaded.getMessage());

            assertSame(good, hook.plugin());
            assertEquals(12, hook.call(new byte[12], new byte[12], 3, 4).asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void unloadReleasesMemoryWhenLastCallReturns(Tier tier) throws Exception {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch proceed = new CountDownLatch(1);
            kernel.exportFunction("void wait_for_host(void)", (memory, args) -> {
                entered.countDown();
                try {
                    proceed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            });
            KernelHook hook = kernel.declareHook("int run(int value)");
            Plugin plugin = kernel.load("slow", """
                            void wait_for_host(void);
                            int run(int value) { wait_for_host(); return value + 1; }
                            """);
            hook.link(plugin, "run");
            AtomicReference<Object> result = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    result.set(hook.call(41).asInt());
                } catch (RuntimeException e) {
                    result.set(e);
                }
            });
            caller.start();
            assertTrue(entered.await(30, TimeUnit.SECONDS));

            plugin.unload();
            assertNull(hook.plugin());
            assertFalse(plugin.isLoaded());
            assertFalse(plugin.isReleased());
            assertEquals(1, plugin.runningCalls());
            assertThrows(IllegalStateException.class, () -> plugin.call("run", 1));

            proceed.countDown();
            caller.join(30_000);
            assertEquals(42, result.get());
            assertTrue(plugin.isReleased());
            assertEquals(0, plugin.runningCalls());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void faultingPluginIsQuarantined(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            KernelHook hook = kernel.declareHook("int work(int value)");
            KernelHook other = kernel.declareHook("int other(int value)");
            Plugin hostile = kernel.load(org.graalvm.polyglot.Source.newBuilder("kpc",
                            "int work(int v) { return 100 / v; }", "hostile.kpc").buildLiteral(),
                            PluginLimits.DEFAULT.withFaultLimit(2));
            Plugin friendly = kernel.load("friendly", "int other(int v) { return v; }");
            hook.link(hostile, "work");
            other.link(friendly, "other");

            assertEquals(50, hook.call(2).asInt());
            PolyglotException first = assertThrows(PolyglotException.class, () -> hook.call(0));
            assertTrue(first.getMessage().startsWith("hostile.kpc:1:30: fault: divide error: division by zero"),
                            first.getMessage());
            assertFalse(hostile.isQuarantined());
            PolyglotException last = assertThrows(PolyglotException.class, () -> hook.call(0));
            assertEquals("DIVIDE_ERROR", last.getGuestObject().getMember("kind").asString());
            assertTrue(hostile.isQuarantined());
            IllegalStateException empty = assertThrows(IllegalStateException.class, () -> hook.call(1));
            assertTrue(empty.getMessage().startsWith("hook 'work' has no plugin function linked (plugin 'hostile' was"
                            + " quarantined after 2 faults: hostile.kpc:1:30: fault: divide error"), empty.getMessage());
            assertTrue(hostile.isReleased());
            assertNull(hook.plugin());
            assertEquals(2, hostile.faults());
            assertTrue(hostile.lastFault().contains("division by zero"), hostile.lastFault());
            assertEquals(7, other.call(7).asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void perPluginLimitsApply(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            String source = "int spin(int n) { int i = 0; while (i < n) i++; return i; }";
            Plugin small = kernel.load(org.graalvm.polyglot.Source.newBuilder("kpc", source, "small.kpc").buildLiteral(),
                            PluginLimits.DEFAULT.withBudget(1000));
            Plugin large = kernel.load(org.graalvm.polyglot.Source.newBuilder("kpc", source, "large.kpc").buildLiteral(),
                            PluginLimits.DEFAULT.withBudget(0));
            PolyglotException watchdog = assertThrows(PolyglotException.class, () -> small.call("spin", 5000));
            assertEquals("WATCHDOG", watchdog.getGuestObject().getMember("kind").asString());
            assertEquals(5000, large.call("spin", 5000).asInt());

            String recursion = "int depth(int n) { char pad[256]; pad[0] = 0; return n == 0 ? pad[0] : depth(n - 1) + 1; }";
            Plugin shallow = kernel.load(org.graalvm.polyglot.Source.newBuilder("kpc", recursion, "shallow.kpc")
                            .buildLiteral(), PluginLimits.DEFAULT.withStackSize(4096));
            PolyglotException overflow = assertThrows(PolyglotException.class, () -> shallow.call("depth", 100));
            assertEquals("STACK_OVERFLOW", overflow.getGuestObject().getMember("kind").asString());

            PluginLoadException invalid = assertThrows(PluginLoadException.class, () -> kernel.load(
                            org.graalvm.polyglot.Source.newBuilder("kpc", source, "odd.kpc").buildLiteral(),
                            PluginLimits.DEFAULT.withStackSize(1000)));
            assertTrue(invalid.getMessage().contains("invalid kpc.StackSize 1000"), invalid.getMessage());

            PluginLoadException tooSmall = assertThrows(PluginLoadException.class, () -> kernel.load(
                            org.graalvm.polyglot.Source.newBuilder("kpc", source, "cramped.kpc").buildLiteral(),
                            PluginLimits.DEFAULT.withMemoryLimit(1 << 20)));
            assertTrue(tooSmall.getMessage().startsWith("plugin 'cramped' needs a memory limit of at least"),
                            tooSmall.getMessage());
            Plugin roomy = kernel.load(org.graalvm.polyglot.Source.newBuilder("kpc", source, "roomy.kpc").buildLiteral(),
                            PluginLimits.DEFAULT.withMemoryLimit(1 << 20).withHeapSize(64 << 10));
            assertEquals(3, roomy.call("spin", 3).asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void eachThreadHasItsOwnInstance(Tier tier) throws Exception {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            Plugin counter = kernel.load("counter", "int count; int next(void) { return ++count; }");
            assertEquals(1, counter.call("next").asInt());
            assertEquals(2, counter.call("next").asInt());
            AtomicReference<Integer> other = new AtomicReference<>();
            Thread thread = new Thread(() -> other.set(counter.call("next").asInt()));
            thread.start();
            thread.join(30_000);
            assertEquals(1, other.get());
            assertEquals(3, counter.call("next").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hostFunctionCannotReenterItsPlugin(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            AtomicReference<Plugin> self = new AtomicReference<>();
            kernel.exportFunction("int call_back(int value)", (memory, args) -> self.get().call("leaf", 1).asInt());
            Plugin plugin = kernel.load("reentrant", """
                            int call_back(int value);
                            int leaf(int value) { return value; }
                            int outer(int value) { int local = value; return call_back(value) + local; }
                            """);
            self.set(plugin);
            PolyglotException error = assertThrows(PolyglotException.class, () -> plugin.call("outer", 5));
            assertEquals("host function 'call_back' failed: plugin 'reentrant' is already running on this thread: a host"
                            + " function called back into it, and re-entrant calls are not supported", error.getMessage());
            assertEquals(0, plugin.faults());
            assertEquals(1, plugin.call("leaf", 1).asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hostFunctionExceptionNamesFunction(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            kernel.exportFunction("int lookup(int key)", (memory, args) -> {
                throw new IllegalStateException("no entry " + args[0]);
            });
            Plugin plugin = kernel.load("asker", "int lookup(int key);\nint f(void) { return lookup(7); }");
            PolyglotException error = assertThrows(PolyglotException.class, () -> plugin.call("f"));
            assertEquals("host function 'lookup' failed: java.lang.IllegalStateException: no entry 7", error.getMessage());
            assertTrue(error.isGuestException());
            assertEquals(0, plugin.faults());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void windowIgnoresBufferPositionAndLimit(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            ByteBuffer direct = ByteBuffer.allocateDirect(8);
            direct.put(7, (byte) 9).limit(2).position(1);
            ByteBuffer heap = ByteBuffer.allocate(8);
            heap.put(7, (byte) 4).flip();
            kernel.exportData("uint8_t direct_window[8]", direct, true);
            kernel.exportData("uint8_t heap_window[8]", heap, true);
            Plugin plugin = kernel.load("windows", """
                            #include <kernel.h>
                            int f(void) { direct_window[6] = 1; heap_window[6] = 2; return direct_window[7] + heap_window[7]; }
                            """);
            assertEquals(13, plugin.call("f").asInt());
            assertEquals(1, direct.duplicate().clear().get(6));
            assertEquals(2, heap.duplicate().clear().get(6));
            assertEquals(2, direct.limit());
            assertEquals(1, direct.position());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void hostReadLengthIsCheckedBeforeAllocation(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Kernel kernel = support.kernel;
            kernel.exportFunction("uint32_t sum_bytes(const uint8_t *data, uint32_t length)", (memory, args) -> {
                return memory.read(args[0], (int) Math.min(args[1], Integer.MAX_VALUE)).length;
            });
            kernel.exportFunction("int peek(const uint8_t *data)", (memory, args) -> memory.read(args[0] + 0xFFFFFFFFL, 1)[0]);
            Plugin plugin = kernel.load("greedy", """
                            #include <kernel.h>
                            int f(void) { uint8_t data[4]; return sum_bytes(data, 0x7fffffff); }
                            int g(void) { uint8_t data[4] = {1, 2, 3, 4}; return peek(data + 1); }
                            """);
            // The stack ends below unmapped pages long before 2 GiB, so the range check faults there.
            PolyglotException huge = assertThrows(PolyglotException.class, () -> plugin.call("f"));
            assertEquals("PAGE_NOT_PRESENT", huge.getGuestObject().getMember("kind").asString());
            PolyglotException wrapped = assertThrows(PolyglotException.class, () -> plugin.call("g"));
            assertEquals("GENERAL_PROTECTION", wrapped.getGuestObject().getMember("kind").asString());
        }
    }
}
