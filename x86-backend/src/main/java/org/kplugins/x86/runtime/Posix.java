// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The Linux system calls the native tier needs: anonymous memory mappings for plugin memory and
 * code, their protection, and the bounds of the current thread's stack. Constants are those of
 * Linux on x86-64.
 */
final class Posix {

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    /** madvise advice that frees the pages of a private anonymous mapping, which read as zero afterwards. */
    private static final int MADV_DONTNEED = 4;
    private static final long MAP_FAILED = -1;
    private static final long PAGE_SIZE = 4096;
    /** Bytes of a glibc pthread_attr_t on x86-64 (56), rounded up. */
    private static final long PTHREAD_ATTR_BYTES = 64;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle MMAP = function("mmap",
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), true);
    private static final MethodHandle MPROTECT = function("mprotect",
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), true);
    private static final MethodHandle MUNMAP = function("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), false);
    private static final MethodHandle MADVISE = function("madvise",
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), true);
    private static final MethodHandle PTHREAD_SELF = function("pthread_self", FunctionDescriptor.of(JAVA_LONG), false);
    private static final MethodHandle PTHREAD_GETATTR_NP = function("pthread_getattr_np",
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS), false);
    private static final MethodHandle PTHREAD_ATTR_GETSTACK = function("pthread_attr_getstack",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), false);
    private static final MethodHandle PTHREAD_ATTR_DESTROY = function("pthread_attr_destroy",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS), false);

    private Posix() {
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor, boolean captureErrno) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException(
                        "the C library has no function '" + name + "', which the native tier needs"));
        return captureErrno ? LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"))
                        : LINKER.downcallHandle(symbol, descriptor);
    }

    /**
     * Reserves {@code size} bytes of zeroed, readable and writable memory without committing it:
     * the kernel provides a page when it is first touched. The mapping is released when the
     * returned segment becomes unreachable.
     */
    static MemorySegment reserve(long size, String purpose) {
        long bytes = pageAligned(size);
        long address = map(bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, purpose);
        return MemorySegment.ofAddress(address).reinterpret(bytes, Arena.ofAuto(), segment -> unmap(segment.address(), bytes));
    }

    /**
     * Gives the pages of {@code range}, a page-aligned slice of memory from {@link #reserve}, back
     * to the operating system: they read as zero and take no memory until they are touched again.
     */
    static void discard(MemorySegment range) {
        long length = pageAligned(range.byteSize());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) MADVISE.invokeExact(state, range.address(), length, MADV_DONTNEED);
            if (result != 0) {
                throw new IllegalStateException("madvise(MADV_DONTNEED) of " + length + " bytes at 0x"
                                + Long.toHexString(range.address()) + " failed with errno " + (int) ERRNO.get(state, 0L));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("madvise failed: " + e, e);
        }
    }

    /**
     * Copies {@code code} into new memory that is readable and executable but not writable. The
     * mapping is released when the returned segment becomes unreachable.
     */
    static MemorySegment installCode(byte[] code) {
        long bytes = pageAligned(Math.max(code.length, 1));
        long address = map(bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, "machine code");
        MemorySegment writable = MemorySegment.ofAddress(address).reinterpret(bytes);
        MemorySegment.copy(code, 0, writable, JAVA_BYTE, 0, code.length);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int result = (int) MPROTECT.invokeExact(state, address, bytes, PROT_READ | PROT_EXEC);
            if (result != 0) {
                unmap(address, bytes);
                throw new IllegalStateException("mprotect of " + bytes + " bytes of machine code failed with errno "
                                + (int) ERRNO.get(state, 0L));
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("mprotect failed: " + e, e);
        }
        return MemorySegment.ofAddress(address).reinterpret(bytes, Arena.ofAuto(), segment -> unmap(segment.address(), bytes));
    }

    /** Returns the lowest address of the current thread's stack, from glibc's pthread_getattr_np. */
    static long threadStackLow() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attributes = arena.allocate(PTHREAD_ATTR_BYTES, 16);
            long self = (long) PTHREAD_SELF.invokeExact();
            int result = (int) PTHREAD_GETATTR_NP.invokeExact(self, attributes);
            if (result != 0) {
                throw new IllegalStateException("pthread_getattr_np failed with error " + result);
            }
            try {
                MemorySegment stackAddress = arena.allocate(ADDRESS);
                MemorySegment stackSize = arena.allocate(JAVA_LONG);
                result = (int) PTHREAD_ATTR_GETSTACK.invokeExact(attributes, stackAddress, stackSize);
                if (result != 0) {
                    throw new IllegalStateException("pthread_attr_getstack failed with error " + result);
                }
                return stackAddress.get(ADDRESS, 0).address();
            } finally {
                int ignored = (int) PTHREAD_ATTR_DESTROY.invokeExact(attributes);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("reading the thread's stack bounds failed: " + e, e);
        }
    }

    private static long map(long bytes, int protection, int flags, String purpose) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long address = (long) MMAP.invokeExact(state, 0L, bytes, protection, flags, -1, 0L);
            if (address == MAP_FAILED) {
                throw new IllegalStateException("mmap of " + bytes + " bytes for " + purpose + " failed with errno "
                                + (int) ERRNO.get(state, 0L) + "; lower kpc.MemoryLimit or free memory");
            }
            return address;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("mmap failed: " + e, e);
        }
    }

    private static void unmap(long address, long bytes) {
        try {
            int ignored = (int) MUNMAP.invokeExact(address, bytes);
        } catch (Throwable e) {
            // A cleanup action must not throw; the mapping then stays until the process ends.
        }
    }

    private static long pageAligned(long bytes) {
        return (bytes + PAGE_SIZE - 1) & -PAGE_SIZE;
    }
}
