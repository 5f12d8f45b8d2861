// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * A load or store that speculates on the access window of the address space that its address
 * falls in (see {@link AddressSpace#findReadWindow}). Compiled code then checks an access with
 * one unsigned compare against that window's bounds, which it reads from the current address
 * space, and runs the full segment-limit and page-table check only when the compare fails.
 *
 * <p>Nodes are shared by every plugin instance of a context, so the node keeps a window index,
 * never an address range, and the address space validates the index on every access. An access
 * outside the speculated window that is still allowed picks the window that contains it and
 * invalidates the compiled code. After {@link #MAX_WINDOW_CHANGES} such changes, or when no
 * window contains the access, the node stops speculating and always takes the full check. A
 * faulting access changes nothing, so a fault deoptimizes without invalidating the code.
 */
public abstract class KpcMemoryAccessNode extends KpcExpressionNode {

    /** Number of times a node may move to another window before it stops speculating. */
    static final int MAX_WINDOW_CHANGES = 3;

    /** Value of {@link #window} before the first access. */
    private static final int UNSET = -2;
    /** Value of {@link #window} once the node has stopped speculating. */
    private static final int GENERIC = AddressSpace.NO_WINDOW;

    // TODO: hoist the window check out of compiled loops. Today the compare here and the one in
    // AddressSpace's windowed load both stay in the loop, and each access reloads the window table
    // through the frame's instance. One loop-invariant read of the table and a single compare
    // could let Graal move the check. Without any window check, grayscale takes 0.72 ms, not 1.0.
    @CompilationFinal private int window = UNSET;
    @CompilationFinal private int windowChanges;

    /**
     * Returns the window index to pass to the load of {@code size} bytes at {@code address}.
     * Raises the load's fault here when the access is not allowed.
     */
    protected final int readWindow(AddressSpace memory, int address, int size) {
        int speculated = window;
        if (speculated != GENERIC && !memory.isInReadWindow(speculated, address, size)) {
            memory.checkRead(this, address, size);
            CompilerDirectives.transferToInterpreterAndInvalidate();
            speculated = respecialize(memory.findReadWindow(address, size));
        }
        return speculated;
    }

    /** Returns the window index to pass to the store; see {@link #readWindow}. */
    protected final int writeWindow(AddressSpace memory, int address, int size) {
        int speculated = window;
        if (speculated != GENERIC && !memory.isInWriteWindow(speculated, address, size)) {
            memory.checkWrite(this, address, size);
            CompilerDirectives.transferToInterpreterAndInvalidate();
            speculated = respecialize(memory.findWriteWindow(address, size));
        }
        return speculated;
    }

    /** Moves the speculation to window {@code found}, or stops it. Runs in the interpreter only. */
    private int respecialize(int found) {
        if (found < 0) {
            window = GENERIC;
        } else if (window == UNSET) {
            window = found;
        } else if (++windowChanges > MAX_WINDOW_CHANGES) {
            window = GENERIC;
        } else {
            window = found;
        }
        return window;
    }
}
