// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

/**
 * An array of {@code length} elements. Length -1 marks an incomplete array ({@code int a[]}), which
 * an initializer or an extern declaration may complete.
 */
public final class ArrayType extends CType {
    private final CType element;
    private final int length;

    public ArrayType(CType element, int length) {
        super(false);
        this.element = element;
        this.length = length;
    }

    public CType element() {
        return element;
    }

    public int length() {
        return length;
    }

    @Override
    public int size() {
        return length < 0 ? 0 : element.size() * length;
    }

    @Override
    public int align() {
        return element.align();
    }

    /** An array is const when its elements are, as in C. */
    @Override
    public CType withConst(boolean constQualified) {
        return new ArrayType(element.withConst(constQualified), length);
    }

    @Override
    public boolean sameAs(CType other) {
        return other instanceof ArrayType o && o.element.sameAs(element)
                && (o.length == length || o.length < 0 || length < 0);
    }

    @Override
    public String spelling() {
        if (involvesFunction(element)) {
            return spellAround(this, "");
        }
        return element.spelling() + "[" + (length < 0 ? "" : length) + "]";
    }
}
