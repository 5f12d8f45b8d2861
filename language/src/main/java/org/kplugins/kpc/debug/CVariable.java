// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.debug;

import com.oracle.truffle.api.frame.Frame;
import java.util.Map;
import org.kplugins.kpc.nodes.KpcFunctionRootNode;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.StructType;

/**
 * A C variable as tools see it: its name, its type, where its value lives, and, for a local, the
 * source range in which its name is in scope.
 *
 * @param location     the frame slot ({@link Storage#SLOT}), the offset from the frame base
 *                     ({@link Storage#FRAME_MEMORY}) or the plugin address ({@link Storage#STATIC})
 * @param memberSlots  for {@link Storage#MEMBER_SLOTS}: the frame slot of each scalar member by its
 *                     byte offset in the struct; null otherwise
 * @param scopeStart   character offset in the source where the name comes into scope: the
 *                     declaration
 * @param scopeEnd     character offset where the scope ends: the end of the enclosing block
 */
public record CVariable(String name, CType type, Storage storage, int location, Map<Integer, Integer> memberSlots,
                int scopeStart, int scopeEnd) {

    /** The storage of a variable's value. */
    public enum Storage {
        /** A scalar in one Truffle frame slot. */
        SLOT,
        /** A struct local with one frame slot per scalar member. */
        MEMBER_SLOTS,
        /** An object in the function's frame in plugin memory, at an offset from the frame base. */
        FRAME_MEMORY,
        /** A global, at a fixed plugin address. */
        STATIC
    }

    public static CVariable inSlot(String name, CType type, int slot, int scopeStart, int scopeEnd) {
        return new CVariable(name, type, Storage.SLOT, slot, null, scopeStart, scopeEnd);
    }

    public static CVariable inMemberSlots(String name, StructType type, Map<Integer, Integer> memberSlots,
                    int scopeStart, int scopeEnd) {
        return new CVariable(name, type, Storage.MEMBER_SLOTS, -1, Map.copyOf(memberSlots), scopeStart, scopeEnd);
    }

    public static CVariable inFrameMemory(String name, CType type, int offset, int scopeStart, int scopeEnd) {
        return new CVariable(name, type, Storage.FRAME_MEMORY, offset, null, scopeStart, scopeEnd);
    }

    public static CVariable global(String name, CType type, int address) {
        return new CVariable(name, type, Storage.STATIC, address, null, 0, Integer.MAX_VALUE);
    }

    /** Returns whether the name is in scope at character offset {@code offset} of the source. */
    boolean isInScopeAt(int offset) {
        return scopeStart <= offset && offset < scopeEnd;
    }

    /**
     * Reads the variable's current value as an interop value (see {@link CValues}).
     *
     * @param frame    the frame of the function call, for locals; unused for globals
     * @param instance the plugin instance that the call runs in
     */
    Object read(Frame frame, PluginInstance instance) {
        return switch (storage) {
            case SLOT -> CValues.fromSlot(type, frame.getValue(location), instance.memory());
            case MEMBER_SLOTS -> new KpcStructView((StructType) type, frame, memberSlots, 0, instance.memory());
            case FRAME_MEMORY -> {
                Object base = frame.getValue(KpcFunctionRootNode.FRAME_BASE_SLOT);
                if (!(base instanceof Integer frameBase)) {
                    yield new UnreadableValue("the function's stack frame is not set up yet");
                }
                yield CValues.fromMemory(type, instance.memory(), frameBase + location);
            }
            case STATIC -> CValues.fromMemory(type, instance.memory(), location);
        };
    }
}
