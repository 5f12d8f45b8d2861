// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.host.KernelTestSupport.Tier;

class PluginBufferTest {

    private static final String INVERT = """
                    #include <stdint.h>
                    int invert(const uint8_t *in, uint8_t *out, uint32_t n) {
                        for (uint32_t i = 0; i < n; i++) {
                            out[i] = 255 - in[i];
                        }
                        return 0;
                    }
                    uint32_t sum(const uint8_t *in, uint32_t n) {
                        uint32_t total = 0;
                        for (uint32_t i = 0; i < n; i++) {
                            total += in[i];
                        }
                        return total;
                    }
                    void poke(uint8_t *p, uint32_t offset) { p[offset] = 7; }
                    int peek(const uint8_t *p, uint32_t offset) { return p[offset]; }
                    int peek_beside(const uint8_t *p, const uint8_t *next, uint32_t offset) { return p[offset] + next[0]; }
                    int first(const uint8_t *p) { return p[0]; }
                    """;

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 5);
        }
        return bytes;
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void buffersGiveTheSameOutputAsArrays(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Plugin plugin = support.kernel.load("invert", INVERT);
            KernelHook hook = support.kernel.declareHook("int invert(const uint8_t *in, uint8_t *out, uint32_t n)");
            hook.link(plugin, "invert");
            byte[] input = pattern(10_000);
            byte[] expected = new byte[input.length];
            assertEquals(0, hook.call(input, expected, input.length).asInt());
            assertEquals((byte) (255 - input[9_999]), expected[9_999]);

            try (PluginBuffer in = plugin.allocateReadOnlyBuffer(input.length);
                            PluginBuffer out = plugin.allocateBuffer(input.length)) {
                in.write(0, input);
                for (int round = 0; round < 3; round++) {
                    assertEquals(0, hook.call(in, out, input.length).asInt());
                }
                byte[] output = new byte[input.length];
                out.read(0, output);
                assertArrayEquals(expected, output);
                // Numbers are addresses too.
                assertEquals(0, hook.call(in.address(), out.address(), input.length).asInt());
                // A byte[] argument is mapped above the buffers and leaves them as they were.
                byte[] other = new byte[16];
                assertEquals(0, hook.call(in, other, other.length).asInt());
                assertEquals((byte) (255 - input[15]), other[15]);
                out.read(0, output);
                assertArrayEquals(expected, output);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void bufferKeepsItsBytesAcrossCalls(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Plugin plugin = support.kernel.load("invert", INVERT);
            try (PluginBuffer buffer = plugin.allocateBuffer(100)) {
                assertEquals(0L, plugin.call("sum", buffer, 100).asLong());
                plugin.call("poke", buffer, 99);
                plugin.call("poke", buffer, 0);
                assertEquals(14L, plugin.call("sum", buffer, 100).asLong());
                buffer.write(50, new byte[] {1, 2, 3}, 1, 2);
                assertEquals(19L, plugin.call("sum", buffer, 100).asLong());
                byte[] read = new byte[4];
                buffer.read(49, read, 0, 4);
                assertArrayEquals(new byte[] {0, 2, 3, 0}, read);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void pluginFaultsOnReadOnlyBufferAndPastItsPages(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Plugin plugin = support.kernel.load("invert", INVERT, PluginLimits.DEFAULT.withFaultLimit(10));
            try (PluginBuffer readOnly = plugin.allocateReadOnlyBuffer(10)) {
                PolyglotException write = assertThrows(PolyglotException.class, () -> plugin.call("poke", readOnly, 3));
                assertEquals("PAGE_NOT_WRITABLE", write.getGuestObject().getMember("kind").asString());
                // The buffer's size is rounded up to whole pages, and nothing is mapped above it.
                assertEquals(0, plugin.call("peek", readOnly, 4095).asInt());
                PolyglotException past = assertThrows(PolyglotException.class, () -> plugin.call("peek", readOnly, 4096));
                assertEquals("PAGE_NOT_PRESENT", past.getGuestObject().getMember("kind").asString());
                // A guard page keeps the next buffer and the call's own mappings out of reach.
                try (PluginBuffer next = plugin.allocateBuffer(10)) {
                    PolyglotException intoBuffer = assertThrows(PolyglotException.class,
                                    () -> plugin.call("peek_beside", readOnly, next, 4096));
                    assertEquals("PAGE_NOT_PRESENT", intoBuffer.getGuestObject().getMember("kind").asString());
                    PolyglotException intoArgument = assertThrows(PolyglotException.class,
                                    () -> plugin.call("peek_beside", next, new byte[] {99}, 4096));
                    assertEquals("PAGE_NOT_PRESENT", intoArgument.getGuestObject().getMember("kind").asString());
                }
                // The host keeps using the buffer after the faults.
                readOnly.write(3, new byte[] {42});
                assertEquals(42, plugin.call("peek", readOnly, 3).asInt());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void closedBufferIsUnmapped(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Plugin plugin = support.kernel.load("invert", INVERT);
            PluginBuffer buffer = plugin.allocateBuffer(64);
            long address = buffer.address();
            buffer.close();
            buffer.close();
            assertTrue(buffer.isClosed());
            IllegalStateException passed = assertThrows(IllegalStateException.class, () -> plugin.call("peek", buffer, 0));
            assertTrue(passed.getMessage().endsWith("is closed; allocate a new one"), passed.getMessage());
            assertThrows(IllegalStateException.class, () -> buffer.write(0, new byte[1]));
            PolyglotException stale = assertThrows(PolyglotException.class, () -> plugin.call("peek", address, 0));
            assertEquals("PAGE_NOT_PRESENT", stale.getGuestObject().getMember("kind").asString());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void freedSpaceIsReusedFromTheTop(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Plugin plugin = support.kernel.load("invert", INVERT);
            // Each buffer takes whole pages and a guard page above them.
            PluginBuffer first = plugin.allocateBuffer(5000);
            PluginBuffer second = plugin.allocateBuffer(1);
            assertEquals(first.address() + 8192 + 4096, second.address());
            second.close();
            PluginBuffer third = plugin.allocateBuffer(4096);
            assertEquals(second.address(), third.address());
            first.close();
            PluginBuffer fourth = plugin.allocateBuffer(1);
            assertEquals(third.address() + 4096 + 4096, fourth.address());
            third.close();
            fourth.close();
            PluginBuffer fifth = plugin.allocateBuffer(1);
            assertEquals(first.address(), fifth.address());
            fifth.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void invalidSizesAndRangesAreRejected(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Plugin plugin = support.kernel.load("invert", INVERT);
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> plugin.allocateBuffer(0));
            assertEquals("a plugin buffer needs a size of at least 1 byte, not 0", zero.getMessage());
            PolyglotException tooBig = assertThrows(PolyglotException.class, () -> plugin.allocateBuffer(Integer.MAX_VALUE));
            assertTrue(tooBig.getMessage().startsWith("a host buffer of 2147483647 bytes does not fit in plugin 'invert': "),
                            tooBig.getMessage());
            assertTrue(tooBig.getMessage().endsWith("; raise kpc.MemoryLimit (PluginLimits.memoryLimit) or close a buffer"), tooBig.getMessage());
            try (PluginBuffer buffer = plugin.allocateBuffer(8)) {
                assertThrows(IndexOutOfBoundsException.class, () -> buffer.write(4, new byte[5]));
                assertThrows(IndexOutOfBoundsException.class, () -> buffer.read(-1, new byte[1]));
                assertThrows(IndexOutOfBoundsException.class, () -> buffer.read(0, new byte[4], 2, 3));
                assertEquals(0, plugin.call("peek", buffer, 7).asInt());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void integerParameterRejectsBuffer(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Plugin plugin = support.kernel.load("invert", INVERT);
            try (PluginBuffer buffer = plugin.allocateBuffer(64)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                () -> plugin.call("peek", buffer, buffer));
                assertTrue(e.getMessage().contains("parameter of type 'unsigned int', got a pointer"), e.getMessage());
                assertTrue(e.getMessage().contains("PluginBuffer.address()"), e.getMessage());
                assertTrue(e.getMessage().contains("argument 2 of peek(): "), e.getMessage());

                plugin.call("poke", buffer, 9);
                assertEquals(7, plugin.call("peek", buffer, 9).asInt());
                assertEquals(7, plugin.call("peek", buffer.address(), 9).asInt());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void bufferArrayPassesAsArguments(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Plugin plugin = support.kernel.load("invert", INVERT);
            try (PluginBuffer buffer = plugin.allocateBuffer(4)) {
                buffer.write(0, new byte[] {42});
                Object[] arguments = new PluginBuffer[] {buffer};
                assertEquals(42, plugin.call("first", arguments).asInt());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void fullRegionNamesBuffersInArgumentError(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            PluginLimits limits = PluginLimits.DEFAULT.withMemoryLimit(8 << 20).withHeapSize(1 << 20);
            Plugin plugin = support.kernel.load("invert", INVERT, limits);
            PolyglotException tooBig = assertThrows(PolyglotException.class, () -> plugin.allocateBuffer(8 << 20));
            String message = tooBig.getMessage();
            long left = Long.parseLong(message.substring(message.indexOf(": ") + 2, message.indexOf(" bytes are left")));
            try (PluginBuffer all = plugin.allocateBuffer((int) left)) {
                IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                                () -> plugin.call("peek_beside", all, new byte[] {1}, 0));
                assertTrue(error.getMessage().contains("host value of 1 bytes does not fit the plugin's host mapping region of 0"
                                + " bytes (its plugin buffers take " + left + " bytes more); raise kpc.MemoryLimit or"
                                + " close a plugin buffer"), error.getMessage());
            }
            assertEquals(0, plugin.call("peek_beside", new byte[] {0}, new byte[] {0}, 0).asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void bufferBelongsToItsPlugin(Tier tier) {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Plugin first = support.kernel.load("first", INVERT);
            Plugin second = support.kernel.load("second", INVERT);
            KernelHook hook = support.kernel.declareHook("int peek(const uint8_t *p, uint32_t offset)");
            hook.link(first, "peek");
            try (PluginBuffer buffer = first.allocateBuffer(16)) {
                buffer.write(0, new byte[] {9});
                assertEquals(9, hook.call(buffer, 0).asInt());
                hook.replace(second, "peek");
                IllegalStateException error = assertThrows(IllegalStateException.class, () -> hook.call(buffer, 0));
                assertEquals("the 16-byte buffer at " + buffer.address() + " of plugin 'first' cannot be passed to plugin"
                                + " 'second': a buffer is mapped in the plugin that allocated it only; allocate one from"
                                + " plugin 'second'", error.getMessage());
                assertThrows(IllegalStateException.class, () -> second.call("peek", buffer, 0));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void bufferBelongsToItsThreadAndInstance(Tier tier) throws Exception {
        try (KernelTestSupport support = new KernelTestSupport(tier)) {
            Plugin plugin = support.kernel.load("invert", INVERT);
            PluginBuffer buffer = plugin.allocateBuffer(16);
            PluginBuffer unclosed = plugin.allocateBuffer(16);
            AtomicReference<Throwable> passed = new AtomicReference<>();
            AtomicReference<Throwable> written = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                passed.set(assertThrows(IllegalStateException.class, () -> plugin.call("peek", buffer, 0)));
                written.set(assertThrows(IllegalStateException.class, () -> buffer.write(0, new byte[1])));
            });
            thread.start();
            thread.join(30_000);
            assertTrue(passed.get().getMessage().contains("belongs to the instance of thread "), passed.get().getMessage());
            assertTrue(written.get().getMessage().contains("use it only on the thread that allocated it"),
                            written.get().getMessage());

            plugin.releaseThreadInstance();
            // The other thread's instance stays.
            assertEquals(1, plugin.instanceCount());
            IllegalStateException released = assertThrows(IllegalStateException.class, () -> buffer.read(0, new byte[1]));
            assertTrue(released.getMessage().contains("was unmapped when this thread's instance of plugin 'invert' was released"),
                            released.getMessage());
            assertTrue(buffer.isClosed(), "a buffer of a released instance is unmapped");
            assertTrue(unclosed.isClosed());
            buffer.close();
            assertEquals(1, plugin.instanceCount(), "using or closing a stale buffer creates no instance");
            assertThrows(IllegalStateException.class, () -> plugin.call("peek", buffer, 0));
            IllegalStateException passedAfterRelease = assertThrows(IllegalStateException.class,
                            () -> plugin.call("peek", unclosed, 0));
            assertTrue(passedAfterRelease.getMessage().contains("was unmapped when this thread's instance of plugin 'invert'"
                            + " was released"), passedAfterRelease.getMessage());

            PluginBuffer afterUnload = plugin.allocateBuffer(16);
            assertFalse(afterUnload.isClosed());
            plugin.unload();
            assertTrue(afterUnload.isClosed(), "an unloaded plugin's buffer is unmapped");
            IllegalStateException unloaded = assertThrows(IllegalStateException.class, () -> afterUnload.write(0, new byte[1]));
            assertTrue(unloaded.getMessage().endsWith("was unmapped: plugin 'invert' is unloaded"), unloaded.getMessage());
            afterUnload.close();
        }
    }
}
