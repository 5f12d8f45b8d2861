// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.controlflow;

import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.LoopNode;
import com.oracle.truffle.api.nodes.NodeInfo;
import com.oracle.truffle.api.nodes.RepeatingNode;
import com.oracle.truffle.api.profiles.BranchProfile;
import org.kplugins.kpc.nodes.KpcStatementNode;

/**
 * The body of a function that uses {@code goto}: a dispatch loop whose state is the label to
 * start from.
 *
 * <p>Truffle trees have no jumps, so KPC lowers goto onto structured nodes:
 * <ul>
 *   <li>The builder numbers the function's labels in source order, so the labels inside any one
 *       statement have consecutive numbers. Each block, {@code if}, loop and {@code switch} of the
 *       function that contains labels records which child contains which numbers
 *       ({@link LabelRanges}).
 *   <li>{@code goto L} ({@link KpcGotoNode}) stores L's number in a frame slot, the goto state, and
 *       throws {@link GotoException}. The exception unwinds every statement between the goto and
 *       the function body, loops and switches included, which is how C leaves them.
 *   <li>This node runs the body in a Truffle {@link LoopNode}. The first iteration runs it from
 *       the start. An iteration that catches the exception runs the body again with
 *       {@link KpcStatementNode#executeFromLabel}, which enters only the statements on the path
 *       to the label: a block runs the child that contains the label from the label, then its
 *       later children; an {@code if} enters the branch that contains it without evaluating the
 *       condition; a loop finishes the iteration it entered (the rest of the body, the step of a
 *       {@code for}, the test) and then loops as usual, and {@code break} and {@code continue}
 *       inside that iteration act on it; a {@code switch} enters its body without evaluating
 *       the selector; and a label ({@link KpcLabelNode}) lets its block go on with the statement
 *       after it.
 * </ul>
 * Jumping into a block skips the definitions before the label, as in C: a local then keeps the
 * value its storage already holds. Because KPC has no variable-length arrays, C allows every jump
 * within a function, and so does KPC.
 *
 * <p>A function without {@code goto} gets none of this: its labels are empty statements and its
 * nodes are built as before. In compiled code the throw and the catch sit in the same
 * compilation unit, so Graal turns a goto into a jump to the dispatch loop's head; the loop node
 * also lets on-stack replacement compile a long-running loop made of gotos. Each goto costs one
 * step of the execution budget.
 */
@NodeInfo(shortName = "goto dispatch")
public final class KpcGotoDispatchNode extends KpcStatementNode {

    /** The goto state that means "run the body from its start". */
    public static final int FROM_START = -1;

    private final int stateSlot;
    @Child private LoopNode loop;

    /** @param stateSlot the Int frame slot that {@link KpcGotoNode} writes the target label's number to */
    public KpcGotoDispatchNode(KpcStatementNode body, int stateSlot) {
        this.stateSlot = stateSlot;
        this.loop = Truffle.getRuntime().createLoopNode(new Dispatch(body, stateSlot));
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        frame.setInt(stateSlot, FROM_START);
        loop.execute(frame);
    }

    /** One run of the body, from the start or from the label in the goto state. Returns true after a goto. */
    private static final class Dispatch extends KpcStatementNode implements RepeatingNode {

        @Child private KpcStatementNode body;
        private final int stateSlot;
        private final BranchProfile gotoTaken = BranchProfile.create();

        Dispatch(KpcStatementNode body, int stateSlot) {
            this.body = body;
            this.stateSlot = stateSlot;
        }

        @Override
        public boolean executeRepeating(VirtualFrame frame) {
            int label = frame.getInt(stateSlot);
            try {
                if (label == FROM_START) {
                    body.executeVoid(frame);
                } else {
                    body.executeFromLabel(frame, label);
                }
                return false;
            } catch (GotoException e) {
                gotoTaken.enter();
                return true;
            }
        }

        @Override
        public void executeVoid(VirtualFrame frame) {
            executeRepeating(frame);
        }
    }
}
