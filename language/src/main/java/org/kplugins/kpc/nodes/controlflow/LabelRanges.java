// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.nodes.ExplodeLoop;

/**
 * The label numbers in each child statement of a block or switch body. Labels are numbered in
 * source order, so the labels inside one statement have consecutive numbers: child {@code i}
 * contains the labels from {@code ends[i - 1]} (from {@code first} for child 0) up to
 * {@code ends[i]}, exclusive.
 */
public final class LabelRanges {

    private final int first;
    @CompilationFinal(dimensions = 1) private final int[] ends;

    /**
     * @param first the number of the first label in the statement
     * @param ends  for each child, one past the number of the last label in it or in a child before it
     */
    public LabelRanges(int first, int[] ends) {
        this.first = first;
        this.ends = ends;
    }

    /** Returns whether child {@code child} contains a label. */
    boolean hasLabels(int child) {
        return ends[child] > (child == 0 ? first : ends[child - 1]);
    }

    /** Returns the index of the child that contains label {@code label}, which must lie in this statement. */
    @ExplodeLoop
    int childContaining(int label) {
        for (int i = 0; i < ends.length; i++) {
            if (label < ends[i]) {
                return i;
            }
        }
        return ends.length;
    }
}
