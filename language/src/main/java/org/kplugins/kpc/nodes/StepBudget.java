// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.Node;
import org.kplugins.kpc.runtime.Faults;
import org.kplugins.kpc.runtime.PluginInstance;

/**
 * The execution budget (kpc.Budget) while a function runs. A function whose body counts steps
 * (a loop, a goto or a call) moves the steps left from the plugin instance into its frame on
 * entry and counts them there. It moves them back before each call that may count steps, takes
 * them again after the call, and moves them back on exit.
 *
 * <p>In the frame, the steps left are an int chunk of at most 2^31 - 1 steps in
 * {@link KpcFunctionRootNode#BUDGET_SLOT}, which each step decrements, and the rest in
 * {@link KpcFunctionRootNode#BUDGET_REST_SLOT}. A chunk that runs out takes the next one from the
 * rest. The fault comes when both are used up, at the same step as with one counter.
 *
 * <p>Graal keeps a frame slot in a register, where a field of the instance is loaded and stored
 * again in each loop iteration. And its speculative guard movement moves only int compares out of
 * a loop: the check of an int chunk becomes one check before the loop that the chunk covers
 * every iteration.
 */
public final class StepBudget extends Node {

    /** Set once a step here found the chunk used up. Compiled code then takes the next chunk or faults without deoptimizing. */
    @CompilationFinal private boolean chunkUsedUpBefore;

    /** Moves the steps left from the instance into the frame: on entry, and after a call that may count steps. */
    public static void take(VirtualFrame frame, PluginInstance instance) {
        long all = PluginInstance.budgetOf(instance);
        int chunk = (int) Math.min(Math.max(all, 0), Integer.MAX_VALUE);
        frame.setInt(KpcFunctionRootNode.BUDGET_SLOT, chunk);
        frame.setLong(KpcFunctionRootNode.BUDGET_REST_SLOT, all - chunk);
    }

    /** Moves the frame's steps back to the instance: on exit, and before a call that may count steps. */
    public static void store(VirtualFrame frame, PluginInstance instance) {
        PluginInstance.setBudget(instance, frame.getLong(KpcFunctionRootNode.BUDGET_REST_SLOT)
                        + frame.getInt(KpcFunctionRootNode.BUDGET_SLOT));
    }

    /**
     * Charges one step: a loop iteration, a goto or a call. The first time the chunk runs out
     * here, the compiled code is invalidated, because Graal moves only such a check out of a loop.
     * Later, the next chunk is taken, or the fault raised, without deoptimizing, as memory
     * accesses raise their later faults.
     *
     * @throws org.kplugins.monitor.fault.PluginFault WATCHDOG at {@code location} when the budget is used up
     */
    public void consume(VirtualFrame frame, PluginInstance instance, Node location) {
        int left = frame.getInt(KpcFunctionRootNode.BUDGET_SLOT) - 1;
        frame.setInt(KpcFunctionRootNode.BUDGET_SLOT, left);
        if (left < 0) {
            if (!chunkUsedUpBefore) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                chunkUsedUpBefore = true;
            }
            nextChunk(frame, instance, location);
        }
    }

    /** Charges the step that found the chunk used up to the next chunk, or raises the fault when there is none. */
    private static void nextChunk(VirtualFrame frame, PluginInstance instance, Node location) {
        long rest = frame.getLong(KpcFunctionRootNode.BUDGET_REST_SLOT);
        if (rest > 0) {
            int chunk = (int) Math.min(rest, Integer.MAX_VALUE);
            frame.setInt(KpcFunctionRootNode.BUDGET_SLOT, chunk - 1);
            frame.setLong(KpcFunctionRootNode.BUDGET_REST_SLOT, rest - chunk);
            return;
        }
        store(frame, instance);
        throw Faults.budgetUsedUp(location, instance);
    }
}
