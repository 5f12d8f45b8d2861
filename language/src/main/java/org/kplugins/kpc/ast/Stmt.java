// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.ast;

import java.util.List;

import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * A statement. Locations point at the first token of the statement, except that a block written
 * with braces spans from its '{' to its '}'.
 */
public sealed interface Stmt {

    SourceLocation location();

    /** { ... }: a scope. */
    record Block(List<Stmt> statements, SourceLocation location) implements Stmt {
    }

    /** An expression evaluated for its effects. */
    record ExprStmt(Expr expression, SourceLocation location) implements Stmt {
    }

    /**
     * A local variable definition, executed where it appears: when the variable has an initializer
     * ({@link Variable#initializer()} not null), the object is zero-filled and then each item is
     * stored, as C initializes the members a brace list leaves out to zero. Without an initializer
     * the variable's value is unspecified (KPC zero-fills memory-resident locals and sets
     * frame-resident ones to 0).
     */
    record Declaration(Variable variable, SourceLocation location) implements Stmt {
    }

    record If(Expr condition, Stmt thenBranch, Stmt elseBranch, SourceLocation location) implements Stmt {
    }

    record While(Expr condition, Stmt body, SourceLocation location) implements Stmt {
    }

    record DoWhile(Stmt body, Expr condition, SourceLocation location) implements Stmt {
    }

    /** for (init; condition; step) body; any of init, condition and step may be null. */
    record For(Stmt init, Expr condition, Expr step, Stmt body, SourceLocation location) implements Stmt {
    }

    /**
     * switch (selector) body. Case labels sit directly in the body block: each {@link SwitchCase}
     * names the index in {@code body.statements()} where execution starts for that value
     * (statements.size() for a label at the end of the block), and {@code defaultIndex} is -1 when
     * there is no default label. Execution falls through to the end of the block or a break.
     * Case values are converted to the selector's promoted type.
     */
    record Switch(Expr selector, Block body, List<SwitchCase> cases, int defaultIndex, SourceLocation location)
            implements Stmt {
    }

    record SwitchCase(long value, int statementIndex, SourceLocation location) {
    }

    record Break(SourceLocation location) implements Stmt {
    }

    record Continue(SourceLocation location) implements Stmt {
    }

    /** return; value is null in a void function, otherwise converted to the return type. */
    record Return(Expr value, SourceLocation location) implements Stmt {
    }

    /** goto label; the label is defined somewhere in the same function, since labels have function scope. */
    record Goto(String label, SourceLocation location) implements Stmt {
    }

    /**
     * A label {@code name:}. The statement after it in the same block is the statement it labels.
     * In a block the parser adds the label as an item of its own, which also lets a label come
     * before a declaration or the closing brace, as C23 allows; a labeled statement in any other
     * place becomes a block of the label and the statement.
     */
    record Label(String name, SourceLocation location) implements Stmt {
    }

    /** The empty statement ";". */
    record Empty(SourceLocation location) implements Stmt {
    }
}
