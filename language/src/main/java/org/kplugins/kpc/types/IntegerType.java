// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

/**
 * An integer type: _Bool, char, short, int, long or long long, signed or unsigned. Enum types are
 * int. Values of types up to 32 bits are carried as Java {@code int}, normalized to the type's
 * range (an unsigned char holds 0..255), and long long as Java {@code long}.
 */
public final class IntegerType extends CType {

    /** The integer ranks of C, lowest first. */
    public enum Rank {
        BOOL(1, "_Bool"),
        CHAR(1, "char"),
        SHORT(2, "short"),
        INT(4, "int"),
        LONG(4, "long"),
        LONG_LONG(8, "long long");

        public final int size;
        final String keyword;

        Rank(int size, String keyword) {
            this.size = size;
            this.keyword = keyword;
        }
    }

    public static final IntegerType BOOL = new IntegerType(Rank.BOOL, false, false, false);
    /** Plain char: signed, but a distinct type from signed char as C requires. */
    public static final IntegerType CHAR = new IntegerType(Rank.CHAR, true, true, false);
    public static final IntegerType SCHAR = new IntegerType(Rank.CHAR, true, false, false);
    public static final IntegerType UCHAR = new IntegerType(Rank.CHAR, false, false, false);
    public static final IntegerType SHORT = new IntegerType(Rank.SHORT, true, false, false);
    public static final IntegerType USHORT = new IntegerType(Rank.SHORT, false, false, false);
    public static final IntegerType INT = new IntegerType(Rank.INT, true, false, false);
    public static final IntegerType UINT = new IntegerType(Rank.INT, false, false, false);
    public static final IntegerType LONG = new IntegerType(Rank.LONG, true, false, false);
    public static final IntegerType ULONG = new IntegerType(Rank.LONG, false, false, false);
    public static final IntegerType LLONG = new IntegerType(Rank.LONG_LONG, true, false, false);
    public static final IntegerType ULLONG = new IntegerType(Rank.LONG_LONG, false, false, false);

    private final Rank rank;
    private final boolean signed;
    private final boolean plainChar;

    private IntegerType(Rank rank, boolean signed, boolean plainChar, boolean isConst) {
        super(isConst);
        this.rank = rank;
        this.signed = signed;
        this.plainChar = plainChar;
    }

    public Rank rank() {
        return rank;
    }

    public boolean isSigned() {
        return signed;
    }

    public boolean isBool() {
        return rank == Rank.BOOL;
    }

    /** Whether values are carried as Java long (long long types). */
    public boolean is64Bit() {
        return rank == Rank.LONG_LONG;
    }

    @Override
    public int size() {
        return rank.size;
    }

    @Override
    public int align() {
        return rank.size;
    }

    @Override
    public CType withConst(boolean constQualified) {
        return constQualified == isConst() ? this : new IntegerType(rank, signed, plainChar, constQualified);
    }

    @Override
    public boolean sameAs(CType other) {
        return other instanceof IntegerType o && o.rank == rank && o.signed == signed && o.plainChar == plainChar;
    }

    @Override
    public String spelling() {
        String base;
        if (rank == Rank.BOOL) {
            base = "_Bool";
        } else if (plainChar) {
            base = "char";
        } else {
            base = (signed ? (rank == Rank.CHAR ? "signed " : "") : "unsigned ") + rank.keyword;
        }
        return isConst() ? "const " + base : base;
    }
}
