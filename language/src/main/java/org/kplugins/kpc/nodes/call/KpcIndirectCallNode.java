// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.call;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.DirectCallNode;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.IndirectCallNode;
import com.oracle.truffle.api.nodes.NodeInfo;
import java.util.Arrays;
import java.util.concurrent.locks.Lock;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.nodes.KpcFunctionRootNode;
import org.kplugins.kpc.nodes.StepBudget;
import org.kplugins.kpc.runtime.Faults;
import org.kplugins.kpc.runtime.FunctionTable;
import org.kplugins.kpc.runtime.KpcNull;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.runtime.PluginLayout;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.monitor.link.FunctionExport;

/**
 * A call through a function pointer. The pointer's value must be the token of an entry of the
 * plugin's {@link FunctionTable} whose function type is the call's; anything else raises
 * INVALID_FUNCTION_POINTER here. A call of a plugin function then works as {@link KpcCallNode}
 * describes, with the same budget step and stack check, and a call of a host function as a direct
 * call of it does, with faults located at this call.
 *
 * <p>The first target seen is cached, so a call site that always calls one function is compiled
 * as a direct call. A call site that sees a second target also calls through an
 * {@link IndirectCallNode}.
 */
@NodeInfo(shortName = "indirect call")
public final class KpcIndirectCallNode extends KpcExpressionNode {

    /** The first target this call site called, and its token. */
    private record CachedTarget(int token, FunctionTable.Entry entry) {
    }

    @Child private KpcExpressionNode pointer;
    @Children private final KpcExpressionNode[] arguments;
    @CompilationFinal(dimensions = 1) private final boolean[] argumentIsLong;
    /** For each argument, whether it is a double, which printk needs to know. */
    private final boolean[] argumentIsDouble;
    /** Bytes of the argument area that a variadic callee places above its frame, 0 for other callees. */
    private final int argumentAreaSize;
    private final FunctionTable table;
    /** The call's function type and its number, which a target's {@link FunctionTable.Entry#signature()} must equal. */
    private final FunctionType type;
    private final int signature;
    /** Counts this node's steps of the budget, or null when the budget is off. */
    @Child private StepBudget steps;

    @CompilationFinal private CachedTarget cached;
    @Child private DirectCallNode cachedCall;
    /** Whether the call site has seen a second target, so that {@link #indirectCall} exists. */
    @CompilationFinal private boolean polymorphic;
    @Child private IndirectCallNode indirectCall;

    public KpcIndirectCallNode(KpcExpressionNode pointer, KpcExpressionNode[] arguments, boolean[] argumentIsLong,
                    boolean[] argumentIsDouble, int argumentAreaSize, FunctionTable table, FunctionType type,
                    int signature, boolean budgetEnabled) {
        this.pointer = pointer;
        this.arguments = arguments;
        this.argumentIsLong = argumentIsLong;
        this.argumentIsDouble = argumentIsDouble;
        this.argumentAreaSize = argumentAreaSize;
        this.table = table;
        this.type = type;
        this.signature = signature;
        this.steps = budgetEnabled ? new StepBudget() : null;
    }

    /** Returns the frame arguments of the call: the plugin instance, the C arguments, and a slot for the stack pointer. */
    @ExplodeLoop
    private Object[] frameArguments(VirtualFrame frame, PluginInstance instance) {
        Object[] frameArguments = new Object[arguments.length + 2];
        frameArguments[0] = instance;
        for (int i = 0; i < arguments.length; i++) {
            if (argumentIsLong[i]) {
                frameArguments[i + 1] = arguments[i].executeLong(frame);
            } else {
                frameArguments[i + 1] = arguments[i].executeInt(frame);
            }
        }
        return frameArguments;
    }

    private Object call(VirtualFrame frame) {
        int token = pointer.executeInt(frame);
        PluginInstance instance = instance(frame);
        Object[] frameArguments = frameArguments(frame, instance);
        CachedTarget target = cached;
        if (target != null && token == target.token()) {
            return invoke(frame, instance, target.entry(), frameArguments, true);
        }
        if (!polymorphic) {
            CompilerDirectives.transferToInterpreterAndInvalidate();
            FunctionTable.Entry entry = checkedEntry(instance, token);
            return invoke(frame, instance, entry, frameArguments, cache(token, entry));
        }
        return invoke(frame, instance, checkedEntry(instance, token), frameArguments, false);
    }

