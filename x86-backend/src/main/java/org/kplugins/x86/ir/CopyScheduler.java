// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.List;
import java.util.Set;
import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * Orders the body of a versioned loop's copy for an out-of-order processor. Each load moves up
 * past the arithmetic before it, as far as its base allows, and each induction register's
 * increment moves up to just after the last instruction that reads the register. Both aim to
 * start the next iteration's loads while this iteration still multiplies.
 *
 * <p>The order matters more than the instruction count suggests. On the AMD Zen 4 machine of
 * BENCHMARKS.md, the native grayscale loop took 303 us per 512x512 image in this order and about
 * 360 us in the order of the source text (JMH, one fork each). The loop kept its 17 instructions.
 * NOTE: the gain depends on the processor's scheduler, which this pass does not model. In a C
 * harness on that machine, other orders of the same instructions, such as the three
 * multiplications in a row, were as slow as the source order.
 *
 * <p>Moving changes no result and no fault: a load passes only instructions that cannot fault and
 * that neither write its base nor read or write its destination, and it never passes another
 * access, a division, a call or a check, so the accesses and faults keep their order. An increment
 * passes only instructions that do not read or write its register.
 */
final class CopyScheduler {

    /**
     * The maximum number of loads in a body whose loads move. Each moved load keeps a register busy for
     * longer, and a body with many of them would spill in the loop. Grayscale has three. NOTE:
     * the limit is an estimate; no benchmark has measured a body with more loads.
     */
    static final int MAX_MOVED_LOADS = 4;

    private CopyScheduler() {
    }

    /**
     * Reorders {@code body}, a block that ends in its branch, and {@code locations}, the source
     * location of each instruction, in place. {@code induction} contains the registers that the
     * body increments by a constant at its end.
     */
    static void schedule(List<Instr> body, List<SourceLocation> locations, Set<VReg> induction) {
        long loads = body.stream().filter(instruction -> instruction instanceof Instr.Load).count();
        if (loads <= MAX_MOVED_LOADS) {
            for (int i = 0; i < body.size(); i++) {
                if (body.get(i) instanceof Instr.Load load) {
                    int to = i;
                    while (to > 0 && canPass(load, body.get(to - 1))) {
                        to--;
                    }
                    move(body, locations, i, to);
                }
            }
        }

        List<Instr> increments = body.stream().filter(instruction -> isIncrement(instruction, induction)).toList();
        for (Instr increment : increments) {
            int from = body.indexOf(increment);
            int to = from;
            while (to > 0 && !touches(body.get(to - 1), increment.def())) {
                to--;
            }
            move(body, locations, from, to);
        }
    }

    private static boolean isIncrement(Instr instruction, Set<VReg> induction) {
        return instruction instanceof Instr.Binary add && add.op() == Instr.BinaryOp.ADD
                        && induction.contains(add.dst()) && add.dst().equals(add.left()) && add.right() instanceof Imm;
    }

    /** Returns whether {@code load} may run before {@code earlier} without changing a result or a fault. */
    private static boolean canPass(Instr.Load load, Instr earlier) {
        return IrFunction.isPure(earlier) && !touches(earlier, load.dst())
                        && (load.base() == null || !load.base().equals(earlier.def()));
    }

    private static boolean touches(Instr instruction, VReg register) {
        return register.equals(instruction.def()) || instruction.uses().contains(register);
    }

    private static void move(List<Instr> body, List<SourceLocation> locations, int from, int to) {
        if (from != to) {
            body.add(to, body.remove(from));
            locations.add(to, locations.remove(from));
        }
    }
}
