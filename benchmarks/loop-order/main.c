// SPDX-License-Identifier: Apache-2.0
/*
 * Times each row function of rows.S over a side x side image, row by row as the grayscale
 * plugin's outer loop calls its inner loop, and prints the best time of 400 images for each.
 * Every variant must write the same bytes as the first.
 *
 *   usage: loop-order [side]   (default 512)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void row_function(uint8_t *base, uint32_t src, uint32_t dst, uint32_t pixels);
row_function source_order, scheduled, three_multiplies, gcc_o2, jit_before, jit_folded, jit_reduced, jit_now;

static const struct {
    const char *name;
    row_function *row;
} variants[] = {
    {"source_order", source_order},
    {"scheduled", scheduled},
    {"three_multiplies", three_multiplies},
    {"gcc_o2", gcc_o2},
    {"jit_before", jit_before},
    {"jit_folded", jit_folded},
    {"jit_reduced", jit_reduced},
    {"jit_now", jit_now},
};

enum { VARIANTS = sizeof variants / sizeof variants[0], IMAGES = 400, ROUNDS = 3 };

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
    uint32_t side = argc > 1 ? (uint32_t)atoi(argv[1]) : 512;
    if (side == 0 || side > 16384) {
        fprintf(stderr, "invalid side %s: expected 1 to 16384\n", argv[1]);
        return 2;
    }
    size_t bytes = (size_t)side * side * 3;
    /* The source and the output lie one page apart above the first page, as plugin buffers do. */
    uint32_t src = 4096;
    uint32_t dst = (uint32_t)(src + bytes + 4096);
    uint8_t *base = calloc(1, dst + bytes);
    uint8_t *expected = malloc(bytes);
    if (base == NULL || expected == NULL) {
        fprintf(stderr, "out of memory for a %ux%u image\n", side, side);
        return 1;
    }
    for (size_t i = 0; i < bytes; i++) {
        base[src + i] = (uint8_t)(i * 7 + i / 3);
    }

    int status = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int v = 0; v < VARIANTS; v++) {
            double best = 1e300;
            for (int image = 0; image < IMAGES; image++) {
                double start = now_us();
                for (uint32_t y = 0; y < side; y++) {
                    variants[v].row(base, src + y * side * 3, dst + y * side * 3, side);
                }
                double elapsed = now_us() - start;
                best = elapsed < best ? elapsed : best;
            }
            if (round == 0 && v == 0) {
                memcpy(expected, base + dst, bytes);
            } else if (memcmp(expected, base + dst, bytes) != 0) {
                fprintf(stderr, "%s wrote other bytes than %s\n", variants[v].name, variants[0].name);
                status = 1;
            }
            printf("round %d  %-16s %9.1f us\n", round + 1, variants[v].name, best);
            memset(base + dst, 0, bytes);
        }
    }
    return status;
}
