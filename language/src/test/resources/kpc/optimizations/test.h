/*
 * Check helpers shared by the tests in this folder.
 *
 * ASSERT(expected, expr) prints "expr => value" and, when the value differs
 * from expected, also prints a FAIL line and counts the failure. Both sides
 * are compared as long long, so an unsigned int value stays positive.
 * ASSERT_U compares as unsigned long long, for values above LLONG_MAX.
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

#define ASSERT(expected, expr) check(expected, expr, #expr)
#define ASSERT_U(expected, expr) check_unsigned(expected, expr, #expr)
#define TEST_STATUS() (failed_checks != 0)

#endif
