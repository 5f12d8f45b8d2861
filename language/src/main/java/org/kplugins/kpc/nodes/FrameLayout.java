// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.FrameSlotKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;

/**
 * The storage plan of one function's locals, filled in while the builder works on it. Scalar
 * locals whose address is never taken get a Truffle frame slot, and so does each scalar member of
 * a struct local that {@link ScalarReplacement} accepts. Every other local (arrays, other structs,
 * address-taken scalars) and every temporary for a struct result gets an offset in the function's
 * frame in plugin memory.
 */
final class FrameLayout {

    private final FrameDescriptor.Builder descriptor = FrameDescriptor.newBuilder();
    /** The Int and Long slots that the function zeroes on entry, see {@link #addZeroedSlot}. */
    private final List<Integer> zeroedIntSlots = new ArrayList<>();
    private final List<Integer> zeroedLongSlots = new ArrayList<>();
    private final Map<Variable, Integer> slots = new IdentityHashMap<>();
    /** For each scalar-replaced struct local: the slot of each scalar member by its byte offset. */
    private final Map<Variable, Map<Integer, Integer>> memberSlots = new IdentityHashMap<>();
    private final Map<Variable, Integer> memoryOffsets = new IdentityHashMap<>();
    private final Set<Variable> scalarReplaced;
    private int memorySize;
    /** The slot that holds the address of the first variadic argument, or -1 in a function without '...'. */
    private int variadicArgumentsSlot = -1;

    /** @param scalarReplaced the struct locals that get one slot per scalar member */
    FrameLayout(ValueKind returnKind, Set<Variable> scalarReplaced) {
        this.scalarReplaced = scalarReplaced;
        int frameBase = descriptor.addSlot(FrameSlotKind.Int, "frame base", null);
        int returnValue = addZeroedSlot(returnKind == ValueKind.LONG, "return value");
        int budget = descriptor.addSlot(FrameSlotKind.Int, "budget", null);
        int budgetRest = descriptor.addSlot(FrameSlotKind.Long, "budget rest", null);
        assert frameBase == KpcFunctionRootNode.FRAME_BASE_SLOT && returnValue == KpcFunctionRootNode.RETURN_SLOT
                        && budget == KpcFunctionRootNode.BUDGET_SLOT && budgetRest == KpcFunctionRootNode.BUDGET_REST_SLOT;
    }

    /** Returns whether a local lives in a frame slot, which is so for a scalar whose address is never taken. */
    static boolean isFrameResident(Variable variable) {
        CType type = variable.type();
        return (type.isArithmetic() || type instanceof PointerType) && !variable.isAddressTaken();
    }

    /** Gives a parameter its slot or memory offset. The function's entry stores the argument there. */
    void declareParameter(Variable parameter) {
        if (isFrameResident(parameter)) {
            slots.put(parameter, addTemporarySlot(ValueKind.of(parameter.type()) == ValueKind.LONG, parameter.name()));
        } else {
            CType type = parameter.type();
            memoryOffsets.put(parameter, allocateMemory(type.size(), type.align()));
        }
    }

    /** Gives a local its slot, its member slots or its memory offset. */
    void declareLocal(Variable local) {
        if (isFrameResident(local)) {
            slots.put(local, addZeroedSlot(ValueKind.of(local.type()) == ValueKind.LONG, local.name()));
        } else if (scalarReplaced.contains(local)) {
            Map<Integer, Integer> byOffset = new HashMap<>();
            for (ScalarReplacement.ScalarMember member : ScalarReplacement.scalarMembers((StructType) local.type())) {
                boolean isLong = ValueKind.of(member.type()) == ValueKind.LONG;
                byOffset.put(member.offset(), addZeroedSlot(isLong, local.name() + member.path()));
            }
            memberSlots.put(local, byOffset);
        } else {
            CType type = local.type();
            memoryOffsets.put(local, allocateMemory(type.size(), type.align()));
        }
    }

    /**
     * Adds a slot that the function sets to 0 on entry. A local's slot needs it even though its
     * definition stores a value, because a {@code switch} can jump past the definition into the
     * variable's scope. C leaves the value unspecified there, but Truffle rejects the read of a
     * slot that was never written.
     */
    private int addZeroedSlot(boolean isLong, String name) {
        int slot = addTemporarySlot(isLong, name);
        (isLong ? zeroedLongSlots : zeroedIntSlots).add(slot);
        return slot;
    }

    /** Adds a slot that every path writes before it reads it, so the function does not zero it on entry. */
    int addTemporarySlot(boolean isLong, String name) {
        return descriptor.addSlot(isLong ? FrameSlotKind.Long : FrameSlotKind.Int, name, null);
    }

    /** Adds the slot that the entry of a variadic function sets to the address of its first variadic argument. */
    void declareVariadicArguments() {
        variadicArgumentsSlot = addTemporarySlot(false, "variadic arguments");
    }

    /** Returns the slot of {@link #declareVariadicArguments}, or -1 in a function without '...'. */
    int variadicArgumentsSlot() {
        return variadicArgumentsSlot;
    }

    /** Reserves {@code size} bytes of the memory frame and returns their offset from the frame base. */
    int allocateMemory(int size, int align) {
        int offset = placeInMemoryFrame(memorySize, align);
        memorySize = endInMemoryFrame(offset, size);
        return offset;
    }

    /**
     * The size at which a memory frame stops growing. It is larger than any plugin stack
     * (kpc.StackSize is at most 64 MiB), so a function whose locals reach it faults with a stack
     * overflow at its call in every tier, before it touches a local. Without the cap, locals
     * that add up past 2^31 bytes would wrap the frame size and defeat the stack check.
     */
    public static final int MAX_MEMORY_FRAME_BYTES = 1 << 30;

    /** Returns the offset of the next object aligned to {@code align} in a frame of {@code memorySize} bytes, capped. */
    public static int placeInMemoryFrame(int memorySize, int align) {
        return Math.min(StructType.alignUp(memorySize, Math.max(1, align)), MAX_MEMORY_FRAME_BYTES);
    }

    /** Returns the frame size after an object of {@code size} bytes at {@code offset}, capped. */
    public static int endInMemoryFrame(int offset, int size) {
        return (int) Math.min((long) offset + Math.max(size, 0), MAX_MEMORY_FRAME_BYTES);
    }

    /** Returns the frame slot of a local, or null when it lives in plugin memory. */
    Integer slotOf(Variable variable) {
        return slots.get(variable);
    }

    /** Returns whether a struct local lives in one frame slot per scalar member. */
    boolean isScalarReplaced(Variable variable) {
        return memberSlots.containsKey(variable);
    }

    /** Returns the slot of the scalar member at byte {@code offset} of a scalar-replaced struct local. */
    int memberSlotOf(Variable variable, int offset) {
        Integer slot = memberSlots.get(variable).get(offset);
        if (slot == null) {
            throw new IllegalStateException("local '" + variable.name() + "' has no scalar member at offset " + offset);
        }
        return slot;
    }

    /** Returns the slot of each scalar member by byte offset, for a scalar-replaced struct local. */
    Map<Integer, Integer> memberSlotsOf(Variable variable) {
        return memberSlots.get(variable);
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

    /** Returns the Int slots to zero on entry: the return value and the locals' slots. */
    int[] zeroedIntSlots() {
        return zeroedIntSlots.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Returns the Long slots to zero on entry: the return value and the locals' slots. */
    int[] zeroedLongSlots() {
        return zeroedLongSlots.stream().mapToInt(Integer::intValue).toArray();
    }

}
