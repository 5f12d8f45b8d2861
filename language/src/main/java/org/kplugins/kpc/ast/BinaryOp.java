// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.ast;

/** C's binary operators, with their spelling for diagnostics. */
public enum BinaryOp {
    ADD("+"),
    SUB("-"),
    MUL("*"),
    DIV("/"),
    REM("%"),
    SHL("<<"),
    SHR(">>"),
    BIT_AND("&"),
    BIT_OR("|"),
    BIT_XOR("^"),
    EQ("=="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    LOGICAL_AND("&&"),
    LOGICAL_OR("||");

    public final String spelling;

    BinaryOp(String spelling) {
        this.spelling = spelling;
    }

    public boolean isComparison() {
        return this == EQ || this == NE || this == LT || this == LE || this == GT || this == GE;
    }

    public boolean isShift() {
        return this == SHL || this == SHR;
    }
}
