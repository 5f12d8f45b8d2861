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
        switch (statement) {
            case Stmt.Block b -> b.statements().forEach(this::scanStatement);
            case Stmt.ExprStmt e -> scan(e.expression());
            case Stmt.Declaration d -> scanDeclaration(d.variable());
            case Stmt.If i -> {
                scan(i.condition());
                scanStatement(i.thenBranch());
                if (i.elseBranch() != null) {
                    scanStatement(i.elseBranch());
                }
            }
            case Stmt.While w -> {
                scan(w.condition());
                scanStatement(w.body());
            }
            case Stmt.DoWhile d -> {
                scanStatement(d.body());
                scan(d.condition());
            }
            case Stmt.For f -> {
                if (f.init() != null) {
                    scanStatement(f.init());
                }
                scanOptional(f.condition());
                scanOptional(f.step());
                scanStatement(f.body());
            }
            case Stmt.Switch s -> {
                scan(s.selector());
                scanStatement(s.body());
            }
            case Stmt.Return r -> scanOptional(r.value());
            case Stmt.Break b -> {
            }
            case Stmt.Continue c -> {
            }
            case Stmt.Goto g -> {
            }
            case Stmt.Label l -> {
            }
            case Stmt.Empty e -> {
            }
        }
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

    private void scanOptional(Expr e) {
        if (e != null) {
            scan(e);
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
            case Expr.IntConstant c -> {
            }
            case Expr.FloatConstant c -> {
            }
            case Expr.StringLiteral s -> {
            }
            case Expr.Unary u -> scan(u.operand());
            case Expr.Binary b -> {
                scan(b.left());
                scan(b.right());
            }
            case Expr.PointerArithmetic p -> {
                scan(p.pointer());
                scan(p.index());
            }
            case Expr.PointerDifference d -> {
                scan(d.left());
                scan(d.right());
            }
            case Expr.Assign a -> {
                scan(a.target());
                scan(a.value());
            }
            case Expr.CompoundAssign c -> {
                scan(c.target());
                scan(c.value());
            }
            case Expr.IncDec i -> scan(i.target());
            case Expr.Conditional c -> {
                scan(c.condition());
                scan(c.whenTrue());
                scan(c.whenFalse());
            }
            case Expr.Comma c -> {
                scan(c.left());
                scan(c.right());
            }
            case Expr.Cast c -> scan(c.operand());
            case Expr.Decay d -> scan(d.array());
            case Expr.Dereference d -> scan(d.pointer());
            case Expr.Call c -> c.arguments().forEach(this::scan);
            case Expr.IndirectCall c -> {
                scan(c.pointer());
                c.arguments().forEach(this::scan);
            }
            case Expr.FunctionRef f -> {
            }
            case Expr.FunctionAddress f -> {
            }
            case Expr.VariadicArguments v -> {
            }
            case Expr.CompoundLiteral c -> scanDeclaration(c.variable());
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
