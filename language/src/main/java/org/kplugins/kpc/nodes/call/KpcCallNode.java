// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.call;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.instrumentation.StandardTags.CallTag;
import com.oracle.truffle.api.instrumentation.Tag;
import com.oracle.truffle.api.nodes.DirectCallNode;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.nodes.KpcFunctionRootNode;
import org.kplugins.kpc.nodes.StepBudget;
import org.kplugins.kpc.runtime.Faults;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.runtime.PluginLayout;

/**
 * A call of a function defined in the plugin. The frame arguments are the plugin instance, the C
 * arguments as Integer or Long (a struct argument is passed as its address and the callee copies
 * it), and this function's frame base as the callee's stack pointer, as
 * {@link KpcFunctionRootNode} describes. The callee's call target is set by {@link #link} once
 * every function of the plugin has a root node, which lets functions call each other in any
 * order. A call that would place the callee's frame below the bottom of the plugin stack raises
 * STACK_OVERFLOW here, in the caller. Tools see the node as a {@link CallTag call}.
 */
@NodeInfo(shortName = "call")
public final class KpcCallNode extends KpcExpressionNode {

    @Children private final KpcExpressionNode[] arguments;
    @CompilationFinal(dimensions = 1) private final boolean[] argumentIsLong;
    /** Bytes of the argument area that a variadic callee places above its frame, 0 for other callees. */
    private final int argumentAreaSize;
    /** Counts this node's steps of the budget, or null when the budget is off. */
    @Child private StepBudget steps;
    /** Bytes the callee takes on the plugin stack; set by {@link #link}. */
    private int calleeStackFrameSize;
    /** Whether the callee may count steps, so that the budget count goes to the instance and back around the call. */
    @CompilationFinal private boolean calleeCountsSteps;
    @Child private DirectCallNode callNode;
    /**
     * Whether a call of this node has overflowed the plugin stack. Until then the overflow branch
     * deoptimizes and invalidates the code, so Graal can move the check of a call in a loop before
     * the loop, where the stack pointer does not change. Later overflows raise the fault without
     * deoptimizing, because repeated deoptimizations make Graal stop compiling the function.
     */
    @CompilationFinal private boolean overflowed;

    public KpcCallNode(KpcExpressionNode[] arguments, boolean[] argumentIsLong, int argumentAreaSize,
                    boolean budgetEnabled) {
        this.arguments = arguments;
        this.argumentIsLong = argumentIsLong;
        this.argumentAreaSize = argumentAreaSize;
        this.steps = budgetEnabled ? new StepBudget() : null;
    }

    /** Binds the call to the callee; called once while the plugin is built. */
    public void link(CallTarget callee, int stackFrameSize, boolean countsSteps) {
        this.calleeStackFrameSize = stackFrameSize;
        this.calleeCountsSteps = countsSteps;
        this.callNode = insert(DirectCallNode.create(callee));
    }

    @ExplodeLoop
    private Object call(VirtualFrame frame) {
        Object[] frameArguments = new Object[arguments.length + 2];
        PluginInstance instance = instance(frame);
        frameArguments[0] = instance;
        for (int i = 0; i < arguments.length; i++) {
            if (argumentIsLong[i]) {
                frameArguments[i + 1] = arguments[i].executeLong(frame);
            } else {
                frameArguments[i + 1] = arguments[i].executeInt(frame);
            }
        }
        if (steps != null) {
            steps.consume(frame, instance, this);
        }
        int stackPointer = frame.getInt(KpcFunctionRootNode.FRAME_BASE_SLOT);
        if (stackPointer - argumentAreaSize - calleeStackFrameSize < PluginLayout.STACK_BOTTOM) {
            if (!overflowed) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                overflowed = true;
            }
            throw Faults.stackOverflow(this, instance);
        }
        frameArguments[arguments.length + 1] = stackPointer;
        if (steps == null || !calleeCountsSteps) {
            return callCallee(instance, frameArguments);
        }
        StepBudget.store(frame, instance);
        try {
            return callCallee(instance, frameArguments);
        } finally {
            StepBudget.take(frame, instance);
        }
    }

    private Object callCallee(PluginInstance instance, Object[] frameArguments) {
        try {
            return callNode.call(frameArguments);
        } catch (StackOverflowError e) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.hostStackOverflow(this, instance);
        }
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return (Integer) call(frame);
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        return (Long) call(frame);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        call(frame);
    }

    @Override
    public boolean hasTag(Class<? extends Tag> tag) {
        return tag == CallTag.class || super.hasTag(tag);
    }
}
