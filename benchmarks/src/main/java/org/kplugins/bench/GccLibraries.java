// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Downcall handles into the shared libraries that benchmarks/run builds with gcc. The handles are
 * static final so that the JIT treats them as constants, as a host that binds a native library
 * once would. The class loads the libraries when it is first used; call
 * {@link Artifacts#path} first for a clear error when they are missing.
 */
final class GccLibraries {

    /** {@code int inc(int x)} from {@code inc.c} by gcc -O2. */
    static final MethodHandle INC = downcall(Artifacts.INC_SHARED_LIBRARY, "inc", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private static final FunctionDescriptor TRANSCODE = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT);

    /** {@code int transcode(const uint8_t *in, uint8_t *out, uint32_t width, uint32_t height)} by gcc -O2. */
    static final MethodHandle TRANSCODE_O2 = downcall(Artifacts.GRAYSCALE_GCC_O2, "transcode", TRANSCODE);

    /** The same function by gcc -O3 -march=native. */
    static final MethodHandle TRANSCODE_O3_NATIVE = downcall(Artifacts.GRAYSCALE_GCC_O3_NATIVE, "transcode", TRANSCODE);

    private GccLibraries() {
    }

    private static MethodHandle downcall(String library, String symbol, FunctionDescriptor descriptor) {
        SymbolLookup lookup = SymbolLookup.libraryLookup(Artifacts.path(library), Arena.global());
        MemorySegment address = lookup.find(symbol).orElseThrow(
                        () -> new IllegalStateException(library + " defines no symbol '" + symbol + "': rebuild it with benchmarks/run"));
        return Linker.nativeLinker().downcallHandle(address, descriptor);
    }
}
