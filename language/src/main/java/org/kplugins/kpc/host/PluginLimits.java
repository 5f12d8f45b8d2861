// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

/**
 * The limits of one plugin. Each instance of the plugin (one per host thread that calls it) gets
 * its own address space of {@code memoryLimit} bytes with a {@code stackSize}-byte stack and a
 * {@code heapSize}-byte kp_alloc heap; each call from the host may take {@code budget} steps (loop
 * iterations and calls, 0 for unlimited) and {@code callTimeoutMillis} milliseconds of wall-clock
 * time (0 for no limit); after {@code faultLimit} faults in all its instances together, a call
 * that timed out included, the kernel quarantines the plugin: it is unlinked from every hook and
 * unloaded.
 *
 * <p>Sizes are in bytes and follow the language options kpc.MemoryLimit, kpc.StackSize and
 * kpc.HeapSize, which check them when the plugin is loaded; the time limit follows kpc.CallTimeout.
 * {@code retainedHostBytes} (kpc.RetainedHostBytes) is the host-buffer memory an instance keeps
 * between calls: a call whose buffer arguments grow the instance by more gives that memory back
 * when it returns.
 */
public record PluginLimits(int memoryLimit, int stackSize, int heapSize, long budget, int faultLimit, long callTimeoutMillis,
                long retainedHostBytes) {

    /**
     * 256 MiB address space, 64 KiB stack, 16 MiB heap, a budget of 100,000,000 steps per call,
     * and quarantine after 3 faults. The budget stops a runaway loop within seconds; a plugin that
     * does more work per call, such as a transform of a large image, needs a larger one. No call
     * timeout, and host-buffer memory kept between calls.
     */
    public static final PluginLimits DEFAULT = new PluginLimits(256 << 20, 64 << 10, 16 << 20, 100_000_000L, 3, 0,
                    Integer.MAX_VALUE);

    public PluginLimits {
        if (budget < 0) {
            throw new IllegalArgumentException("invalid budget " + budget + ": expected 0 (unlimited) or a positive"
                            + " number of steps");
        }
        if (callTimeoutMillis < 0) {
            throw new IllegalArgumentException("invalid call timeout " + callTimeoutMillis + " ms: expected 0 (no limit)"
                            + " or a positive number of milliseconds");
        }
        if (retainedHostBytes < 0) {
            throw new IllegalArgumentException("invalid retained host-buffer size " + retainedHostBytes + ": expected 0 or"
                            + " more bytes");
        }
        if (faultLimit < 1) {
            throw new IllegalArgumentException("invalid fault limit " + faultLimit + ": expected at least 1 fault"
                            + " before quarantine");
        }
    }

    /** Creates limits without a call timeout, whose instances keep their host-buffer memory between calls. */
    public PluginLimits(int memoryLimit, int stackSize, int heapSize, long budget, int faultLimit) {
        this(memoryLimit, stackSize, heapSize, budget, faultLimit, 0, Integer.MAX_VALUE);
    }

    public PluginLimits withMemoryLimit(int bytes) {
        return new PluginLimits(bytes, stackSize, heapSize, budget, faultLimit, callTimeoutMillis, retainedHostBytes);
    }

    public PluginLimits withStackSize(int bytes) {
        return new PluginLimits(memoryLimit, bytes, heapSize, budget, faultLimit, callTimeoutMillis, retainedHostBytes);
    }

    public PluginLimits withHeapSize(int bytes) {
        return new PluginLimits(memoryLimit, stackSize, bytes, budget, faultLimit, callTimeoutMillis, retainedHostBytes);
    }

    public PluginLimits withBudget(long steps) {
        return new PluginLimits(memoryLimit, stackSize, heapSize, steps, faultLimit, callTimeoutMillis, retainedHostBytes);
    }

    public PluginLimits withFaultLimit(int faults) {
        return new PluginLimits(memoryLimit, stackSize, heapSize, budget, faults, callTimeoutMillis, retainedHostBytes);
    }

    /** Returns these limits with a call timeout of {@code millis} milliseconds, 0 for no limit. */
    public PluginLimits withCallTimeoutMillis(long millis) {
        return new PluginLimits(memoryLimit, stackSize, heapSize, budget, faultLimit, millis, retainedHostBytes);
    }

    /** Returns these limits with {@code bytes} of host-buffer memory kept between calls. */
    public PluginLimits withRetainedHostBytes(long bytes) {
        return new PluginLimits(memoryLimit, stackSize, heapSize, budget, faultLimit, callTimeoutMillis, bytes);
    }
}
