// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The processor this test runs on, as the reference for the emulated CPU: machine code copied
 * into an executable mapping and called through a downcall as the C function
 * {@code void routine(long block)}. Needs x86-64 Linux, whose {@code mmap} and {@code mprotect}
 * constants it uses.
 *
 * <p>The mapping is never unmapped: each test class makes one, and the JVM ends soon after.
 */
final class HostProcessor {

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final long PAGE_SIZE = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().find("mmap").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MPROTECT = LINKER.downcallHandle(LINKER.defaultLookup().find("mprotect").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    /** Calls the address in its first argument with the block address in RDI. */
    private static final MethodHandle ROUTINE = LINKER.downcallHandle(FunctionDescriptor.ofVoid(JAVA_LONG));

    private final long base;

    /** Copies {@code code} into a new mapping that is readable and executable but not writable. */
    HostProcessor(byte[] code) {
        if (!"amd64".equals(System.getProperty("os.arch")) || !System.getProperty("os.name").startsWith("Linux")) {
            throw new IllegalStateException("the differential tests run machine code on the host processor and need x86-64 Linux, not "
                            + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        long bytes = (code.length + PAGE_SIZE - 1) & -PAGE_SIZE;
        try {
            long address = (long) MMAP.invokeExact(0L, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
            if (address == -1) {
                throw new IllegalStateException("mmap of " + bytes + " bytes for the test routines failed");
            }
            MemorySegment.copy(code, 0, MemorySegment.ofAddress(address).reinterpret(bytes), JAVA_BYTE, 0, code.length);
            int result = (int) MPROTECT.invokeExact(address, bytes, PROT_READ | PROT_EXEC);
            if (result != 0) {
                throw new IllegalStateException("mprotect of the test routines to read and execute failed");
            }
            this.base = address;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("mapping the test routines failed: " + e, e);
        }
    }

    /** Runs the routine at code offset {@code offset} with {@code block} in RDI. */
    void call(int offset, long block) {
        try {
            ROUTINE.invokeExact(MemorySegment.ofAddress(base + offset), block);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling the test routine at offset 0x" + Integer.toHexString(offset) + " failed: " + e,
                            e);
        }
    }
}
