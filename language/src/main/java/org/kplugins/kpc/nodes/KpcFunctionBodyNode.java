// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.StandardTags.RootTag;
import com.oracle.truffle.api.instrumentation.Tag;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import org.kplugins.kpc.nodes.call.KpcCallNode;
import org.kplugins.kpc.nodes.controlflow.ReturnException;
import org.kplugins.kpc.runtime.Faults;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.runtime.PluginLayout;

/**
 * Everything one call of a KPC function does, below its {@link KpcFunctionRootNode}. On entry it
 * places the function's stack frame below the caller's stack pointer. The frame is the memory
 * frame, which holds arrays, structs kept in memory and address-taken locals, plus 16 bytes for
 * the return address and saved frame pointer that a native frame would hold. It then zeroes the
 * return slot and the locals' frame slots, copies the parameters and runs the body.
 *
 * <p>The frame arguments are the plugin instance, the C arguments as Integer or Long, and, for a
 * call from plugin code, the caller's stack pointer as a trailing Integer. That call's
 * {@link KpcCallNode} has already checked that this frame fits on the stack, so the fault points
 * at the call site. A call from the host has no trailing argument: the frame then starts at
 * {@link PluginInstance#stackPointer}, which is the stack top, and crossing the bottom of the stack
 * raises STACK_OVERFLOW at the function's definition. Passing the stack pointer down instead of
 * keeping it in the instance means a call stores nothing in the heap, and nothing needs to be
 * restored when a call faults.
 *
 * <p>A variadic function also places an argument area between the caller's stack pointer and its
 * frame, and writes every C argument there as an i386 cdecl caller pushes them: in order from
 * the lowest address, each in a 4-byte slot, a long long or double in 8 bytes. {@code va_arg}
 * reads the variadic ones from there. Its call from plugin code passes the stack pointer after the
 * variadic arguments, and the caller's stack check counts the area ({@link #argumentAreaSize}).
 *
 * <p>When the body has a loop, a goto or a call, the node moves the budget's steps left from the
 * instance into the frame before the body runs and back after it ({@link StepBudget}).
 *
 * <p>This node carries {@link RootTag}, and it writes no frame slot before it runs: tools see
 * the function's entry before the frame is set up, as Truffle expects of the top-most root tag.
 * Its value is the function's return value, read from {@link KpcFunctionRootNode#RETURN_SLOT}.
 */
public final class KpcFunctionBodyNode extends KpcExpressionNode {

    /** Bytes this function takes on the plugin stack, including {@link KpcFunctionRootNode#LINKAGE_BYTES}. */
    private final int stackFrameSize;
    /** The Int and Long slots that may be read before the body writes them. */
    @CompilationFinal(dimensions = 1) private final int[] zeroedIntSlots;
    @CompilationFinal(dimensions = 1) private final int[] zeroedLongSlots;
    @Children private final KpcStatementNode[] parameterCopies;
    @Child private KpcStatementNode body;
    /** The slot for the address of the first variadic argument, or -1 when the function has no '...'. */
    private final int variadicArgumentsSlot;
    /** Bytes of the named parameters' slots at the start of the argument area of a variadic function. */
    private final int namedArgumentBytes;
    /** Whether the body counts steps of the budget, so that the count lives in a frame slot ({@link StepBudget}). */
    private final boolean countsSteps;

    public KpcFunctionBodyNode(int stackFrameSize, int[] zeroedIntSlots, int[] zeroedLongSlots,
                    KpcStatementNode[] parameterCopies, KpcStatementNode body, int variadicArgumentsSlot,
                    int namedArgumentBytes, boolean countsSteps) {
        this.countsSteps = countsSteps;
        this.variadicArgumentsSlot = variadicArgumentsSlot;
        this.namedArgumentBytes = namedArgumentBytes;
        this.stackFrameSize = stackFrameSize;
        this.zeroedIntSlots = zeroedIntSlots;
        this.zeroedLongSlots = zeroedLongSlots;
        this.parameterCopies = parameterCopies;
        this.body = body;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        run(frame);
        return frame.getInt(KpcFunctionRootNode.RETURN_SLOT);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        run(frame);
        return frame.getLong(KpcFunctionRootNode.RETURN_SLOT);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        run(frame);
    }

