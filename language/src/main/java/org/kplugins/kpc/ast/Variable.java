// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.ast;

import java.util.List;

import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.types.CType;

/**
 * A variable: a global, a local or a parameter. Identity matters: every {@link Expr.VariableRef}
 * to the same declaration points to the same object.
 */
public final class Variable {

    public enum Storage {
        /**
         * Static storage duration: a file-scope variable, or a block-scope one declared
         * {@code static}, which the parser lists with the globals.
         */
        GLOBAL,
        /** Block scope, automatic storage duration. */
        LOCAL,
        PARAMETER
    }

    private final String name;
    private CType type;
    private final Storage storage;
    private final boolean isStatic;
    private final SourceLocation location;
    private List<InitItem> initializer;
    private boolean addressTaken;
    private boolean defined;

    public Variable(String name, CType type, Storage storage, boolean isStatic, SourceLocation location) {
        this.name = name;
        this.type = type;
        this.storage = storage;
        this.isStatic = isStatic;
        this.location = location;
    }

    public String name() {
        return name;
    }

    public CType type() {
        return type;
    }

    /** Completes an incomplete array type from its initializer ({@code int a[] = {1, 2}}). */
    public void setType(CType type) {
        this.type = type;
    }

    public Storage storage() {
        return storage;
    }

    /** For globals: declared {@code static}, so not visible to the host. */
    public boolean isStatic() {
        return isStatic;
    }

    public SourceLocation location() {
        return location;
    }

    /** The initializer items, or null when the declaration has no initializer. */
    public List<InitItem> initializer() {
        return initializer;
    }

    public void setInitializer(List<InitItem> initializer) {
        this.initializer = initializer;
    }

    /**
     * Whether the program takes the variable's address. Such variables, and every array and struct,
     * live in plugin memory; other locals may live in Truffle frame slots.
     */
    public boolean isAddressTaken() {
        return addressTaken;
    }

    public void markAddressTaken() {
        this.addressTaken = true;
    }

    /** For globals: whether a definition (not only {@code extern} declarations) was seen. */
    public boolean isDefined() {
        return defined;
    }

    public void markDefined() {
        this.defined = true;
    }

    /** Whether a global belongs in read-only memory: its type, or its element type, is const. */
    public boolean isReadOnly() {
        CType t = type;
        while (t instanceof org.kplugins.kpc.types.ArrayType a) {
            t = a.element();
        }
        return t.isConst();
    }

    @Override
    public String toString() {
        return name;
    }
}
