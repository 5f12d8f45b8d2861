// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/**
 * Loops whose memory checks compiled code makes once before the loop, for every address the loop
 * will touch. When that check fails, the loop must still run every iteration up to the faulting
 * access, write what those iterations write, and fault at that access with its report.
 */
class CompiledLoopFaultTest {

    /** A row-by-row loop over 3-byte pixels, as in examples/grayscale.kpc. */
    private static final String SHADE = """
                    #include <kernel.h>
                    struct pixel { uint8_t r; uint8_t g; uint8_t b; };
                    int shade(uint8_t *out, uint32_t width, uint32_t height) {
                        struct pixel *dst = (struct pixel *)out;
                        for (uint32_t y = 0; y < height; y++) {
                            for (uint32_t x = 0; x < width; x++) {
                                uint32_t i = y * width + x;
                                dst[i].r = (uint8_t)(x + 1);
                                dst[i].g = (uint8_t)(y + 1);
                                dst[i].b = (uint8_t)(x ^ y);
                            }
                        }
                        return 0;
                    }
                    """;

    /** 64 pixels of 3 bytes a row and 64 rows: exactly 3 pages, so the row after them is unmapped. */
    private static final int WIDTH = 64;
    private static final int HEIGHT = 64;
    private static final int BYTES = WIDTH * HEIGHT * 3;

    private static void assertShaded(ByteBuffer buffer, int rows) {
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int at = (y * WIDTH + x) * 3;
                String pixel = "pixel (" + x + ", " + y + ")";
                assertEquals((byte) (x + 1), buffer.get(at), pixel + " r");
                assertEquals((byte) (y + 1), buffer.get(at + 1), pixel + " g");
                assertEquals((byte) (x ^ y), buffer.get(at + 2), pixel + " b");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void faultPastLastRowKeepsEarlierRows(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("shade.kpc", SHADE);
            for (int call = 0; call < 50; call++) {
                ByteBuffer buffer = ByteBuffer.allocate(BYTES);
                assertEquals(0, plugin.invokeMember("shade", buffer, WIDTH, HEIGHT).asInt());
                assertShaded(buffer, HEIGHT);
            }

            // Two rows more than the buffer holds: the first write of row 64 faults.
            ByteBuffer buffer = ByteBuffer.allocate(BYTES);
            PolyglotException e = assertThrows(PolyglotException.class,
                            () -> plugin.invokeMember("shade", buffer, WIDTH, HEIGHT + 2));
            Value report = e.getGuestObject();
            assertEquals("PAGE_NOT_PRESENT", report.getMember("kind").asString(), e.getMessage());
            assertEquals("WRITE", report.getMember("access").asString(), e.getMessage());
            assertEquals(8, report.getMember("line").asInt(), e.getMessage());
            assertShaded(buffer, HEIGHT);

            // The plugin goes on working after the fault.
            ByteBuffer after = ByteBuffer.allocate(BYTES);
            assertEquals(0, plugin.invokeMember("shade", after, WIDTH, HEIGHT).asInt());
            assertShaded(after, HEIGHT);
        }
    }

    /** A loop over a host buffer whose length the host passes, so that a longer count faults. */
    private static final String ACCUMULATE = """
                    #include <kernel.h>
                    int accumulate(uint8_t *buf, int n) {
                        int sum = 0;
                        for (int i = 0; i < n; i++) {
                            buf[i] = (uint8_t)(buf[i] + i);
                            sum += buf[i];
                        }
                        return sum;
                    }
                    """;

    /**
     * Faults at the same access, call after call, must not end compilation of the function. The
     * compiled tier throws when a compilation fails, and Graal fails a compilation whose
     * deoptimization was taken again after each earlier fault.
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void repeatedFaultsKeepCompiling(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("accumulate.kpc", ACCUMULATE);
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            for (int round = 0; round < 25; round++) {
                for (int call = 0; call < 20; call++) {
                    plugin.invokeMember("accumulate", buffer, 4096);
                }
                PolyglotException e = assertThrows(PolyglotException.class,
                                () -> plugin.invokeMember("accumulate", buffer, 5000));
                assertEquals("PAGE_NOT_PRESENT", e.getGuestObject().getMember("kind").asString(), e.getMessage());
                assertEquals(5, e.getGuestObject().getMember("line").asInt(), e.getMessage());
            }
            ByteBuffer fresh = ByteBuffer.allocate(4096);
            int expected = 0;
            for (int i = 0; i < 4096; i++) {
                expected += i & 0xFF;
            }
            assertEquals(expected, plugin.invokeMember("accumulate", fresh, 4096).asInt());
        }
    }

    /**
     * A loop that calls a function with a large frame, at the bottom of a recursion. At the right
     * depth the recursion itself fits and the call in the loop overflows the plugin stack.
     */
    private static final String DESCEND = """
                    #include <kernel.h>
                    static int padded(uint32_t v) {
                        volatile uint8_t pad[512];
                        pad[v & 511] = (uint8_t)v;
                        return pad[v & 511] + 1;
                    }
                    int descend(uint8_t *out, uint32_t n, uint32_t depth) {
                        if (depth > 0)
                            return descend(out, n, depth - 1);
                        for (uint32_t i = 0; i < n; i++) {
                            out[i] = 7;
                            out[i] = (uint8_t)padded(i);
                        }
                        return 0;
                    }
                    """;

    /**
     * Compiled code checks the stack for a call in a loop once, before the loop. The overflow must
     * still come after the iteration's store and name the call's line. It must also come again on
     * each later call without ending compilation of the function.
     */
    @ParameterizedTest
    @EnumSource(Tier.class)
    void loopCallOverflowKeepsStores(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("descend.kpc", DESCEND);
            ByteBuffer warm = ByteBuffer.allocate(64);
            for (int call = 0; call < 50; call++) {
                assertEquals(0, plugin.invokeMember("descend", warm, 64, 3).asInt());
            }
            assertEquals(2, warm.get(1), "padded(1)");

            // The first depth that overflows: the recursion fits, because padded() needs more stack.
            int depth = 0;
            PolyglotException overflow = null;
            while (overflow == null) {
                try {
                    plugin.invokeMember("descend", ByteBuffer.allocate(4), 4, ++depth);
                } catch (PolyglotException e) {
                    overflow = e;
                }
            }
            assertEquals("STACK_OVERFLOW", overflow.getGuestObject().getMember("kind").asString(), overflow.getMessage());
            assertEquals(12, overflow.getGuestObject().getMember("line").asInt(), overflow.getMessage());

            for (int round = 0; round < 20; round++) {
                ByteBuffer buffer = ByteBuffer.allocate(4);
                int at = depth;
                PolyglotException e = assertThrows(PolyglotException.class,
                                () -> plugin.invokeMember("descend", buffer, 4, at));
                assertEquals("STACK_OVERFLOW", e.getGuestObject().getMember("kind").asString(), e.getMessage());
                assertEquals(12, e.getGuestObject().getMember("line").asInt(), e.getMessage());
                assertEquals(7, buffer.get(0), "the store before the call");
                assertEquals(0, buffer.get(1), "the next iteration did not run");
                assertEquals(0, plugin.invokeMember("descend", warm, 64, 3).asInt());
            }
        }
    }
}
