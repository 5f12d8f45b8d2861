// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.debug;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.Frame;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import java.util.Map;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.runtime.KpcMemberNames;
import org.kplugins.kpc.types.StructType;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * A struct variable as tools see it: an object whose members are the struct's members, read when
 * a tool requests them. The struct lives in plugin memory at {@code address}, or, for a local that
 * the builder scalar-replaced, in one frame slot per scalar member.
 */
@ExportLibrary(InteropLibrary.class)
final class KpcStructView implements TruffleObject {

    private final StructType type;
    private final AddressSpace memory;
    private final int address;
    /** The frame that contains the member slots, or null for a struct in memory. */
    private final Frame frame;
    /** The frame slot of each scalar member by its offset in the outermost struct, or null. */
    private final Map<Integer, Integer> memberSlots;
    /** Offset of this struct in the outermost struct whose members have slots. */
    private final int slotBase;

    /** A struct in plugin memory. */
    KpcStructView(StructType type, AddressSpace memory, int address) {
        this(type, memory, address, null, null, 0);
    }

    /** A struct local with one frame slot per scalar member; {@code slotBase} is its offset in that local. */
    KpcStructView(StructType type, Frame frame, Map<Integer, Integer> memberSlots, int slotBase, AddressSpace memory) {
        this(type, memory, 0, frame, memberSlots, slotBase);
    }

    private KpcStructView(StructType type, AddressSpace memory, int address, Frame frame,
                    Map<Integer, Integer> memberSlots, int slotBase) {
        this.type = type;
        this.memory = memory;
        this.address = address;
        this.frame = frame;
        this.memberSlots = memberSlots;
        this.slotBase = slotBase;
    }

    @ExportMessage
    boolean hasMembers() {
        return true;
    }

    @ExportMessage
    @TruffleBoundary
    Object getMembers(@SuppressWarnings("unused") boolean includeInternal) {
        return new KpcMemberNames(type.members().stream().map(StructType.Member::name).toList());
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberReadable(String name) {
        return type.member(name) != null;
    }

    @ExportMessage
    @TruffleBoundary
    Object readMember(String name) throws UnknownIdentifierException {
        StructType.Member member = type.member(name);
        if (member == null) {
            throw UnknownIdentifierException.create(name);
        }
        return read(member);
    }

    private Object read(StructType.Member member) {
        if (memberSlots == null) {
            return CValues.fromMemory(member.type(), memory, address + member.offset());
        }
        int offset = slotBase + member.offset();
        if (member.type() instanceof StructType nested) {
            return new KpcStructView(nested, frame, memberSlots, offset, memory);
        }
        Integer slot = memberSlots.get(offset);
        if (slot == null) {
            return new UnreadableValue("member '" + member.name() + "' has no frame slot");
        }
        return CValues.fromSlot(member.type(), frame.getValue(slot), memory);
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<KpcLanguage> getLanguage() {
        return KpcLanguage.class;
    }

    /** Returns the members as gdb prints a struct: {@code {x = 1, y = 2}}. */
    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        StringBuilder text = new StringBuilder("{");
        for (StructType.Member member : type.members()) {
            if (text.length() > 1) {
                text.append(", ");
            }
            Object value = read(member);
            text.append(member.name()).append(" = ")
                            .append(InteropLibrary.getUncached().toDisplayString(value, allowSideEffects));
        }
        return text.append('}').toString();
    }
}
