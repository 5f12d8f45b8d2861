// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files that benchmarks/run builds before it starts JMH, in the folder named by the system
 * property {@value #PROPERTY}: the grayscale plugin source that every subject compiles, and the
 * peers' binaries built from it and from {@code src/main/c/inc.c} with clang and gcc.
 */
final class Artifacts {

    /** System property naming the folder; benchmarks/run sets it to {@code benchmarks/target/native}. */
    static final String PROPERTY = "kpc.bench.artifacts";

    /** A copy of {@code examples/grayscale.kpc}. */
    static final String GRAYSCALE_KPC = "grayscale.kpc";
    /** {@code inc.c} for wasm32 by clang -O2. */
    static final String INC_WASM = "inc.wasm";
    /** The grayscale plugin for wasm32 by clang -O2, with the default (small) linear memory. */
    static final String GRAYSCALE_WASM = "grayscale.wasm";
    /** The same module with 64 MiB of linear memory, room for a 2048x2048 input and output. */
    static final String GRAYSCALE_WASM_64M = "grayscale-64m.wasm";
    /** {@code inc.c} as x86-64 LLVM bitcode by clang -O2, for Sulong. */
    static final String INC_BITCODE = "inc.bc";
    /** The grayscale plugin as x86-64 LLVM bitcode by clang -O2, for Sulong. */
    static final String GRAYSCALE_BITCODE = "grayscale.bc";
    /** {@code inc.c} as a shared library by gcc -O2. */
    static final String INC_SHARED_LIBRARY = "libinc.so";
    /** The grayscale plugin as a shared library by gcc -O2. */
    static final String GRAYSCALE_GCC_O2 = "libgrayscale-o2.so";
    /** The grayscale plugin as a shared library by gcc -O3 -march=native. */
    static final String GRAYSCALE_GCC_O3_NATIVE = "libgrayscale-o3-native.so";

    private Artifacts() {
    }

    /**
     * Returns the path of artifact {@code name}.
     *
     * @throws IllegalStateException if the property is unset or the file is missing
     */
    static Path path(String name) {
        String folder = System.getProperty(PROPERTY);
        if (folder == null || folder.isEmpty()) {
            throw new IllegalStateException("system property " + PROPERTY + " is not set: run the suites with"
                            + " benchmarks/run, which builds the peers' binaries and sets it");
        }
        Path file = Path.of(folder, name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("benchmark artifact " + file + " not found: run benchmarks/run, which builds it"
                            + " with clang and gcc");
        }
        return file;
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark artifact " + name, e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark artifact " + name, e);
        }
    }
}
