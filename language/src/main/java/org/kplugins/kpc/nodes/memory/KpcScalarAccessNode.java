// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.memory;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.nodes.expression.KpcAddNode;
import org.kplugins.kpc.nodes.expression.KpcIntConstantNode;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.RawBytes;

/**
 * A load or store of a whole value of 1, 2, 4 or 8 bytes, whose address the node splits into a
 * base and a constant displacement.
 *
 * <p>An access at {@code base + k}, for a constant {@code k} below the page size such as a member
 * offset, goes to the backing array through {@link RawBytes} once its window check has passed, so
 * that compiled code folds {@code k} into the instruction. That access also checks
 * {@code [base, base + k + size)} against the array it uses. That check fails for an address that
 * wraps past 2^32: the code is then invalidated once, and the node takes the address space's
 * access from then on.
 */
public abstract class KpcScalarAccessNode extends KpcMemoryAccessNode {

    @Child private KpcExpressionNode base;
    /** The constant k of an address {@code base + k}: 1 to the page size minus 1, or 0. */
    protected final int displacement;
    @CompilationFinal private boolean rawFailed;

    protected KpcScalarAccessNode(KpcExpressionNode address) {
        this.base = baseOf(address);
        this.displacement = displacementOf(address);
    }

    /** Evaluates the base of the address. The address is the base plus {@link #displacement}. */
    protected final int executeBase(VirtualFrame frame) {
        return base.executeInt(frame);
    }

    /**
     * Returns the backing array for a {@link RawBytes} access of {@code size} bytes at
     * {@code base + displacement} in {@code window}, which {@link #readWindow} or
     * {@link #writeWindow} returned, or null when the access must go through the address space.
     */
    protected final byte[] rawArray(AddressSpace memory, int window, int base, int size) {
        if (!(size == 1 ? RawBytes.AVAILABLE : RawBytes.WIDE_AVAILABLE) || window < 0 || rawFailed || !memory.isArrayBacked()) {
            return null;
        }
        byte[] array = memory.rawAccessArray();
        if (!RawBytes.covers(array, base, displacement + size)) {
            CompilerDirectives.transferToInterpreterAndInvalidate();
            rawFailed = true;
            return null;
        }
        return array;
    }

    private static KpcExpressionNode baseOf(KpcExpressionNode address) {
        return displacementOf(address) == 0 ? address : ((KpcAddNode) address).left();
    }

    private static int displacementOf(KpcExpressionNode address) {
        if (address instanceof KpcAddNode add && add.right() instanceof KpcIntConstantNode constant
                        && constant.value() > 0 && constant.value() < AddressSpace.PAGE_SIZE) {
            return constant.value();
        }
        return 0;
    }
}
