// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

/**
 * A real floating type: float (IEEE 754 binary32) or double (binary64). Every operation rounds to
 * the type, as SSE arithmetic does, so no value carries excess precision. Like long long, double
 * is aligned to 8 bytes everywhere ({@code gcc -m32 -malign-double}). KPC has no long double.
 */
public final class FloatingType extends CType {

    public static final FloatingType FLOAT = new FloatingType(4, "float", false);
    public static final FloatingType DOUBLE = new FloatingType(8, "double", false);

    private final int size;
    private final String keyword;

    private FloatingType(int size, String keyword, boolean isConst) {
        super(isConst);
        this.size = size;
        this.keyword = keyword;
    }

    /** Returns whether this is double; otherwise it is float. */
    public boolean isDouble() {
        return size == 8;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int align() {
        return size;
    }

    @Override
    public CType withConst(boolean constQualified) {
        if (constQualified == isConst()) {
            return this;
        }
        return constQualified ? new FloatingType(size, keyword, true) : (isDouble() ? DOUBLE : FLOAT);
    }

    @Override
    public boolean sameAs(CType other) {
        return other instanceof FloatingType o && o.size == size;
    }

    @Override
    public String spelling() {
        return isConst() ? "const " + keyword : keyword;
    }
}