    private void run(VirtualFrame frame) {
        Object[] arguments = frame.getArguments();
        int stackPointerIndex = parameterCopies.length + 1;
        int base;
        if (variadicArgumentsSlot >= 0) {
            base = placeVariadicFrame(frame, arguments);
        } else if (arguments.length > stackPointerIndex) {
            base = (Integer) arguments[stackPointerIndex] - stackFrameSize;
        } else {
            PluginInstance instance = CompilerDirectives.castExact(arguments[0], PluginInstance.class);
            base = instance.stackPointer - stackFrameSize;
            if (base < PluginLayout.STACK_BOTTOM) {
                CompilerDirectives.transferToInterpreter();
                throw Faults.stackOverflow(this, instance);
            }
        }
        initializeSlots(frame);
        frame.setInt(KpcFunctionRootNode.FRAME_BASE_SLOT, base);
        copyParameters(frame);

        if (!countsSteps) {
            runBody(frame);
            return;
        }
        PluginInstance instance = CompilerDirectives.castExact(arguments[0], PluginInstance.class);
        StepBudget.take(frame, instance);
        try {
            runBody(frame);
        } finally {
            StepBudget.store(frame, instance);
        }
    }

    private void runBody(VirtualFrame frame) {
        try {
            body.executeVoid(frame);
        } catch (ReturnException e) {
            // The return value, if any, is in RETURN_SLOT.
        }
    }

    /**
     * Places the argument area and the frame of a variadic function below the stack pointer,
     * writes the C arguments into the area, and sets the variadic arguments slot. A call from the
     * host passes the instance and the named arguments. A call from plugin code passes more frame
     * arguments, with the stack pointer last.
     *
     * @return the frame's base address
     */
    private int placeVariadicFrame(VirtualFrame frame, Object[] arguments) {
        PluginInstance instance = CompilerDirectives.castExact(arguments[0], PluginInstance.class);
        boolean fromPlugin = arguments.length > parameterCopies.length + 1;
        int argumentEnd = fromPlugin ? arguments.length - 1 : arguments.length;
        int stackPointer = fromPlugin ? (Integer) arguments[argumentEnd] : instance.stackPointer;
        int areaSize = 0;
        for (int i = 1; i < argumentEnd; i++) {
            areaSize += arguments[i] instanceof Long ? 8 : 4;
        }
        int area = stackPointer - alignToStack(areaSize);
        int base = area - stackFrameSize;
        if (base < PluginLayout.STACK_BOTTOM) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.stackOverflow(this, instance);
        }
        int address = area;
        for (int i = 1; i < argumentEnd; i++) {
            if (arguments[i] instanceof Long value) {
                instance.memory().storeI64(this, address, value);
                address += 8;
            } else {
                instance.memory().storeI32(this, address, (Integer) arguments[i]);
                address += 4;
            }
        }
        frame.setInt(variadicArgumentsSlot, area + namedArgumentBytes);
        return base;
    }

    /**
     * Returns the bytes of the argument area of a call of a variadic function with these argument
     * kinds: a 4-byte slot per argument, 8 bytes for a long long or double, rounded up to 16 as
     * frames are.
     */
    public static int argumentAreaSize(boolean[] argumentIsLong) {
        int size = 0;
        for (boolean isLong : argumentIsLong) {
            size += isLong ? 8 : 4;
        }
        return alignToStack(size);
    }

    private static int alignToStack(int size) {
        return (size + 15) & -16;
    }

    /** Sets the return slot and the locals' slots to 0, so a read before any write yields 0. */
    @ExplodeLoop
    private void initializeSlots(VirtualFrame frame) {
        for (int slot : zeroedIntSlots) {
            frame.setInt(slot, 0);
        }
        for (int slot : zeroedLongSlots) {
            frame.setLong(slot, 0);
        }
    }

    @ExplodeLoop
    private void copyParameters(VirtualFrame frame) {
        for (KpcStatementNode copy : parameterCopies) {
            copy.executeVoid(frame);
        }
    }

    /** Returns the bytes this function takes on the plugin stack, including {@link KpcFunctionRootNode#LINKAGE_BYTES}. */
    int stackFrameSize() {
        return stackFrameSize;
    }

    /** Returns whether the body counts steps of the budget. */
    boolean countsSteps() {
        return countsSteps;
    }

    @Override
    public boolean hasTag(Class<? extends Tag> tag) {
        return tag == RootTag.class;
    }
}
