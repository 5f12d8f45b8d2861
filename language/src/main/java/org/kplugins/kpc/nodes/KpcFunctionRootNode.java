// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.SourceSection;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.nodes.controlflow.ReturnException;
import org.kplugins.kpc.runtime.Faults;
import org.kplugins.kpc.runtime.KpcNull;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.runtime.PluginLayout;

/**
 * The root of one KPC function. On entry it pushes the function's stack frame onto the plugin
 * stack: the memory frame holding arrays, structs and address-taken locals, plus 16 bytes for the
 * return address and saved frame pointer that a native frame would hold. Crossing the bottom of
 * the stack raises STACK_OVERFLOW at the function's opening. It then zeroes the frame slots,
 * copies the parameters, runs the body and pops the frame. Calls from plugin code check the stack
 * before the call, so their fault points at the call site; this check covers calls from the host.
 *
 * <p>Frame slot {@link #FRAME_BASE_SLOT} contains the frame's base address and
 * {@link #RETURN_SLOT} the return value. Returns Integer, Long or {@link KpcNull} by the
 * function's return kind. A faulting call does not pop its frame: every call from the host starts
 * again at the top of the stack.
 */
public final class KpcFunctionRootNode extends RootNode {

    public static final int FRAME_BASE_SLOT = 0;
    public static final int RETURN_SLOT = 1;

    /** Bytes of the return address and saved frame pointer of a native frame. */
    public static final int LINKAGE_BYTES = 16;

    private final String name;
    private final SourceSection section;
    /** Bytes this function takes on the plugin stack, including {@link #LINKAGE_BYTES}. */
    private final int stackFrameSize;
    private final ValueKind returnKind;
    @CompilationFinal(dimensions = 1) private final int[] intSlots;
    @CompilationFinal(dimensions = 1) private final int[] longSlots;
    @Children private final KpcStatementNode[] parameterCopies;
    @Child private KpcStatementNode body;

    public KpcFunctionRootNode(KpcLanguage language, FrameDescriptor frameDescriptor, String name,
                    SourceSection section, int stackFrameSize, ValueKind returnKind, int[] intSlots, int[] longSlots,
                    KpcStatementNode[] parameterCopies, KpcStatementNode body) {
        super(language, frameDescriptor);
        this.name = name;
        this.section = section;
        this.stackFrameSize = stackFrameSize;
        this.returnKind = returnKind;
        this.intSlots = intSlots;
        this.longSlots = longSlots;
        this.parameterCopies = parameterCopies;
        this.body = body;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        PluginInstance instance = CompilerDirectives.castExact(frame.getArguments()[0], PluginInstance.class);
        int callerStackPointer = instance.stackPointer;
        int base = callerStackPointer - stackFrameSize;
        if (base < PluginLayout.STACK_BOTTOM) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.stackOverflow(this, instance);
        }
        instance.stackPointer = base;
        initializeSlots(frame);
        frame.setInt(FRAME_BASE_SLOT, base);
        copyParameters(frame);

        try {
            body.executeVoid(frame);
        } catch (ReturnException e) {
            // The return value, if any, is in RETURN_SLOT.
        }

        instance.stackPointer = callerStackPointer;
        return switch (returnKind) {
            case INT -> frame.getInt(RETURN_SLOT);
            case LONG -> frame.getLong(RETURN_SLOT);
            case VOID -> KpcNull.INSTANCE;
        };
    }

    /** Sets every Int and Long slot to 0, so a read before the first write yields 0, not an error. */
    @ExplodeLoop
    private void initializeSlots(VirtualFrame frame) {
        for (int slot : intSlots) {
            frame.setInt(slot, 0);
        }
        for (int slot : longSlots) {
            frame.setLong(slot, 0);
        }
    }

    @ExplodeLoop
    private void copyParameters(VirtualFrame frame) {
        for (KpcStatementNode copy : parameterCopies) {
            copy.executeVoid(frame);
        }
    }

    /** Returns the bytes this function takes on the plugin stack, including {@link #LINKAGE_BYTES}. */
    public int stackFrameSize() {
        return stackFrameSize;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public SourceSection getSourceSection() {
        return section;
    }

    @Override
    public boolean isCloningAllowed() {
        return true;
    }

    @Override
    public String toString() {
        return name + "()";
    }
}
