// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.monitor.fault.PluginFault;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * A load or store that speculates on the access window of the address space that its address
 * falls in (see {@link AddressSpace#findReadWindow}). Compiled code then checks an access with
 * unsigned compares against that window's bounds, which it reads from the current address space,
 * and runs the full segment-limit and page-table check only when a compare fails. In a counted
 * loop whose addresses grow with the counter, Graal moves those compares before the loop.
 *
 * <p>Nodes are shared by every plugin instance of a context, so the node keeps a window index,
 * never an address range, and the address space validates the index on every access. An access
 * outside the speculated window that is still allowed picks the window that contains it. After
 * {@link #MAX_WINDOW_CHANGES} such changes, or when no window contains the access, the node stops
 * speculating and always takes the full check.
 *
 * <p>A failed compare first deoptimizes and invalidates the code, because Graal moves only such
 * a branch out of a loop. With the full check first, a flat grayscale loop on 512x512 took
 * 0.71 ms a call instead of 0.50. Once an access of the node has faulted, compiled code runs the
 * full check first and raises later faults without deoptimizing. Otherwise each fault would
 * deoptimize again, and after a few such cycles Graal stops compiling the function.
 */
public abstract class KpcMemoryAccessNode extends KpcExpressionNode {

    /** Number of times a node may move to another window before it stops speculating. */
    static final int MAX_WINDOW_CHANGES = 3;

    /** Value of {@link #window} before the first access. */
    private static final int UNSET = -2;
    /** Value of {@link #window} once the node has stopped speculating. */
    private static final int GENERIC = AddressSpace.NO_WINDOW;

    @CompilationFinal private int window = UNSET;
    @CompilationFinal private int windowChanges;
    /** Set once an access of this node has faulted; compiled code then runs the full check first. */
    @CompilationFinal private boolean faulted;

    /**
     * Returns the window index to pass to the load of {@code size} bytes at {@code address}.
     * Raises the load's fault here when the access is not allowed.
     */
    protected final int readWindow(AddressSpace memory, int address, int size) {
        return window(memory, address, size, false);
    }

    /** Returns the window index to pass to the store; see {@link #readWindow}. */
    protected final int writeWindow(AddressSpace memory, int address, int size) {
        return window(memory, address, size, true);
    }

    private int window(AddressSpace memory, int address, int size, boolean write) {
        int speculated = window;
        if (speculated != GENERIC && !isInWindow(memory, speculated, address, size, write)) {
            if (faulted) {
                fullCheck(memory, address, size, write);
            }
            CompilerDirectives.transferToInterpreterAndInvalidate();
            try {
                fullCheck(memory, address, size, write);
            } catch (PluginFault fault) {
                faulted = true;
                throw fault;
            }
            speculated = respecialize(write ? memory.findWriteWindow(address, size) : memory.findReadWindow(address, size));
        }
        return speculated;
    }

    private static boolean isInWindow(AddressSpace memory, int speculated, int address, int size, boolean write) {
        return write ? memory.isInWriteWindow(speculated, address, size) : memory.isInReadWindow(speculated, address, size);
    }

    private void fullCheck(AddressSpace memory, int address, int size, boolean write) {
        if (write) {
            memory.checkWrite(this, address, size);
        } else {
            memory.checkRead(this, address, size);
        }
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
