// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import java.util.Map;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.nodes.call.KpcCallNode;
import org.kplugins.kpc.nodes.controlflow.ReturnException;
import org.kplugins.kpc.runtime.Faults;
import org.kplugins.kpc.runtime.KpcNull;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.runtime.PluginLayout;
import org.kplugins.monitor.fault.LineDirectives;

/**
 * The root of one KPC function. On entry it places the function's stack frame below the caller's
 * stack pointer. The frame is the memory frame, which holds arrays, structs kept in memory and
 * address-taken locals, plus 16 bytes for the return address and saved frame pointer that a
 * native frame would hold. It then zeroes the return slot and the locals' frame slots, copies the parameters and
 * runs the body.
 *
 * <p>The frame arguments are the plugin instance, the C arguments as Integer or Long, and, for a
 * call from plugin code, the caller's stack pointer as a trailing Integer. That call's
 * {@link KpcCallNode} has already checked that this frame fits on the stack, so the fault points
 * at the call site. A call from the host has no trailing argument: the frame then starts at
 * {@link PluginInstance#stackPointer}, which is the stack top, and crossing the bottom of the stack
 * raises STACK_OVERFLOW at the function's opening. Passing the stack pointer down instead of
 * keeping it in the instance means a call stores nothing in the heap, and nothing needs to be
 * restored when a call faults.
 *
 * <p>Frame slot {@link #FRAME_BASE_SLOT} contains the frame's base address, which is also the stack
 * pointer that this function passes to its callees, and {@link #RETURN_SLOT} the return value.
 * Returns Integer, Long or {@link KpcNull} by the function's return kind.
 */
public final class KpcFunctionRootNode extends RootNode implements LineDirectives {

    public static final int FRAME_BASE_SLOT = 0;
    public static final int RETURN_SLOT = 1;

    /** Bytes of the return address and saved frame pointer of a native frame. */
    public static final int LINKAGE_BYTES = 16;

    private final String name;
    private final SourceSection section;
    /** Bytes this function takes on the plugin stack, including {@link #LINKAGE_BYTES}. */
    private final int stackFrameSize;
    private final ValueKind returnKind;
    /** The Int and Long slots that may be read before the body writes them. */
    @CompilationFinal(dimensions = 1) private final int[] zeroedIntSlots;
    @CompilationFinal(dimensions = 1) private final int[] zeroedLongSlots;
    @Children private final KpcStatementNode[] parameterCopies;
    @Child private KpcStatementNode body;
    /** The plugin's source files that have {@code #line} directives, by their Truffle source. */
    private final Map<Source, SourceFile> lineDirectiveFiles;

    public KpcFunctionRootNode(KpcLanguage language, FrameDescriptor frameDescriptor, String name,
                    SourceSection section, int stackFrameSize, ValueKind returnKind, int[] zeroedIntSlots,
                    int[] zeroedLongSlots, KpcStatementNode[] parameterCopies, KpcStatementNode body,
                    Map<Source, SourceFile> lineDirectiveFiles) {
        super(language, frameDescriptor);
        this.lineDirectiveFiles = lineDirectiveFiles;
        this.name = name;
        this.section = section;
        this.stackFrameSize = stackFrameSize;
        this.returnKind = returnKind;
        this.zeroedIntSlots = zeroedIntSlots;
        this.zeroedLongSlots = zeroedLongSlots;
        this.parameterCopies = parameterCopies;
        this.body = body;
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object[] arguments = frame.getArguments();
        int stackPointerIndex = parameterCopies.length + 1;
        int base;
        if (arguments.length > stackPointerIndex) {
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
        frame.setInt(FRAME_BASE_SLOT, base);
        copyParameters(frame);

        try {
            body.executeVoid(frame);
        } catch (ReturnException e) {
            // The return value, if any, is in RETURN_SLOT.
        }

        return switch (returnKind) {
            case INT -> frame.getInt(RETURN_SLOT);
            case LONG -> frame.getLong(RETURN_SLOT);
            case VOID -> KpcNull.INSTANCE;
        };
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

    /** Returns the bytes this function takes on the plugin stack, including {@link #LINKAGE_BYTES}. */
    public int stackFrameSize() {
        return stackFrameSize;
    }

    @Override
    public String reportedFile(Source source, int line) {
        SourceFile file = lineDirectiveFiles.get(source);
        return file == null ? source.getName() : file.presumedName(line);
    }

    @Override
    public int reportedLine(Source source, int line) {
        SourceFile file = lineDirectiveFiles.get(source);
        return file == null ? line : file.presumedLine(line);
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
