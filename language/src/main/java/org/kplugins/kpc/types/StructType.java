// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

import java.util.List;

/**
 * A struct or union with C layout. A struct's members are in declaration order, each at the next
 * offset aligned to its alignment. A union's members all start at offset 0, and its size is that
 * of its largest member. Either way the alignment is the largest member alignment and the size is
 * rounded up to it, as the i386 System V ABI lays them out. A type declared but not yet defined
 * is incomplete until {@link #complete} is called, so self-referencing types work.
 */
public final class StructType extends CType {

    /** A member and its byte offset from the start of the struct. */
    public record Member(String name, CType type, int offset) {
    }

    private final String tag;
    private final boolean union;
    private final StructType definition;
    private List<Member> members;
    private int size;
    private int align = 1;

    /** Creates an incomplete struct; {@code tag} is null for an anonymous struct. */
    public StructType(String tag) {
        this(tag, false);
    }

    /** Creates an incomplete struct or union; {@code tag} is null for an anonymous one. */
    public StructType(String tag, boolean union) {
        super(false);
        this.tag = tag;
        this.union = union;
        this.definition = null;
    }

    private StructType(StructType definition, boolean isConst) {
        super(isConst);
        this.tag = definition.tag;
        this.union = definition.union;
        this.definition = definition;
    }

    private StructType def() {
        return definition == null ? this : definition;
    }

    /** Lays out the members; names must be unique (the parser checks). */
    public void complete(List<String> names, List<CType> types) {
        StructType d = def();
        List<Member> laidOut = new java.util.ArrayList<>();
        int offset = 0;
        int maxAlign = 1;
        for (int i = 0; i < names.size(); i++) {
            CType t = types.get(i);
            if (union) {
                laidOut.add(new Member(names.get(i), t, 0));
                offset = Math.max(offset, t.size());
            } else {
                offset = alignUp(offset, t.align());
                laidOut.add(new Member(names.get(i), t, offset));
                offset += t.size();
            }
            maxAlign = Math.max(maxAlign, t.align());
        }
        d.align = maxAlign;
        d.size = alignUp(offset, maxAlign);
        d.members = List.copyOf(laidOut);
    }

    public static int alignUp(int value, int align) {
        return (value + align - 1) / align * align;
    }

    public String tag() {
        return def().tag;
    }

    /** Whether this is a union: every member at offset 0. */
    public boolean isUnion() {
        return union;
    }

    /** Returns {@code "struct"} or {@code "union"}, the keyword that declares this type. */
    public String keyword() {
        return union ? "union" : "struct";
    }

    public boolean isDefined() {
        return def().members != null;
    }

    /** The members, or an empty list while the struct is incomplete. */
    public List<Member> members() {
        List<Member> m = def().members;
        return m == null ? List.of() : m;
    }

    /** Returns the member named {@code name}, or null. */
    public Member member(String name) {
        for (Member m : members()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    @Override
    public int size() {
        return def().size;
    }

    @Override
    public int align() {
        return def().align;
    }

    @Override
    public CType withConst(boolean constQualified) {
        if (constQualified == isConst()) {
            return this;
        }
        return constQualified ? new StructType(def(), true) : def();
    }

    @Override
    public boolean sameAs(CType other) {
        return other instanceof StructType o && o.def() == def();
    }

    @Override
    public String spelling() {
        String base = keyword() + " " + (tag() == null ? "<anonymous>" : tag());
        return isConst() ? "const " + base : base;
    }
}
