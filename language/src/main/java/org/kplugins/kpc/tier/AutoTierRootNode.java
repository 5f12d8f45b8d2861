// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.tier;

import com.oracle.truffle.api.Assumption;
import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.DirectCallNode;
import com.oracle.truffle.api.nodes.RootNode;
import java.util.concurrent.locks.Lock;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.runtime.FunctionEntry;
import org.kplugins.kpc.runtime.PluginInstance;

/**
 * The call target of an exported function in the auto tier, which the host calls with the
 * frame arguments of {@code KpcFunctionRootNode}: the instance and the C arguments. While the
 * plugin runs in the Truffle tier it calls the Truffle root and adds the steps of the call to the
 * function's count. The call that finds the count at kpc.AutoThreshold has {@link AutoTier}
 * compile the plugin, and from then on calls go to the x86 tier's root without counting, or stay
 * with the Truffle root when the compile failed.
 *
 * <p>The count is a plain field that the threads calling the function update without
 * synchronization. A lost update only delays the switch.
 *
 * <p>The node is internal, so guest stack traces show only the function's own frame.
 */
final class AutoTierRootNode extends RootNode {

    private final AutoTier tier;
    private final String functionName;
    private final Assumption counting;
    private final long threshold;
    @Child private DirectCallNode truffleCall;
    /** The call of the x86 tier's root, created by the first call after a successful compile. */
    @Child private DirectCallNode x86Call;
    /** Whether the node has looked for the x86 root after the counting stopped. */
    @CompilationFinal private boolean resolved;
    /** Steps of the calls from the host so far: one per call plus the steps the call ran. */
    private long steps;

    AutoTierRootNode(KpcLanguage language, AutoTier tier, FunctionEntry truffleEntry, long threshold) {
        super(language);
        this.tier = tier;
        this.functionName = truffleEntry.name();
        this.counting = tier.counting();
        this.threshold = threshold;
        this.truffleCall = DirectCallNode.create(truffleEntry.callTarget());
    }

    @Override
    public Object execute(VirtualFrame frame) {
        Object[] arguments = frame.getArguments();
        if (counting.isValid()) {
            long total = steps + 1;
            steps = total;
            if (total < threshold) {
                return callCounting(arguments);
            }
            CompilerDirectives.transferToInterpreterAndInvalidate();
            tier.compile(functionName, total);
        }
        if (x86Call != null) {
            return x86Call.call(arguments);
        }
        if (!resolved) {
            CompilerDirectives.transferToInterpreterAndInvalidate();
            resolve();
            if (x86Call != null) {
                return x86Call.call(arguments);
            }
        }
        return truffleCall.call(arguments);
    }

    /** Runs the Truffle root and adds the steps the call took, a fault's included, to {@link #steps}. */
    private Object callCounting(Object[] arguments) {
        PluginInstance instance = CompilerDirectives.castExact(arguments[0], PluginInstance.class);
        long before = instance.remainingSteps();
        try {
            return truffleCall.call(arguments);
        } finally {
            steps += before - instance.remainingSteps();
        }
    }

    /** Creates the call of the x86 root once the counting has stopped, if the compile produced one. */
    private void resolve() {
        Lock lock = getLock();
        lock.lock();
        try {
            if (!resolved) {
                CallTarget target = tier.x86Target(functionName);
                if (target != null) {
                    x86Call = insert(DirectCallNode.create(target));
                }
                resolved = true;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isInternal() {
        return true;
    }

    @Override
    public String getName() {
        return functionName;
    }

    @Override
    public String toString() {
        return "auto " + functionName + "()";
    }
}
