// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.ast;

/** C's arithmetic unary operators; unary plus is a promotion and becomes a cast. */
public enum UnaryOp {
    NEGATE("-"),
    BIT_NOT("~"),
    LOGICAL_NOT("!");

    public final String spelling;

    UnaryOp(String spelling) {
        this.spelling = spelling;
    }
}
