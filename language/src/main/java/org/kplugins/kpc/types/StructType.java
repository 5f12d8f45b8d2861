// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

import java.util.List;

/**
 * A struct or union with C layout. A struct's members are in declaration order, each at the next
 * offset aligned to its alignment. A union's members all start at offset 0, and its size is that
 * of its largest member. In both cases the alignment is the largest member alignment and the size is
 * rounded up to it, as the i386 System V ABI lays them out. A type declared but not yet defined
 * is incomplete until {@link #complete} is called, so self-referencing types work.
 */
public final class StructType extends CType {

    /**
     * A member and its byte offset from the start of the struct. For a bit-field, {@code type} is
     * the declared type, {@code offset} the start of the storage unit (a naturally aligned object of
     * that type) that contains the bits, and {@code bitField} says which bits; it is null otherwise.
     */
    public record Member(String name, CType type, int offset, BitField bitField) {

        public Member(String name, CType type, int offset) {
            this(name, type, offset, null);
        }

        public boolean isBitField() {
            return bitField != null;
        }
    }

    /**
     * The position of a bit-field's bits in its storage unit: {@code width} bits from bit
     * {@code bitOffset}, counted from the unit's least significant bit. The unit is
     * {@code unitSize} bytes, the size of the declared type, read little-endian.
     */
    public record BitField(int bitOffset, int width, int unitSize, boolean signed) {
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
        complete(names, types, java.util.Collections.nCopies(names.size(), null));
    }

    /**
     * Lays out members some of which are bit-fields, as gcc does for i386 System V:
     * {@code widths} contains each member's width in bits, or null for an ordinary member. A
     * bit-field goes at the next free bit unless it would cross a boundary of its declared type's
     * size, in which case it starts at that boundary. A zero-width bit-field moves the next member
     * to such a boundary. A named bit-field aligns the struct as its type does; an unnamed one
     * (null name) takes its bits but is not a member and does not align the struct. Names must be
     * unique (the parser checks).
     */
    public void complete(List<String> names, List<CType> types, List<Integer> widths) {
        StructType d = def();
        List<Member> laidOut = new java.util.ArrayList<>();
        int offset = 0;
        int maxAlign = 1;
        // The next free bit, past the last bit-field; ordinary members start at the next byte.
        long bitPosition = 0;
        for (int i = 0; i < names.size(); i++) {
            CType t = types.get(i);
            Integer width = widths.get(i);
            if (width != null) {
                int unitBits = 8 * t.size();
                long start = union ? 0 : bitPosition;
                if (width == 0) {
                    start = (start + unitBits - 1) / unitBits * unitBits;
                } else if (start / unitBits != (start + width - 1) / unitBits) {
                    start = (start + unitBits - 1) / unitBits * unitBits;
                }
                if (names.get(i) != null) {
                    int unitOffset = (int) (start / unitBits * t.size());
                    boolean signed = t instanceof IntegerType integer && integer.isSigned();
                    laidOut.add(new Member(names.get(i), t, unitOffset,
                            new BitField((int) (start - 8L * unitOffset), width, t.size(), signed)));
                    maxAlign = Math.max(maxAlign, t.align());
                }
                long end = start + width;
                if (union) {
                    offset = Math.max(offset, (int) ((end + 7) / 8));
                } else {
                    bitPosition = end;
                    offset = (int) ((end + 7) / 8);
                }
                continue;
            }
            if (union) {
                laidOut.add(new Member(names.get(i), t, 0));
                offset = Math.max(offset, t.size());
            } else {
                offset = alignUp(offset, t.align());
                laidOut.add(new Member(names.get(i), t, offset));
                offset += t.size();
                bitPosition = 8L * offset;
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

    /** Returns whether this is a union, whose members all start at offset 0. */
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
