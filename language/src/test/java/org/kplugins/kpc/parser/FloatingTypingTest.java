// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.kplugins.kpc.parser.ParserTestSupport.assertErrors;
import static org.kplugins.kpc.parser.ParserTestSupport.expression;

import org.junit.jupiter.api.Test;
import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.UnaryOp;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.IntegerType;

/** The typing of float and double: constants, arithmetic conversions, promotions and folding. */
class FloatingTypingTest {

    @Test
    void intPlusFloatIsFloat() {
        Expr.Binary add = assertInstanceOf(Expr.Binary.class, expression("int i; float f;", "i + f"));
        assertEquals(FloatingType.FLOAT, add.type());
        Expr.Cast converted = assertInstanceOf(Expr.Cast.class, add.left());
        assertEquals(FloatingType.FLOAT, converted.type());
        assertEquals(IntegerType.INT, converted.operand().type());
    }

    @Test
    void floatPlusDoubleIsDouble() {
        Expr.Binary add = assertInstanceOf(Expr.Binary.class, expression("float f; double d;", "f * d"));
        assertEquals(FloatingType.DOUBLE, add.type());
        assertEquals(FloatingType.DOUBLE, add.left().type());
    }

    @Test
    void unsignedLongLongWithFloatIsFloat() {
        Expr.Binary add = assertInstanceOf(Expr.Binary.class, expression("unsigned long long u; float f;", "u - f"));
        assertEquals(FloatingType.FLOAT, add.type());
    }

    @Test
    void comparisonConvertsToCommonType() {
        Expr.Binary less = assertInstanceOf(Expr.Binary.class, expression("char c; float f;", "c < f"));
        assertEquals(IntegerType.INT, less.type());
        assertEquals(FloatingType.FLOAT, less.left().type());
        assertEquals(FloatingType.FLOAT, less.right().type());
    }

    @Test
    void unaryMinusKeepsFloat() {
        Expr.Unary negate = assertInstanceOf(Expr.Unary.class, expression("float f;", "-f"));
        assertEquals(UnaryOp.NEGATE, negate.op());
        assertEquals(FloatingType.FLOAT, negate.type());
    }

    @Test
    void constantsTakeTheirTypeFromTheSuffix() {
        assertEquals(new Expr.FloatConstant(FloatingType.FLOAT, 0.5, null).type(), expression("0.5f").type());
        assertEquals(FloatingType.DOUBLE, expression("0.5").type());
    }

    @Test
    void constantConversionsAreFolded() {
        Expr.Binary add = assertInstanceOf(Expr.Binary.class, expression("float f;", "f + 16777217"));
        Expr.FloatConstant right = assertInstanceOf(Expr.FloatConstant.class, add.right());
        assertEquals(16777216.0, right.value(), "16777217 rounds to float when it is folded");
        Expr.Binary compare = assertInstanceOf(Expr.Binary.class, expression("double d;", "d == 0.1f"));
        Expr.FloatConstant widened = assertInstanceOf(Expr.FloatConstant.class, compare.right());
        assertEquals((double) 0.1f, widened.value());
    }

    @Test
    void floatArgumentOfPrintkIsPromotedToDouble() {
        Expr.Call call = assertInstanceOf(Expr.Call.class, expression("float f;", "printk(\"%f\", f)"));
        assertEquals(FloatingType.DOUBLE, call.arguments().get(1).type());
    }

    @Test
    void compoundAssignmentComputesInDouble() {
        Expr.CompoundAssign assign = assertInstanceOf(Expr.CompoundAssign.class, expression("int i;", "i *= 1.5"));
        assertEquals(BinaryOp.MUL, assign.op());
        assertEquals(IntegerType.INT, assign.type());
        assertEquals(FloatingType.DOUBLE, assign.operationType());
    }

    @Test
    void floatCastInIntegerConstant() {
        assertErrors("int a[(int) 2.9];\n_Static_assert(sizeof a == 2 * sizeof(int), \"two\");\n"
                + "_Static_assert((int) (0.1 + 0.2 == 0.3) == 0, \"rounded\");\n"
                + "_Static_assert((unsigned char) 300.5 == 44, \"low bits\");\n");
    }

    @Test
    void incrementOfFloatIsAllowed() {
        Expr.IncDec increment = assertInstanceOf(Expr.IncDec.class, expression("double d;", "d++"));
        assertEquals(FloatingType.DOUBLE, increment.type());
        assertEquals(1, increment.step());
    }
}
