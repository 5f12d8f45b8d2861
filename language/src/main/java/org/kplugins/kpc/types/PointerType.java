// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

/** A pointer: a 32-bit address in the plugin's address space, carried as a Java int. */
public final class PointerType extends CType {
    private final CType pointee;

    public PointerType(CType pointee) {
        this(pointee, false);
    }

    private PointerType(CType pointee, boolean isConst) {
        super(isConst);
        this.pointee = pointee;
    }

    public CType pointee() {
        return pointee;
    }

    @Override
    public int size() {
        return 4;
    }

    @Override
    public int align() {
        return 4;
    }

    @Override
    public CType withConst(boolean constQualified) {
        return constQualified == isConst() ? this : new PointerType(pointee, constQualified);
    }

    @Override
    public boolean sameAs(CType other) {
        return other instanceof PointerType o && o.pointee.sameAs(pointee) && o.pointee.isConst() == pointee.isConst();
    }

    @Override
    public String spelling() {
        if (involvesFunction(pointee)) {
            return spellAround(this, "");
        }
        String inner = pointee instanceof FunctionType || pointee instanceof ArrayType
                ? pointee.spelling() + " (*)"
                : pointee.spelling() + (pointee instanceof PointerType && !pointee.isConst() ? "*" : " *");
        return isConst() ? inner + "const" : inner;
    }
}