    /**
     * Makes {@code entry} the cached target when there is none yet, and returns whether it is the
     * cached target; otherwise prepares the indirect call.
     */
    private boolean cache(int token, FunctionTable.Entry entry) {
        Lock lock = getLock();
        lock.lock();
        try {
            if (cached == null) {
                if (entry instanceof FunctionTable.PluginEntry function) {
                    cachedCall = insert(DirectCallNode.create(function.callTarget()));
                }
                cached = new CachedTarget(token, entry);
                return true;
            }
            if (cached.token() == token) {
                return true;
            }
            if (!polymorphic) {
                indirectCall = insert(IndirectCallNode.create());
                polymorphic = true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the table entry that {@code token} is the token of, or raises INVALID_FUNCTION_POINTER. */
    private FunctionTable.Entry checkedEntry(PluginInstance instance, int token) {
        FunctionTable.Entry entry = table.lookup(token);
        if (entry == null) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.invalidFunctionPointer(this, instance, token, type);
        }
        if (entry.signature() != signature) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.functionTypeMismatch(this, instance, token, entry, type);
        }
        return entry;
    }

    private Object invoke(VirtualFrame frame, PluginInstance instance, FunctionTable.Entry entry,
                    Object[] frameArguments, boolean cachedTarget) {
        if (!(entry instanceof FunctionTable.PluginEntry function)) {
            return callHost(instance, entry, frameArguments);
        }
        if (steps != null) {
            steps.consume(frame, instance, this);
        }
        int stackPointer = frame.getInt(KpcFunctionRootNode.FRAME_BASE_SLOT);
        if (stackPointer - argumentAreaSize - function.stackFrameSize() < PluginLayout.STACK_BOTTOM) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.stackOverflow(this, instance);
        }
        frameArguments[frameArguments.length - 1] = stackPointer;
        if (steps != null) {
            StepBudget.store(frame, instance);
        }
        try {
            return cachedTarget ? cachedCall.call(frameArguments) : indirectCall.call(function.callTarget(), frameArguments);
        } catch (StackOverflowError e) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.hostStackOverflow(this, instance);
        } finally {
            if (steps != null) {
                StepBudget.take(frame, instance);
            }
        }
    }

    /**
     * Calls a host function with the C arguments of {@code frameArguments}, as a direct call of it
     * would, and returns its result as Integer, Long or {@link KpcNull}.
     */
    @TruffleBoundary
    private Object callHost(PluginInstance instance, FunctionTable.Entry entry, Object[] frameArguments) {
        int count = frameArguments.length - 2;
        if (entry instanceof FunctionTable.BuiltinEntry builtin) {
            return switch (builtin.export()) {
                case PRINTK -> {
                    long[] values = new long[count - 1];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = frameArguments[i + 2] instanceof Long value ? value : (Integer) frameArguments[i + 2];
                    }
                    boolean[] isDouble = Arrays.copyOfRange(argumentIsDouble, 1, argumentIsDouble.length);
                    yield KpcPrintkNode.print(instance, this, (Integer) frameArguments[1], values, isDouble);
                }
                case VPRINTK -> KpcVprintkNode.print(instance, this, (Integer) frameArguments[1],
                                (Integer) frameArguments[2]);
                case KP_ALLOC -> instance.heap().allocate((Integer) frameArguments[1]);
                case KP_FREE -> {
                    instance.heap().free(this, (Integer) frameArguments[1]);
                    yield KpcNull.INSTANCE;
                }
            };
        }
        FunctionExport export = ((FunctionTable.ExportEntry) entry).export();
        FunctionType exportType = entry.type();
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            int conversion = KpcHostFunctionCallNode.conversionOf(exportType.parameterTypes().get(i));
            values[i] = frameArguments[i + 1] instanceof Long value ? value
                            : KpcHostFunctionCallNode.widenArgument(conversion, (Integer) frameArguments[i + 1]);
        }
        long result = KpcHostFunctionCallNode.callHost(export, instance, this, values);
        int resultConversion = KpcHostFunctionCallNode.conversionOf(exportType.returnType());
        return switch (resultConversion) {
            case KpcHostFunctionCallNode.VOID -> KpcNull.INSTANCE;
            case KpcHostFunctionCallNode.BITS_64 -> result;
            default -> KpcHostFunctionCallNode.narrowResult(resultConversion, result);
        };
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
}
