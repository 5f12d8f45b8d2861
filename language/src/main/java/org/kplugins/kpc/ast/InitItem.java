// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.ast;

/**
 * One scalar store of an initializer: {@code value}, converted to {@code type}, stored at byte
 * {@code offset} inside the variable. Brace lists and string initializers of char arrays are
 * flattened into these items; members without an item are zero. A local initialized from a struct
 * value ({@code struct point q = *p;}, or a struct element of a brace list) gets one item of that
 * struct type, which copies {@code type().size()} bytes as {@link Expr.Assign} does. For variables
 * with static storage each value is a constant: an {@link Expr.IntConstant}, an
 * {@link Expr.FloatConstant}, or an address constant built from
 * {@link Expr.Decay}, {@link Expr.AddressOf}, {@link Expr.StringLiteral}, {@link Expr.Cast} and
 * {@link Expr.PointerArithmetic} with constant indexes. An item for a bit-field has
 * {@code bitField} set: {@code offset} is then its storage unit's, {@code type} the bit-field's
 * value type, and the store changes only the bit-field's bits.
 */
public record InitItem(int offset, org.kplugins.kpc.types.CType type, Expr value,
        org.kplugins.kpc.types.StructType.BitField bitField) {

    public InitItem(int offset, org.kplugins.kpc.types.CType type, Expr value) {
        this(offset, type, value, null);
    }
}
