// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import java.util.List;
import org.kplugins.kpc.link.PluginImports;
import org.kplugins.kpc.runtime.NativeTier;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * The native tier's state of one plugin instance: its context block, and the fault or exception
 * of an upcall while the machine code unwinds. Created on the instance's first call and
 * kept as the instance's tier state.
 */
final class NativeInstance implements NativeTier.StoppableState {

    /** The lowest stack address that plugin code may use on one platform thread. */
    private record StackLimit(Thread thread, long limit) {
    }

    private final ContextBlock block;
    /** The emulated CPU of the instance, or null in the native tier. */
    private final EmulatedCpu cpu;
    /** The active call that {@link Upcalls} finds while a call of this instance runs, one object for every call. */
    private final Upcalls.ActiveCall activeCall;
    /**
     * The stack limit of the platform thread that called last, or null. One field with both, so
     * that a thread never pairs its own thread with another thread's limit.
     */
    private StackLimit stackLimit;
    private Throwable pending;

    private NativeInstance(ContextBlock block, EmulatedCpu cpu, NativeProgram program, PluginInstance instance) {
        this.block = block;
        this.cpu = cpu;
        this.activeCall = new Upcalls.ActiveCall(program, instance, this);
    }

    /** Returns the native state of {@code instance}, creating it on the first call. */
    static NativeInstance of(PluginInstance instance, NativeProgram program) {
        if (instance.tierState() instanceof NativeInstance state) {
            return state;
        }
        AddressSpace memory = instance.memory();
        List<PluginImports.DataImport> windows = program.ir().dataImports();
        int[] dataImports = new int[windows.size()];
        for (int i = 0; i < dataImports.length; i++) {
            dataImports[i] = instance.dataImportAddress(mappedIndex(instance, windows.get(i)));
        }
        NativeInstance state;
        if (program.machine() == null) {
            state = new NativeInstance(new ContextBlock(memory.nativeMemory().address(), memory.nativePageTable(),
                            Upcalls.stub().address(), program.nativeFunctionTable(), dataImports, program.maxParameters()),
                            null, program, instance);
        } else {
            long memoryBase = program.hardwareIsolation() ? 0 : memory.nativeMemory().address();
            ContextBlock block = new ContextBlock(memoryBase, memory.nativePageTable(), program.machine().upcallGate(),
                            program.nativeFunctionTable(), dataImports, program.maxParameters());
            state = new NativeInstance(block, new EmulatedCpu(program, memory, block), program, instance);
        }
        instance.setTierState(state);
        return state;
    }

    /**
     * Returns the index of {@code window} among the windows that {@code instance} maps. An instance
     * of the native tier maps the code's windows in the code's order. An instance that the auto
     * tier created from a Truffle-tier program maps the same windows in the order the Truffle tier
     * met them, which AutoTier checks before it switches.
     */
    private static int mappedIndex(PluginInstance instance, PluginImports.DataImport window) {
        List<PluginImports.DataImport> mapped = instance.program().dataImports();
        for (int i = 0; i < mapped.size(); i++) {
            if (mapped.get(i) == window) {
                return i;
            }
        }
        throw new IllegalStateException("plugin " + instance.name() + " does not map the data window '"
                        + window.variable().name() + "' that its machine code uses");
    }

    ContextBlock block() {
        return block;
    }

    EmulatedCpu cpu() {
        return cpu;
    }

    Upcalls.ActiveCall activeCall() {
        return activeCall;
    }

    /**
     * Returns the lowest RSP that plugin code may use on this thread, computed once per platform
     * thread as long as the same thread keeps calling this instance.
     */
    long nativeStackLimit() {
        Thread thread = Thread.currentThread();
        StackLimit cached = stackLimit;
        if (cached != null && cached.thread() == thread) {
            return cached.limit();
        }
        long limit = NativeProgram.nativeStackLimit();
        if (!thread.isVirtual()) {
            stackLimit = new StackLimit(thread, limit);
        }
        return limit;
    }

    @Override
    public void stopAtNextStep() {
        block.stopSteps();
    }

    /** Keeps the fault or exception that ended an upcall and makes the machine code unwind. */
    void unwindWith(Throwable throwable) {
        pending = throwable;
        block.requestUnwind();
    }

    /** Returns and clears the fault or exception kept by {@link #unwindWith}. */
    Throwable takePending() {
        Throwable throwable = pending;
        pending = null;
        return throwable;
    }
}
