// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.InitItem;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;

/**
 * Finds the struct locals of a function that can live in frame slots, one slot per scalar member,
 * instead of in the memory frame. Such a local is only ever used member by member: every use is a
 * chain of member accesses ({@code s.a.b}) that ends at an arithmetic or pointer member, and no use
 * takes an address ({@code &s}, {@code &s.a}), designates the struct or a nested struct as a whole
 * (assignment, initialization from a struct value, conditional operands) or decays an
 * array member. Its struct type, including nested structs, must have no array members.
 */
final class ScalarReplacement {

    /**
     * The maximum number of scalar members of a replaced struct. Each member costs a frame slot
     * that every call zeroes on entry, so a larger struct stays in memory.
     *
     * <p>NOTE: 32 is an estimate, not a measured break-even point.
     */
    static final int MAX_SCALAR_MEMBERS = 32;

    /** A scalar member of a struct, nested members included: its byte offset in the outermost struct. */
    record ScalarMember(int offset, CType type, String path) {
    }

    private final Set<Variable> candidates = Collections.newSetFromMap(new IdentityHashMap<>());

    private ScalarReplacement() {
    }

    /** Returns the struct locals of {@code function} that can be replaced by one frame slot per scalar member. */
    static Set<Variable> replaceableLocals(Function function) {
        ScalarReplacement analysis = new ScalarReplacement();
        for (Variable local : function.locals()) {
            if (isReplaceableType(local.type()) && !local.isAddressTaken()) {
                analysis.candidates.add(local);
            }
        }
        if (!analysis.candidates.isEmpty()) {
            analysis.scanStatement(function.body());
        }
        return analysis.candidates;
    }

    /** Returns the scalar members of {@code struct} in offset order, descending into nested structs. */
    static List<ScalarMember> scalarMembers(StructType struct) {
        List<ScalarMember> members = new ArrayList<>();
        addScalarMembers(struct, 0, "", members);
        return members;
    }

    private static void addScalarMembers(StructType struct, int base, String prefix, List<ScalarMember> out) {
        for (StructType.Member member : struct.members()) {
            String path = prefix + "." + member.name();
            if (member.type() instanceof StructType nested) {
                addScalarMembers(nested, base + member.offset(), path, out);
            } else {
                out.add(new ScalarMember(base + member.offset(), member.type(), path));
            }
        }
    }

    private static boolean isReplaceableType(CType type) {
        if (!(type instanceof StructType struct) || !struct.isDefined()) {
            return false;
        }
        if (sharesStorage(struct)) {
            return false;
        }
        List<ScalarMember> members = scalarMembers(struct);
        if (members.size() > MAX_SCALAR_MEMBERS) {
            return false;
        }
        for (ScalarMember member : members) {
            if (!isScalar(member.type())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code struct} is a union, has bit-fields, or has such a struct inside: members that
     * share bytes cannot each have their own slot.
     */
    private static boolean sharesStorage(StructType struct) {
        if (struct.isUnion()) {
            return true;
        }
        for (StructType.Member member : struct.members()) {
            if (member.isBitField() || member.type() instanceof StructType nested && sharesStorage(nested)) {
                return true;
            }
        }
        return false;
    }

    static boolean isScalar(CType type) {
        return type.isArithmetic() || type instanceof PointerType;
    }

    /**
     * Returns the variable at the root of a member access chain {@code v.a.b}, or null when the
     * chain starts at something else, such as {@code p->a}.
     */
    static Variable chainRoot(Expr.MemberAccess access) {
        Expr base = access.struct();
        while (base instanceof Expr.MemberAccess inner) {
            base = inner.struct();
        }
        return base instanceof Expr.VariableRef ref ? ref.variable() : null;
    }

    /** Returns the byte offset of the member that a chain {@code v.a.b} designates, from the start of v. */
    static int chainOffset(Expr.MemberAccess access) {
        int offset = access.member().offset();
        Expr base = access.struct();
        while (base instanceof Expr.MemberAccess inner) {
            offset += inner.member().offset();
            base = inner.struct();
        }
        return offset;
    }

    private void scanStatement(Stmt statement) {
        AstParts.visitParts(statement, this::scanStatement, this::scan, this::scanDeclaration);
    }

    /**
     * Scans a definition's initializer. A struct local stays in memory when an item copies a whole
     * struct into it.
     */
    private void scanDeclaration(Variable variable) {
        List<InitItem> items = variable.initializer();
        if (items == null) {
            return;
        }
        for (InitItem item : items) {
            if (!isScalar(item.type())) {
                candidates.remove(variable);
            }
            scan(item.value());
        }
    }

    /** Removes from the candidates every variable that {@code e} uses other than through a scalar member. */
    private void scan(Expr e) {
        switch (e) {
            case Expr.VariableRef v -> candidates.remove(v.variable());
            case Expr.MemberAccess m -> scanMemberAccess(m);
            case Expr.AddressOf a -> {
                if (a.operand() instanceof Expr.MemberAccess m) {
                    candidates.remove(chainRoot(m));
                }
                scan(a.operand());
            }
            case Expr.CompoundLiteral c -> scanDeclaration(c.variable());
            default -> AstParts.forEachSubexpression(e, this::scan);
        }
    }

    /**
     * Scans a member access. A chain {@code v.a.b} that ends at a scalar member is a use that
     * scalar replacement keeps. A chain that ends at a struct or array member designates an object
     * in v's memory, so v stays there.
     */
    private void scanMemberAccess(Expr.MemberAccess access) {
        Expr base = access.struct();
        while (base instanceof Expr.MemberAccess inner) {
            base = inner.struct();
        }
        if (base instanceof Expr.VariableRef ref) {
            if (!isScalar(access.type())) {
                candidates.remove(ref.variable());
            }
        } else {
            scan(base);
        }
    }
}
