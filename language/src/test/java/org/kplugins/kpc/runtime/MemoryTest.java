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

/** Structs, arrays, globals, recursion, the heap, and host buffers mapped into a plugin. */
class MemoryTest {

    private static final String STRUCTS = """
            struct point { int x; int y; };
            struct shape { char tag; struct point corner[2]; long long area; };
            static const int primes[5] = {2, 3, 5, 7, 11};
            int counter = 40;
            int *counter_address = &counter;
            const char *greeting = "hi" + 1;

            static long long area(const struct shape *s) {
                return (long long) (s->corner[1].x - s->corner[0].x) * (s->corner[1].y - s->corner[0].y);
            }

            long long shapes(void) {
                struct shape a = {'r', {{1, 2}, {4, 6}}, 0};
                struct shape b;
                b = a;
                b.corner[1].x = 11;
                b.area = area(&b);
                a.area = area(&a);
                return a.area * 1000 + b.area;
            }

            int arrays(void) {
                int squares[8];
                for (int i = 0; i < 8; i++)
                    squares[i] = i * i;
                int sum = 0;
                int *p = squares;
                while (p < squares + 8)
                    sum += *p++;
                return sum + primes[4] + sizeof(struct shape);
            }

            int globals(void) {
                *counter_address += 2;
                return counter * 1000 + greeting[0];
            }

            int fibonacci(int n) { return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2); }
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void structsArraysAndGlobals(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("structs.kpc", STRUCTS);
            assertEquals(12_040L, p.invokeMember("shapes").asLong());
            assertEquals(140 + 11 + 32, p.invokeMember("arrays").asInt());
            assertEquals(42_105, p.invokeMember("globals").asInt());
            assertEquals(44_105, p.invokeMember("globals").asInt(), "globals keep their values between calls");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void recursion(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("fib.kpc", STRUCTS);
            assertEquals(6765, p.invokeMember("fibonacci", 20).asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void allocAndFree(Tier tier) {
        try (Run run = KpcTestSupport.open(tier, java.util.Map.of("kpc.HeapSize", "65536"))) {
            Value p = run.eval("heap.kpc", """
                    #include <kernel.h>
                    int blocks(int n) {
                        int **table = kp_alloc(n * sizeof(int *));
                        for (int i = 0; i < n; i++) {
                            table[i] = kp_alloc(sizeof(int));
                            *table[i] = i;
                        }
                        int sum = 0;
                        for (int i = 0; i < n; i++) {
                            sum += *table[i];
                            kp_free(table[i]);
                        }
                        kp_free(table);
                        kp_free(NULL);
                        return sum;
                    }
                    int aligned(void) { char *a = kp_alloc(3); char *b = kp_alloc(5); int r = ((int) a | (int) b) & 7; kp_free(a); kp_free(b); return r; }
                    int exhausted(void) { return kp_alloc(65536 + 8) == NULL; }
                    int double_free(void) { void *p = kp_alloc(8); kp_free(p); kp_free(p); return 0; }
                    """);
            assertEquals(4950, p.invokeMember("blocks", 100).asInt());
            assertEquals(4950, p.invokeMember("blocks", 100).asInt(), "freed blocks are reused");
            assertEquals(0, p.invokeMember("aligned").asInt());
            assertEquals(1, p.invokeMember("exhausted").asInt());
            PolyglotException fault = assertThrows(PolyglotException.class, () -> p.invokeMember("double_free"));
            assertEquals("GENERAL_PROTECTION", fault.getGuestObject().getMember("kind").asString());
        }
    }

    private static final String GRAYSCALE = """
            #include <kernel.h>
            int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height) {
                for (uint32_t i = 0; i < width * height; i++) {
                    const uint8_t *p = in + 3 * i;
                    uint8_t y = (uint8_t) ((77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8);
                    out[3 * i] = y;
                    out[3 * i + 1] = y;
                    out[3 * i + 2] = y;
                }
                return 0;
            }
            int scribble(uint8_t *in) { in[0] = 1; return 0; }
            int write_const(const uint8_t *in) { *(uint8_t *) in = 1; return 0; }
            int sum(const int *values, int count) { int s = 0; for (int i = 0; i < count; i++) s += values[i]; return s; }
            void negate(int *values, int count) { for (int i = 0; i < count; i++) values[i] = -values[i]; }
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void grayscaleOfHostBuffers(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("grayscale.kpc", GRAYSCALE);
            int width = 7;
            int height = 5;
            byte[] rgb = new byte[width * height * 3];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (byte) (i * 37 + 11);
            }
            ByteBuffer in = ByteBuffer.wrap(rgb.clone());
            ByteBuffer out = ByteBuffer.allocateDirect(rgb.length);
            assertEquals(0, p.invokeMember("transcode", in, out, width, height).asInt());
            for (int i = 0; i < rgb.length; i += 3) {
                int y = (77 * (rgb[i] & 0xFF) + 150 * (rgb[i + 1] & 0xFF) + 29 * (rgb[i + 2] & 0xFF) + 128) >> 8;
                for (int c = 0; c < 3; c++) {
                    assertEquals((byte) y, out.get(i + c), "byte " + (i + c));
                }
            }
            assertEquals(ByteBuffer.wrap(rgb), in.rewind(), "the read-only input is unchanged");

            byte[] array = new byte[4];
            p.invokeMember("scribble", array);
            assertEquals(1, array[0], "a byte[] for a non-const pointer is copied back");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void constBufferIsReadOnly(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("readonly.kpc", GRAYSCALE);
            ByteBuffer in = ByteBuffer.allocate(16);
            PolyglotException fault = assertThrows(PolyglotException.class, () -> p.invokeMember("write_const", in));
            assertEquals("PAGE_NOT_WRITABLE", fault.getGuestObject().getMember("kind").asString());
            assertEquals(0, in.get(0));
            ByteBuffer readOnly = ByteBuffer.allocate(16).asReadOnlyBuffer();
            fault = assertThrows(PolyglotException.class, () -> p.invokeMember("scribble", readOnly));
            assertEquals("PAGE_NOT_WRITABLE", fault.getGuestObject().getMember("kind").asString(),
                            "a read-only host buffer is mapped read-only even for a non-const pointer");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void numberArraysAsIntPointers(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value p = run.eval("ints.kpc", GRAYSCALE);
            int[] values = {1, -2, 30, 400};
            assertEquals(429, p.invokeMember("sum", values, 4).asInt());
            p.invokeMember("negate", values, 4);
            assertEquals(-1, values[0]);
            assertEquals(2, values[1]);
            assertEquals(-400, values[3]);
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void sharedHelperAcrossRegions(Tier tier) {
        // The helpers' load and store nodes see the stack, static data, the heap and a host
        // buffer in turn, so they move between access windows until they stop speculating, and
        // must give the same results and faults throughout.
        try (Run run = KpcTestSupport.open(tier, java.util.Map.of("kpc.HeapSize", "65536"))) {
            Value p = run.eval("regions.kpc", """
                    #include <kernel.h>
                    static const uint8_t table[4] = {1, 2, 3, 4};
                    uint8_t data[4];
                    static int sum(const uint8_t *p, int n) { int s = 0; for (int i = 0; i < n; i++) s += p[i]; return s; }
                    static void fill(uint8_t *p, int n, int v) { for (int i = 0; i < n; i++) p[i] = v + i; }
                    int regions(uint8_t *host) {
                        uint8_t local[4];
                        uint8_t *heap = kp_alloc(4);
                        int total = 0;
                        for (int round = 0; round < 50; round++) {
                            fill(local, 4, 1); fill(data, 4, 10); fill(heap, 4, 20); fill(host, 4, 30);
                            total += sum(local, 4) + sum(data, 4) + sum(heap, 4) + sum(host, 4) + sum(table, 4);
                        }
                        kp_free(heap);
                        return total;
                    }
                    int write_table(void) { fill((uint8_t *) table, 4, 0); return 0; }
                    int read_null(void) { return sum(NULL, 1); }
                    """);
            ByteBuffer host = ByteBuffer.allocate(4);
            int perRound = 10 + 46 + 86 + 126 + 10;
            for (int call = 0; call < 3; call++) {
                assertEquals(50 * perRound, p.invokeMember("regions", host).asInt(), "call " + call);
            }
            assertEquals(33, host.get(3));

            PolyglotException write = assertThrows(PolyglotException.class, () -> p.invokeMember("write_table"));
            assertEquals("PAGE_NOT_WRITABLE", write.getGuestObject().getMember("kind").asString());
            PolyglotException read = assertThrows(PolyglotException.class, () -> p.invokeMember("read_null"));
            assertEquals("PAGE_NOT_PRESENT", read.getGuestObject().getMember("kind").asString());
            assertEquals(0L, read.getGuestObject().getMember("address").asLong());
        }
    }
}
