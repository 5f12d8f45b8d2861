// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import java.util.LinkedHashSet;
import java.util.Set;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.InitItem;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.ast.Variable;

/**
 * Collects the string literals of a translation unit, so that they can be laid out in read-only
 * data before any node stores their addresses. Equal literals share one copy, as C allows.
 */
public final class StringLiterals {

    private final Set<String> literals = new LinkedHashSet<>();

    private StringLiterals() {
    }

    /** Returns the bytes of each distinct literal, without the terminating NUL, in source order. */
    public static Set<String> collect(TranslationUnit unit) {
        StringLiterals collector = new StringLiterals();
        for (Variable global : unit.globals()) {
            collector.initializer(global);
        }
        for (Function function : unit.functions()) {
            if (function.isDefined()) {
                collector.statement(function.body());
            }
        }
        return collector.literals;
    }

    private void initializer(Variable variable) {
        if (variable.initializer() != null) {
            for (InitItem item : variable.initializer()) {
                expression(item.value());
            }
        }
    }

    private void statement(Stmt statement) {
        if (statement == null) {
            return;
        }
        switch (statement) {
            case Stmt.Block b -> b.statements().forEach(this::statement);
            case Stmt.ExprStmt e -> expression(e.expression());
            case Stmt.Declaration d -> initializer(d.variable());
            case Stmt.If i -> {
                expression(i.condition());
                statement(i.thenBranch());
                statement(i.elseBranch());
            }
            case Stmt.While w -> {
                expression(w.condition());
                statement(w.body());
            }
            case Stmt.DoWhile d -> {
                statement(d.body());
                expression(d.condition());
            }
            case Stmt.For f -> {
                statement(f.init());
                expression(f.condition());
                expression(f.step());
                statement(f.body());
            }
            case Stmt.Switch s -> {
                expression(s.selector());
                statement(s.body());
            }
            case Stmt.Return r -> expression(r.value());
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

    private void expression(Expr e) {
        if (e == null) {
            return;
        }
        switch (e) {
            case Expr.StringLiteral s -> literals.add(s.bytes());
            case Expr.IntConstant c -> {
            }
            case Expr.FloatConstant c -> {
            }
            case Expr.VariableRef v -> {
            }
            case Expr.Unary u -> expression(u.operand());
            case Expr.Binary b -> {
                expression(b.left());
                expression(b.right());
            }
            case Expr.PointerArithmetic p -> {
                expression(p.pointer());
                expression(p.index());
            }
            case Expr.PointerDifference d -> {
                expression(d.left());
                expression(d.right());
            }
            case Expr.Assign a -> {
                expression(a.target());
                expression(a.value());
            }
            case Expr.CompoundAssign c -> {
                expression(c.target());
                expression(c.value());
            }
            case Expr.IncDec i -> expression(i.target());
            case Expr.Conditional c -> {
                expression(c.condition());
                expression(c.whenTrue());
                expression(c.whenFalse());
            }
            case Expr.Comma c -> {
                expression(c.left());
                expression(c.right());
            }
            case Expr.Cast c -> expression(c.operand());
            case Expr.Decay d -> expression(d.array());
            case Expr.AddressOf a -> expression(a.operand());
            case Expr.Dereference d -> expression(d.pointer());
            case Expr.MemberAccess m -> expression(m.struct());
            case Expr.Call c -> c.arguments().forEach(this::expression);
            case Expr.IndirectCall c -> {
                expression(c.pointer());
                c.arguments().forEach(this::expression);
            }
            case Expr.FunctionRef f -> {
            }
            case Expr.FunctionAddress f -> {
            }
            case Expr.VariadicArguments v -> {
            }
            case Expr.CompoundLiteral c -> initializer(c.variable());
        }
    }
}
