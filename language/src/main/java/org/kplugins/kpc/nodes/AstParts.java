// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import java.util.List;
import java.util.function.Consumer;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.InitItem;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.Variable;

/** The direct parts of typed AST nodes, for the analyses that walk a function body before it is built. */
final class AstParts {

    private AstParts() {
    }

    /**
     * Passes each direct part of {@code statement} in source order to the action for its kind:
     * for a for loop the init, condition, step and body, for do ... while the body and then the
     * condition. A declaration passes the variable it defines, and the other actions do not get
     * its initializer.
     */
    static void visitParts(Stmt statement, Consumer<Stmt> statements, Consumer<Expr> expressions,
                    Consumer<Variable> definitions) {
        switch (statement) {
            case Stmt.Block b -> b.statements().forEach(statements);
            case Stmt.ExprStmt e -> expressions.accept(e.expression());
            case Stmt.Declaration d -> definitions.accept(d.variable());
            case Stmt.If i -> {
                expressions.accept(i.condition());
                statements.accept(i.thenBranch());
                if (i.elseBranch() != null) {
                    statements.accept(i.elseBranch());
                }
            }
            case Stmt.While w -> {
                expressions.accept(w.condition());
                statements.accept(w.body());
            }
            case Stmt.DoWhile d -> {
                statements.accept(d.body());
                expressions.accept(d.condition());
            }
            case Stmt.For f -> {
                if (f.init() != null) {
                    statements.accept(f.init());
                }
                if (f.condition() != null) {
                    expressions.accept(f.condition());
                }
                if (f.step() != null) {
                    expressions.accept(f.step());
                }
                statements.accept(f.body());
            }
            case Stmt.Switch s -> {
                expressions.accept(s.selector());
                statements.accept(s.body());
            }
            case Stmt.Return r -> {
                if (r.value() != null) {
                    expressions.accept(r.value());
                }
            }
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
     * Passes each direct subexpression of {@code e} to {@code action}, left to right as written.
     * The parts of a compound literal are the values of its initializer.
     */
    static void forEachSubexpression(Expr e, Consumer<Expr> action) {
        switch (e) {
            case Expr.Unary u -> action.accept(u.operand());
            case Expr.Binary b -> {
                action.accept(b.left());
                action.accept(b.right());
            }
            case Expr.PointerArithmetic p -> {
                action.accept(p.pointer());
                action.accept(p.index());
            }
            case Expr.PointerDifference d -> {
                action.accept(d.left());
                action.accept(d.right());
            }
            case Expr.Assign a -> {
                action.accept(a.target());
                action.accept(a.value());
            }
            case Expr.CompoundAssign c -> {
                action.accept(c.target());
                action.accept(c.value());
            }
            case Expr.IncDec i -> action.accept(i.target());
            case Expr.Conditional c -> {
                action.accept(c.condition());
                action.accept(c.whenTrue());
                action.accept(c.whenFalse());
            }
            case Expr.Comma c -> {
                action.accept(c.left());
                action.accept(c.right());
            }
            case Expr.Cast c -> action.accept(c.operand());
            case Expr.Decay d -> action.accept(d.array());
            case Expr.AddressOf a -> action.accept(a.operand());
            case Expr.Dereference d -> action.accept(d.pointer());
            case Expr.MemberAccess m -> action.accept(m.struct());
            case Expr.Call c -> c.arguments().forEach(action);
            case Expr.IndirectCall c -> {
                action.accept(c.pointer());
                c.arguments().forEach(action);
            }
            case Expr.CompoundLiteral c -> forEachInitializerValue(c.variable(), action);
            case Expr.VariableRef v -> {
            }
            case Expr.IntConstant c -> {
            }
            case Expr.FloatConstant c -> {
            }
            case Expr.StringLiteral s -> {
            }
            case Expr.FunctionRef f -> {
            }
            case Expr.FunctionAddress f -> {
            }
            case Expr.VariadicArguments v -> {
            }
        }
    }

    /** Passes the value of each item of {@code variable}'s initializer to {@code action}, none when it has no initializer. */
    static void forEachInitializerValue(Variable variable, Consumer<Expr> action) {
        List<InitItem> items = variable.initializer();
        if (items != null) {
            items.forEach(item -> action.accept(item.value()));
        }
    }
}
