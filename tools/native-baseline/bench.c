/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Times a plugin's transcode() on a synthetic RGB image, for comparison with the KPC tiers.
 * Usage: bench WIDTH HEIGHT CALLS. Prints the best and median call time and the input
 * throughput in MB/s (10^6 bytes of RGB input per second).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height);

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s WIDTH HEIGHT CALLS\n", argv[0]);
        return 2;
    }
    uint32_t width = (uint32_t)atoi(argv[1]);
    uint32_t height = (uint32_t)atoi(argv[2]);
    int calls = atoi(argv[3]);
    size_t bytes = (size_t)width * height * 3;
    uint8_t *in = malloc(bytes);
    uint8_t *out = malloc(bytes);
    double *times = malloc(sizeof(double) * calls);
    uint32_t seed = 12345;
    for (size_t i = 0; i < bytes; i++) {
        seed = seed * 1103515245u + 12345u;
        in[i] = (uint8_t)(seed >> 16);
    }
    for (int i = 0; i < calls; i++) {
        double start = now_seconds();
        if (transcode(in, out, width, height) != 0) {
            fprintf(stderr, "transcode returned an error\n");
            return 1;
        }
        times[i] = now_seconds() - start;
    }
    qsort(times, calls, sizeof(double), compare_doubles);
    unsigned checksum = 0;
    for (size_t i = 0; i < bytes; i++) {
        checksum = checksum * 31 + out[i];
    }
    printf("%ux%u best %.3f ms, median %.3f ms, %.0f MB/s (best), checksum %08x\n", width, height,
           times[0] * 1e3, times[calls / 2] * 1e3, bytes / times[0] / 1e6, checksum);
    return 0;
}
