// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.ast;

import java.util.ArrayList;
import java.util.List;

import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.types.FunctionType;

/**
 * A function: defined in the plugin, or only declared, in which case it is an import that linking
 * resolves against the host's exports. Every {@link Expr.Call} to the same name points to the same
 * object.
 */
public final class Function {
    private final String name;
    private FunctionType type;
    private final boolean isStatic;
    private SourceLocation location;
    private List<Variable> parameters = List.of();
    private Stmt.Block body;
    private final List<Variable> locals = new ArrayList<>();
    private boolean addressTaken;

    public Function(String name, FunctionType type, boolean isStatic, SourceLocation location) {
        this.name = name;
        this.type = type;
        this.isStatic = isStatic;
        this.location = location;
    }

    public String name() {
        return name;
    }

    public FunctionType type() {
        return type;
    }

    public void setType(FunctionType type) {
        this.type = type;
    }

    /** Declared {@code static}: private to the plugin, not exported to the host. */
    public boolean isStatic() {
        return isStatic;
    }

    /** The location of the first declaration, or of the definition once one is seen. */
    public SourceLocation location() {
        return location;
    }

    /** Moves {@link #location()} to the definition; the parser calls it when it reads the body. */
    public void setLocation(SourceLocation location) {
        this.location = location;
    }

    public List<Variable> parameters() {
        return parameters;
    }

    /** The body, or null for a function that is only declared (a host import). */
    public Stmt.Block body() {
        return body;
    }

    public boolean isDefined() {
        return body != null;
    }

    /** Sets the definition: parameters in order and the body. */
    public void define(List<Variable> parameters, Stmt.Block body) {
        this.parameters = List.copyOf(parameters);
        this.body = body;
    }

    /**
     * Whether the program takes the function's address, explicitly or by using its name as a
     * value. Only such functions get an entry in the plugin's function pointer table.
     */
    public boolean isAddressTaken() {
        return addressTaken;
    }

    public void markAddressTaken() {
        this.addressTaken = true;
    }

    /** Every local variable of the body, in declaration order, including those of inner blocks. */
    public List<Variable> locals() {
        return locals;
    }

    @Override
    public String toString() {
        return name;
    }
}
