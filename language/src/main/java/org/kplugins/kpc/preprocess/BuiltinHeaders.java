// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.kplugins.kpc.diagnostics.SourceFile;

/**
 * The headers a plugin includes with {@code #include <name>}, and the predefined macros.
 *
 * <p>KPC uses the ILP32 data model: int, long and pointers are 32 bits, long long is 64 bits,
 * char is signed, and float and double are IEEE 754 binary32 and binary64. The headers are written for that model. Each has an include guard, and
 * {@code size_t} has a guard of its own so that a later header may also declare it.
 */
public final class BuiltinHeaders {

    /** The predefined macros, read before the main file. */
    static final SourceFile PREDEFINED = new SourceFile("<built-in>", """
            #define __KPC__ 1
            #define __ILP32__ 1
            #define __STDC__ 1
            """, null);

    private static final String STDINT = """
            #ifndef __KPC_STDINT_H
            #define __KPC_STDINT_H

            typedef signed char int8_t;
            typedef unsigned char uint8_t;
            typedef short int16_t;
            typedef unsigned short uint16_t;
            typedef int int32_t;
            typedef unsigned int uint32_t;
            typedef long long int64_t;
            typedef unsigned long long uint64_t;
            typedef int intptr_t;
            typedef unsigned int uintptr_t;
            typedef long long intmax_t;
            typedef unsigned long long uintmax_t;

            #define INT8_MIN (-127 - 1)
            #define INT8_MAX 127
            #define UINT8_MAX 255
            #define INT16_MIN (-32767 - 1)
            #define INT16_MAX 32767
            #define UINT16_MAX 65535
            #define INT32_MIN (-INT32_MAX - 1)
            #define INT32_MAX 2147483647
            #define UINT32_MAX 4294967295U
            #define INT64_MIN (-INT64_MAX - 1)
            #define INT64_MAX 9223372036854775807LL
            #define UINT64_MAX 18446744073709551615ULL

            #define INTPTR_MIN (-INTPTR_MAX - 1)
            #define INTPTR_MAX 2147483647
            #define UINTPTR_MAX 4294967295U
            #define INTMAX_MIN (-INTMAX_MAX - 1)
            #define INTMAX_MAX 9223372036854775807LL
            #define UINTMAX_MAX 18446744073709551615ULL
            #define PTRDIFF_MIN (-PTRDIFF_MAX - 1)
            #define PTRDIFF_MAX 2147483647
            #define SIZE_MAX 4294967295U

            #define INT8_C(c) c
            #define UINT8_C(c) c
            #define INT16_C(c) c
            #define UINT16_C(c) c
            #define INT32_C(c) c
            #define UINT32_C(c) c ## U
            #define INT64_C(c) c ## LL
            #define UINT64_C(c) c ## ULL
            #define INTMAX_C(c) c ## LL
            #define UINTMAX_C(c) c ## ULL

            #endif
            """;

    private static final String STDDEF = """
            #ifndef __KPC_STDDEF_H
            #define __KPC_STDDEF_H

            #ifndef __KPC_SIZE_T
            #define __KPC_SIZE_T
            typedef unsigned int size_t;
            #endif
            typedef int ptrdiff_t;

            #define NULL ((void *)0)
            #define offsetof(type, member) ((size_t)&((type *)0)->member)

            #endif
            """;

    private static final String STDBOOL = """
            #ifndef __KPC_STDBOOL_H
            #define __KPC_STDBOOL_H

            #define bool _Bool
            #define true 1
            #define false 0
            #define __bool_true_false_are_defined 1

            #endif
            """;

    private static final String LIMITS = """
            #ifndef __KPC_LIMITS_H
            #define __KPC_LIMITS_H

            #define CHAR_BIT 8
            #define SCHAR_MIN (-128)
            #define SCHAR_MAX 127
            #define UCHAR_MAX 255
            #define CHAR_MIN SCHAR_MIN
            #define CHAR_MAX SCHAR_MAX
            #define SHRT_MIN (-32768)
            #define SHRT_MAX 32767
            #define USHRT_MAX 65535
            #define INT_MIN (-INT_MAX - 1)
            #define INT_MAX 2147483647
            #define UINT_MAX 4294967295U
            #define LONG_MIN (-LONG_MAX - 1L)
            #define LONG_MAX 2147483647L
            #define ULONG_MAX 4294967295UL
            #define LLONG_MIN (-LLONG_MAX - 1LL)
            #define LLONG_MAX 9223372036854775807LL
            #define ULLONG_MAX 18446744073709551615ULL

            #endif
            """;

