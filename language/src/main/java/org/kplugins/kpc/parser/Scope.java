// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import java.util.HashMap;
import java.util.Map;

import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.StructType;

/**
 * One C scope: the file scope, a function's parameters and body, or an inner block. It holds the
 * two name spaces the parser needs. Ordinary identifiers map to a {@link org.kplugins.kpc.ast.Variable},
 * {@link org.kplugins.kpc.ast.Function}, {@link TypedefName} or {@link EnumConstant}. Tags map to a
 * {@link StructType} or an {@link EnumTag}.
 */
final class Scope {

    /** A typedef: the name stands for {@code type}. */
    record TypedefName(CType type, SourceLocation location) {
    }

    /** An enumeration constant, an int. */
    record EnumConstant(long value, SourceLocation location) {
    }

    /** The tag of an enum; the enum type itself is int. */
    record EnumTag(String tag, SourceLocation location) {
    }

    private final Scope parent;
    private final Map<String, Object> ordinary = new HashMap<>();
    private final Map<String, Object> tags = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    Scope parent() {
        return parent;
    }

    boolean isFileScope() {
        return parent == null;
    }

    /** Returns the innermost declaration of {@code name}, or null. */
    Object lookup(String name) {
        for (Scope scope = this; scope != null; scope = scope.parent) {
            Object found = scope.ordinary.get(name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Returns the declaration of {@code name} in this scope only, or null. */
    Object lookupLocal(String name) {
        return ordinary.get(name);
    }

    void declare(String name, Object entity) {
        ordinary.put(name, entity);
    }

    Object lookupTag(String tag) {
        for (Scope scope = this; scope != null; scope = scope.parent) {
            Object found = scope.tags.get(tag);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    Object lookupTagLocal(String tag) {
        return tags.get(tag);
    }

    void declareTag(String tag, Object entity) {
        tags.put(tag, entity);
    }
}
