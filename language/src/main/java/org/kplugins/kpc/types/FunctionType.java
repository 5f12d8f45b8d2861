// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.types;

import java.util.List;

/** A function type: return type, parameter types (after array-to-pointer adjustment), variadic. */
public final class FunctionType extends CType {
    private final CType returnType;
    private final List<CType> parameterTypes;
    private final boolean variadic;

    public FunctionType(CType returnType, List<CType> parameterTypes, boolean variadic) {
        super(false);
        this.returnType = returnType;
        this.parameterTypes = List.copyOf(parameterTypes);
        this.variadic = variadic;
    }

    public CType returnType() {
        return returnType;
    }

    public List<CType> parameterTypes() {
        return parameterTypes;
    }

    public boolean isVariadic() {
        return variadic;
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
        return this;
    }

    @Override
    public boolean sameAs(CType other) {
        if (!(other instanceof FunctionType o) || o.variadic != variadic || !o.returnType.sameAs(returnType)
                || o.parameterTypes.size() != parameterTypes.size()) {
            return false;
        }
        for (int i = 0; i < parameterTypes.size(); i++) {
            if (!o.parameterTypes.get(i).unqualified().sameAs(parameterTypes.get(i).unqualified())) {
                return false;
            }
        }
        return true;
    }

    /** Returns the C prototype with {@code name}, e.g. {@code int printk(const char *, ...)}. */
    public String prototype(String name) {
        return spellAround(returnType, name + parameterList());
    }

    /** Returns the parameter list in parentheses, e.g. {@code (const char *, ...)} or {@code (void)}. */
    String parameterList() {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < parameterTypes.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(parameterTypes.get(i).spelling());
        }
        if (variadic) {
            out.append(parameterTypes.isEmpty() ? "..." : ", ...");
        } else if (parameterTypes.isEmpty()) {
            out.append("void");
        }
        return out.append(')').toString();
    }

    @Override
    public String spelling() {
        return prototype("");
    }
}