    /**
     * The characteristics of float (IEEE 754 binary32) and double (binary64), with the values of
     * gcc 12's {@code <float.h>}. KPC has no long double, so there are no LDBL_ macros, and
     * DECIMAL_DIG is that of double.
     */
    private static final String FLOAT = """
            #ifndef __KPC_FLOAT_H
            #define __KPC_FLOAT_H

            #define FLT_RADIX 2
            #define FLT_ROUNDS 1
            #define FLT_EVAL_METHOD 0
            #define DECIMAL_DIG 17

            #define FLT_MANT_DIG 24
            #define FLT_DIG 6
            #define FLT_DECIMAL_DIG 9
            #define FLT_MIN_EXP (-125)
            #define FLT_MIN_10_EXP (-37)
            #define FLT_MAX_EXP 128
            #define FLT_MAX_10_EXP 38
            #define FLT_MAX 0x1.fffffep+127F
            #define FLT_EPSILON 0x1p-23F
            #define FLT_MIN 0x1p-126F
            #define FLT_TRUE_MIN 0x1p-149F
            #define FLT_HAS_SUBNORM 1

            #define DBL_MANT_DIG 53
            #define DBL_DIG 15
            #define DBL_DECIMAL_DIG 17
            #define DBL_MIN_EXP (-1021)
            #define DBL_MIN_10_EXP (-307)
            #define DBL_MAX_EXP 1024
            #define DBL_MAX_10_EXP 308
            #define DBL_MAX 0x1.fffffffffffffp+1023
            #define DBL_EPSILON 0x1p-52
            #define DBL_MIN 0x1p-1022
            #define DBL_TRUE_MIN 0x1p-1074
            #define DBL_HAS_SUBNORM 1

            #endif
            """;

    /**
     * {@code va_list} is {@code char *}, as on i386: it points into the arguments that the caller
     * of a variadic function left on the plugin stack. {@code <kernel.h>} declares it too, for
     * {@code vprintk}, with the same guard. {@code va_start} takes one or two
     * arguments, because C23 made the second one optional.
     */
    private static final String STDARG = """
            #ifndef __KPC_STDARG_H
            #define __KPC_STDARG_H

            #ifndef __KPC_VA_LIST
            #define __KPC_VA_LIST
            typedef char *va_list;
            #endif

            #define va_start(...) __builtin_va_start(__VA_ARGS__)
            #define va_arg(ap, type) __builtin_va_arg(ap, type)
            #define va_end(ap) __builtin_va_end(ap)
            #define va_copy(dest, src) __builtin_va_copy(dest, src)

            #endif
            """;

    private static final String KERNEL = """
            #ifndef __KPC_KERNEL_H
            #define __KPC_KERNEL_H

            #include <stdint.h>
            #include <stddef.h>

            #ifndef __KPC_VA_LIST
            #define __KPC_VA_LIST
            typedef char *va_list;
            #endif

            int printk(const char *fmt, ...);
            int vprintk(const char *fmt, va_list ap);
            void *kp_alloc(size_t size);
            void kp_free(void *ptr);
            %s
            #endif
            """;

    private static final Map<String, SourceFile> HEADERS = new LinkedHashMap<>();

    static {
        add("kernel.h", kernelHeader(""));
        add("stdint.h", STDINT);
        add("stddef.h", STDDEF);
        add("stdbool.h", STDBOOL);
        add("limits.h", LIMITS);
        add("float.h", FLOAT);
        add("stdarg.h", STDARG);
    }

    private BuiltinHeaders() {
    }

    private static void add(String name, String text) {
        HEADERS.put(name, new SourceFile("<" + name + ">", text, null));
    }

    /**
     * Returns the text of {@code <kernel.h>}: the built-in exports, then {@code hostDeclarations},
     * which declare what the host's symbol table exports.
     */
    public static String kernelHeader(String hostDeclarations) {
        String section = hostDeclarations.isEmpty() ? "" : "\n" + hostDeclarations;
        return KERNEL.formatted(section);
    }

    /**
     * Returns a header lookup for {@link Preprocessor} that gives the built-in headers, with
     * {@code <kernel.h>} extended by {@code hostDeclarations}.
     */
    public static Function<String, SourceFile> withKernelDeclarations(String hostDeclarations) {
        if (hostDeclarations.isEmpty()) {
            return BuiltinHeaders::find;
        }
        SourceFile kernel = new SourceFile("<kernel.h>", kernelHeader(hostDeclarations), null);
        return name -> name.equals("kernel.h") ? kernel : find(name);
    }

    /** Returns the built-in header {@code name} (for example {@code "kernel.h"}), or null if there is none. */
    public static SourceFile find(String name) {
        return HEADERS.get(name);
    }

    /** Returns the list shown when a plugin includes an unknown header: {@code <kernel.h>, <stdint.h>, ...}. */
    static String names() {
        return String.join(", ", HEADERS.values().stream().map(SourceFile::name).toList());
    }
}
