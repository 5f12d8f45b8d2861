// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

/** A comparison of two operands of one width, signed or unsigned. */
public enum Cond {
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    /** Unsigned less than. */
    ULT,
    ULE,
    UGT,
    UGE;

    /** Returns the condition that is true exactly when this one is false. */
    public Cond negate() {
        return switch (this) {
            case EQ -> NE;
            case NE -> EQ;
            case LT -> GE;
            case LE -> GT;
            case GT -> LE;
            case GE -> LT;
            case ULT -> UGE;
            case ULE -> UGT;
            case UGT -> ULE;
            case UGE -> ULT;
        };
    }

    /** Returns the condition on swapped operands: {@code a < b} is {@code b > a}. */
    public Cond swap() {
        return switch (this) {
            case EQ, NE -> this;
            case LT -> GT;
            case LE -> GE;
            case GT -> LT;
            case GE -> LE;
            case ULT -> UGT;
            case ULE -> UGE;
            case UGT -> ULT;
            case UGE -> ULE;
        };
    }
}
