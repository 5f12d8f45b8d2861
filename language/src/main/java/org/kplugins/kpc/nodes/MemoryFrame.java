// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.StructType;

/**
 * The storage that the Truffle tier gives each parameter and local of one function, for tiers that
 * must put the same objects at the same plugin-stack addresses. A scalar whose address is never taken has
 * no address ({@link Storage#SCALAR}); a struct local that {@link ScalarReplacement} accepts has
 * none either and is a set of scalar members ({@link Storage#SCALAR_MEMBERS}); every other object
 * has an offset from the function's frame base in plugin memory ({@link Storage#MEMORY}). The
 * offsets and the frame size follow the rules of {@link FrameLayout}, so both tiers place the
 * memory frame identically.
 */
public final class MemoryFrame {

    /** The storage of a variable. */
    public enum Storage {
        /** An integer or pointer without an address: a frame slot or a register. */
        SCALAR,
        /** A struct local replaced by one scalar per member, see {@link #scalarMembers}. */
        SCALAR_MEMBERS,
        /** An object in the function's frame in plugin memory, at {@link #offsetOf}. */
        MEMORY
    }

    /** A scalar member of a replaced struct local: its byte offset in the outermost struct and its type. */
    public record ScalarMember(int offset, CType type) {
    }

    private final Map<Variable, Integer> memoryOffsets = new IdentityHashMap<>();
    private final Set<Variable> scalarReplaced;
    private int memorySize;

    private MemoryFrame(Set<Variable> scalarReplaced) {
        this.scalarReplaced = scalarReplaced;
    }

    /** Plans the frame of a defined function: its parameters first, then its locals in declaration order. */
    public static MemoryFrame of(Function function) {
        MemoryFrame frame = new MemoryFrame(ScalarReplacement.replaceableLocals(function));
        for (Variable parameter : function.parameters()) {
            if (!FrameLayout.isFrameResident(parameter)) {
                frame.allocate(parameter);
            }
        }
        for (Variable local : function.locals()) {
            if (!FrameLayout.isFrameResident(local) && !frame.scalarReplaced.contains(local)) {
                frame.allocate(local);
            }
        }
        return frame;
    }

    /** Reserves the variable's bytes at the next offset aligned to its type, as {@link FrameLayout#allocateMemory} does. */
    private void allocate(Variable variable) {
        CType type = variable.type();
        int offset = FrameLayout.placeInMemoryFrame(memorySize, type.align());
        memorySize = FrameLayout.endInMemoryFrame(offset, type.size());
        memoryOffsets.put(variable, offset);
    }

    /** Returns how a parameter or local of the function is stored. */
    public Storage storage(Variable variable) {
        if (memoryOffsets.containsKey(variable)) {
            return Storage.MEMORY;
        }
        return scalarReplaced.contains(variable) ? Storage.SCALAR_MEMBERS : Storage.SCALAR;
    }

    /**
     * Returns the offset of a {@link Storage#MEMORY} variable from the frame base.
     *
     * @throws IllegalArgumentException if the variable has no place in the memory frame
     */
    public int offsetOf(Variable variable) {
        Integer offset = memoryOffsets.get(variable);
        if (offset == null) {
            throw new IllegalArgumentException("'" + variable.name() + "' is not in the memory frame: it is stored as "
                            + storage(variable));
        }
        return offset;
    }

    /** Returns the scalar members of a {@link Storage#SCALAR_MEMBERS} struct local, in offset order. */
    public List<ScalarMember> scalarMembers(Variable variable) {
        return ScalarReplacement.scalarMembers((StructType) variable.type()).stream()
                        .map(member -> new ScalarMember(member.offset(), member.type())).toList();
    }

    /** Bytes the function takes on the plugin stack: the memory frame, 16-byte aligned, and the linkage. */
    public int stackFrameSize() {
        return StructType.alignUp(memorySize, 16) + KpcFunctionRootNode.LINKAGE_BYTES;
    }

    /**
     * Returns the variable at the root of a member access chain {@code v.a.b}, or null when the
     * chain starts at something else, such as {@code p->a}.
     */
    public static Variable chainRoot(Expr.MemberAccess access) {
        return ScalarReplacement.chainRoot(access);
    }

    /** Returns the byte offset of the member that a chain {@code v.a.b} designates, from the start of v. */
    public static int chainOffset(Expr.MemberAccess access) {
        return ScalarReplacement.chainOffset(access);
    }
}
