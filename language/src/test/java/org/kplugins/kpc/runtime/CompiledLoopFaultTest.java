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
}
