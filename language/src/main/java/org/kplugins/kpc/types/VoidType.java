// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

/** The type void. */
public final class VoidType extends CType {
    public static final VoidType VOID = new VoidType(false);
    public static final VoidType CONST_VOID = new VoidType(true);

    private VoidType(boolean isConst) {
        super(isConst);
    }

    @Override
    public int size() {
        return 0;
    }

    @Override
    public int align() {
        return 1;
    }

    @Override
    public CType withConst(boolean constQualified) {
        return constQualified ? CONST_VOID : VOID;
    }

    @Override
    public boolean sameAs(CType other) {
        return other instanceof VoidType;
    }

    @Override
    public String spelling() {
        return isConst() ? "const void" : "void";
    }
}
