// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kplugins.kpc.parser.ParserTestSupport.assertErrors;

import org.junit.jupiter.api.Test;
import org.kplugins.kpc.ast.Expr;

/**
 * A division or remainder by zero, and the minimum of a signed type divided by -1, are compile
 * errors where C requires a constant expression. Elsewhere they are left to fault at run time.
 */
class ConstantExpressionTest {

    private static final String LIMITS = "#include <limits.h>\n";

    @Test
    void divisionByZeroInArraySize() {
        assertErrors("int a[1 / 0];\n", "1:7: division by zero in constant expression");
    }

    @Test
    void remainderByZeroInArraySize() {
        assertErrors("int a[5 % (2 - 2)];\n", "1:7: division by zero in constant expression");
    }

    @Test
    void divisionByZeroInStaticInitializer() {
        assertErrors("int g = 1 / 0;\n", "1:9: division by zero in constant expression");
    }

    @Test
    void divisionByZeroInCaseLabel() {
        assertErrors("int f(int x) {\n  switch (x) {\n  case 1 / 0:\n    return 1;\n  }\n  return 0;\n}\n",
                "3:8: division by zero in constant expression");
    }

    @Test
    void divisionByZeroInEnumerator() {
        assertErrors("enum { A = 1 % 0 };\n", "1:12: division by zero in constant expression");
    }

    @Test
    void divisionByZeroInStaticAssert() {
        assertErrors("_Static_assert(1 / 0, \"never\");\n", "1:16: division by zero in constant expression");
    }

    @Test
    void divisionByZeroInStaticAddressIndex() {
        assertErrors("int a[4];\nint *p = &a[1 / 0];\n", "2:13: division by zero in constant expression");
    }

    @Test
    void intMinDividedByMinusOne() {
        assertErrors(LIMITS + "int g = INT_MIN / -1;\n", "2:9: overflow in constant expression: INT_MIN / -1");
    }

    @Test
    void intMinRemainderMinusOne() {
        assertErrors(LIMITS + "int g = INT_MIN % -1;\n", "2:9: overflow in constant expression: INT_MIN % -1");
    }

    @Test
    void longMinDividedByMinusOne() {
        // long is 32 bits wide under ILP32.
        assertErrors(LIMITS + "long g = LONG_MIN / -1L;\n", "2:10: overflow in constant expression: LONG_MIN / -1");
    }

    @Test
    void longLongMinInArraySize() {
        assertErrors(LIMITS + "int a[LLONG_MIN / -1 > 0];\n", "2:7: overflow in constant expression: LLONG_MIN / -1");
        assertErrors(LIMITS + "int a[(LLONG_MIN % -1) + 1];\n", "2:8: overflow in constant expression: LLONG_MIN % -1");
    }

    @Test
    void unsignedDivisionByAllOnesIsValid() {
        ParserTestSupport.Parsed parsed = ParserTestSupport.parseClean("unsigned g = 0x80000000u / 0xffffffffu;\n"
                + "unsigned long long h = 0x8000000000000000ull / 0xffffffffffffffffull;\n");
        assertEquals(0L, ((Expr.IntConstant) parsed.global("g").initializer().get(0).value()).value());
        assertEquals(0L, ((Expr.IntConstant) parsed.global("h").initializer().get(0).value()).value());
    }

    @Test
    void unevaluatedOperandsAreNotChecked() {
        ParserTestSupport.parseClean(LIMITS + "int a = 0 && 1 / 0;\nint b = 1 || INT_MIN / -1;\nint c = 1 ? 2 : 3 % 0;\n");
    }

    @Test
    void runTimeDivisionCompiles() {
        ParserTestSupport.parseClean(LIMITS + "int f(void) {\n  int x = INT_MIN / -1;\n  return x + 1 / 0;\n}\n");
    }
}
