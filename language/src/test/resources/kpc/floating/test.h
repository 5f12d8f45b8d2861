/*
 * Check helpers shared by the tests in this folder.
 *
 * ASSERT(expected, expr) prints "expr => value" and, when the value differs
 * from expected, also prints a FAIL line and counts the failure. Both sides
 * are compared as long long. ASSERT_U compares as unsigned long long.
 * ASSERT_FLOAT(expected_bits, expr) and ASSERT_DOUBLE(expected_bits, expr)
 * compare the IEEE 754 bit pattern of a float or double expression. They
 * tell -0.0 from 0.0 and check which NaN a result is. They print the value
 * with %a and with %.9g or %.17g, each of which identifies it exactly.
 * main returns TEST_STATUS(), which is 1 after any failed check and 0 otherwise.
 *
 * The KPC preprocessor searches only the including file's folder for
 * #include "...", so every test folder has its own copy of this file.
 */
#ifndef KPC_TEST_H
#define KPC_TEST_H

#include <kernel.h>

static int failed_checks = 0;

static void check(long long expected, long long actual, const char *code) {
    printk("%s => %lld\n", code, actual);
    if (actual != expected) {
        printk("FAIL: %s: expected %lld\n", code, expected);
        failed_checks++;
    }
}

static void check_unsigned(unsigned long long expected, unsigned long long actual, const char *code) {
    printk("%s => %llu\n", code, actual);
    if (actual != expected) {
        printk("FAIL: %s: expected %llu\n", code, expected);
        failed_checks++;
    }
}

static unsigned int float_bits(float value) {
    return *(unsigned int *) &value;
}

static unsigned long long double_bits(double value) {
    return *(unsigned long long *) &value;
}

static void check_float(unsigned int expected, float actual, const char *code) {
    unsigned int bits = float_bits(actual);
    printk("%s => %a %.9g 0x%08x\n", code, actual, actual, bits);
    if (bits != expected) {
        printk("FAIL: %s: expected bits 0x%08x\n", code, expected);
        failed_checks++;
    }
}

static void check_double(unsigned long long expected, double actual, const char *code) {
    unsigned long long bits = double_bits(actual);
    printk("%s => %a %.17g 0x%016llx\n", code, actual, actual, bits);
    if (bits != expected) {
        printk("FAIL: %s: expected bits 0x%016llx\n", code, expected);
        failed_checks++;
    }
}

#define ASSERT(expected, expr) check(expected, expr, #expr)
#define ASSERT_U(expected, expr) check_unsigned(expected, expr, #expr)
#define ASSERT_FLOAT(expected_bits, expr) check_float(expected_bits, expr, #expr)
#define ASSERT_DOUBLE(expected_bits, expr) check_double(expected_bits, expr, #expr)
#define TEST_STATUS() (failed_checks != 0)

#endif
