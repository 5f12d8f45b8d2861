// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.FrameSlotKind;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;

/**
 * The storage plan of one function's locals, filled in while the builder works on it. Scalar
 * locals whose address is never taken get a Truffle frame slot. Every other local (arrays,
 * structs, address-taken scalars) and every temporary for a struct result gets an offset in the
 * function's frame in plugin memory.
 */
final class FrameLayout {

    private final FrameDescriptor.Builder descriptor = FrameDescriptor.newBuilder();
    private final List<Integer> intSlots = new ArrayList<>();
    private final List<Integer> longSlots = new ArrayList<>();
    private final Map<Variable, Integer> slots = new IdentityHashMap<>();
    private final Map<Variable, Integer> memoryOffsets = new IdentityHashMap<>();
    private int memorySize;

    FrameLayout(ValueKind returnKind) {
        int frameBase = descriptor.addSlot(FrameSlotKind.Int, "frame base", null);
        int returnValue = addSlot(returnKind == ValueKind.LONG, "return value");
        assert frameBase == KpcFunctionRootNode.FRAME_BASE_SLOT && returnValue == KpcFunctionRootNode.RETURN_SLOT;
    }

    /** Returns whether a local lives in a frame slot, which is so for a scalar whose address is never taken. */
    static boolean isFrameResident(Variable variable) {
        CType type = variable.type();
        return (type instanceof IntegerType || type instanceof PointerType) && !variable.isAddressTaken();
    }

    /** Gives a parameter or local its slot or memory offset. */
    void declare(Variable variable) {
        if (isFrameResident(variable)) {
            slots.put(variable, addSlot(ValueKind.of(variable.type()) == ValueKind.LONG, variable.name()));
        } else {
            CType type = variable.type();
            memoryOffsets.put(variable, allocateMemory(type.size(), type.align()));
        }
    }

    int addSlot(boolean isLong, String name) {
        int slot = descriptor.addSlot(isLong ? FrameSlotKind.Long : FrameSlotKind.Int, name, null);
        (isLong ? longSlots : intSlots).add(slot);
        return slot;
    }

    /** Reserves {@code size} bytes of the memory frame and returns their offset from the frame base. */
    int allocateMemory(int size, int align) {
        int offset = StructType.alignUp(memorySize, Math.max(1, align));
        memorySize = offset + Math.max(size, 0);
        return offset;
    }

    /** Returns the frame slot of a local, or null when it lives in plugin memory. */
    Integer slotOf(Variable variable) {
        return slots.get(variable);
    }

    /** Returns the memory-frame offset of a local that lives in plugin memory. */
    int memoryOffsetOf(Variable variable) {
        Integer offset = memoryOffsets.get(variable);
        if (offset == null) {
            throw new IllegalStateException("local '" + variable.name() + "' has no stack frame offset");
        }
        return offset;
    }

    /** Bytes the function takes on the plugin stack: the memory frame, 16-byte aligned, and the linkage. */
    int stackFrameSize() {
        return StructType.alignUp(memorySize, 16) + KpcFunctionRootNode.LINKAGE_BYTES;
    }

    FrameDescriptor buildDescriptor() {
        return descriptor.build();
    }

    int[] intSlots() {
        return intSlots.stream().mapToInt(Integer::intValue).toArray();
    }

    int[] longSlots() {
        return longSlots.stream().mapToInt(Integer::intValue).toArray();
    }
}
