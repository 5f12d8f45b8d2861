// SPDX-License-Identifier: Apache-2.0
/**
 * The typed syntax tree of a KPC translation unit. The parser checks types as it parses (as
 * chibicc does), so every tree here is already typed and every implicit conversion of C (integer
 * promotions, usual arithmetic conversions, assignment conversions, array-to-pointer decay, default
 * argument promotions) is an explicit {@link org.kplugins.kpc.ast.Expr.Cast} or
 * {@link org.kplugins.kpc.ast.Expr.Decay} node. The Truffle node builder and the later backends read
 * this tree and never re-derive C's conversion rules.
 */
package org.kplugins.kpc.ast;
