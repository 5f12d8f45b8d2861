// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * The native tier's state of one plugin instance: its context block, and the fault or exception
 * of an upcall while the machine code unwinds. Created on the instance's first call and
 * kept as the instance's tier state.
 */
final class NativeInstance {

    private final ContextBlock block;
    private Throwable pending;

    private NativeInstance(ContextBlock block) {
        this.block = block;
    }

    /** Returns the native state of {@code instance}, creating it on the first call. */
    static NativeInstance of(PluginInstance instance, NativeProgram program) {
        if (instance.tierState() instanceof NativeInstance state) {
            return state;
        }
        AddressSpace memory = instance.memory();
        int[] dataImports = new int[instance.program().dataImports().size()];
        for (int i = 0; i < dataImports.length; i++) {
            dataImports[i] = instance.dataImportAddress(i);
        }
        NativeInstance state = new NativeInstance(new ContextBlock(memory.nativeMemory(), memory.nativePageTable(),
                        Upcalls.stub(), program.nativeFunctionTable(), dataImports, program.maxParameters()));
        instance.setTierState(state);
        return state;
    }

    ContextBlock block() {
        return block;
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
