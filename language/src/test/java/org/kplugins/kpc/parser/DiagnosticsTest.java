// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kplugins.kpc.parser.ParserTestSupport.assertErrors;
import static org.kplugins.kpc.parser.ParserTestSupport.parse;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kplugins.kpc.diagnostics.Diagnostic;

class DiagnosticsTest {

    @Test
    void missingSemicolonAfterExpression() {
        assertErrors("void f(int x) {\n  x = 1\n}\n", "2:8: expected ';' after expression");
    }

    @Test
    void missingSemicolonAtEndOfDeclaration() {
        assertErrors("int x\nint y;\n", "1:6: expected ';' at end of declaration");
    }

    @Test
    void expectedExpression() {
        assertErrors("void f(int x) {\n  x = ;\n}\n", "2:7: expected expression");
    }

    @Test
    void unmatchedParenthesis() {
        assertErrors("void f(int x) {\n  x = (x + 1;\n}\n", "2:13: expected ')' to match this '(' at test.kpc:2:7");
    }

    @Test
    void unknownTypeName() {
        assertErrors("uint8 x;\nvoid f(void) {\n  uint8 y = 1;\n  y = 2;\n}\n",
                "1:1: unknown type name 'uint8'", "3:3: unknown type name 'uint8'");
    }

    @Test
    void unknownTypeNameInParameter() {
        assertErrors("void f(uint8 y);\n", "1:8: unknown type name 'uint8'");
    }

    @Test
    void noMemberNamed() {
        assertErrors("struct point { int x; int y; };\nint g(struct point *p) {\n  return p->z;\n}\n",
                "3:13: no member named 'z' in 'struct point'");
    }

    @Test
    void memberReferenceThroughPointerNeedsArrow() {
        assertErrors("struct point { int x; };\nint f(struct point *p) {\n  return p.x;\n}\n",
                "3:11: member reference type 'struct point *' is a pointer; did you mean to use '->'?");
    }

    @Test
    void arrowOnStructValue() {
        assertErrors("struct point { int x; };\nint f(void) {\n  struct point p;\n  return p->x;\n}\n",
                "4:11: member reference type 'struct point' is not a pointer; did you mean to use '.'?");
    }

    @Test
    void invalidOperandsToBinaryExpression() {
        assertErrors("struct point { int x; };\nint f(struct point *p) {\n  return *p + 1;\n}\n",
                "3:13: invalid operands to binary expression ('struct point' and 'int')");
    }

    @Test
    void undeclaredIdentifierAndFunction() {
        assertErrors("int f(void) {\n  return missing + 1;\n}\nint g(void) { return h(1); }\n",
                "2:10: use of undeclared identifier 'missing'",
                "4:22: call to undeclared function 'h'; ISO C99 and later do not support implicit function declarations");
    }

    @Test
    void argumentCounts() {
        assertErrors("int add(int a, int b);\nint f(void) {\n  return add(1) + add(1, 2, 3);\n}\n",
                "3:15: too few arguments to function call, expected 2, have 1",
                "3:29: too many arguments to function call, expected 2, have 3");
    }

    @Test
    void conflictingTypes() {
        assertErrors("int f(int a);\nlong f(int a);\n",
                "2:6: conflicting types for 'f' (previous declaration at test.kpc:1:5)");
    }

    @Test
    void redefinitions() {
        assertErrors("int f(void) { return 0; }\nint f(void) { return 1; }\nint x = 1;\nint x = 2;\n"
                + "void g(void) { int a; int a; }\n",
                "2:5: redefinition of 'f' (previous definition at test.kpc:1:5)",
                "4:5: redefinition of 'x' (previous definition at test.kpc:3:5)",
                "5:27: redefinition of 'a' (previous definition at test.kpc:5:20)");
    }

    @Test
    void assignToConstVariable() {
        assertErrors("void f(void) {\n  const int x = 1;\n  x = 2;\n}\n",
                "3:5: cannot assign to variable 'x' with const-qualified type 'const int'");
    }

    @Test
    void assignThroughPointerToConst() {
        assertErrors("void f(const char *p) {\n  *p = 'a';\n  p[1]++;\n}\n",
                "2:6: cannot assign to an object of const-qualified type 'const char'",
                "3:7: cannot assign to an object of const-qualified type 'const char'");
    }

    @Test
    void modifyConstArrayElement() {
        assertErrors("const int table[2] = { 1, 2 };\nvoid f(void) {\n  table[0] = 3;\n}\n",
                "3:12: cannot assign to variable 'table' with const-qualified type 'const int[2]'");
    }

    @Test
    void passingConstPointerDiscardsQualifiers() {
        assertErrors("void take(char *s);\nvoid f(const char *s) {\n  take(s);\n}\n",
                "3:8: passing 'const char *' to parameter of type 'char *' discards qualifiers");
    }

    @Test
    void implicitIntegerToPointer() {
        assertErrors("void f(int n) {\n  int *p = n;\n  p = 1;\n  p = 0;\n}\n",
                "2:12: incompatible integer to pointer conversion initializing 'int *' with an expression of type 'int'",
                "3:5: incompatible integer to pointer conversion assigning to 'int *' from 'int'");
    }

    @Test
    void incompatiblePointerTypes() {
        assertErrors("void f(char *c) {\n  int *p = c;\n}\n",
                "2:12: incompatible pointer types initializing 'int *' with an expression of type 'char *'");
    }

    @Test
    void expressionNotAssignable() {
        assertErrors("void f(int a) {\n  a + 1 = 2;\n  int arr[2];\n  arr = 0;\n}\n",
                "2:9: expression is not assignable", "4:7: array type 'int[2]' is not assignable");
    }

    @Test
    void unsupportedFeatures() {
        assertErrors("""
                long double f;
                union u { int a; };
                struct bits { int a : 3; };
                int (*fp)(int);
                void g(void) { static int s; }
                int v(int n, ...) { return n; }
                struct s { int a; };
                void h(struct s value);
                """,
                "1:1: long double is not supported in KPC; use double",
                "8:17: struct parameters are passed by pointer in KPC");
    }

    @Test
    void gotoAndLabels() {
        assertErrors("void f(void) {\n  goto end;\nend:\n  return;\n}\n");
        assertErrors("void f(int x) {\n  goto missing;\n  if (x) { end: ; }\nend:\n  return;\n}\n",
                "4:1: redefinition of label 'end' (previous definition at test.kpc:3:12)",
                "2:3: use of undeclared label 'missing'");
    }

    @Test
    void labelsAreScopedToTheirFunction() {
        assertErrors("void f(void) {\nend:\n  return;\n}\nvoid g(void) {\n  goto end;\n}\n",
                "6:3: use of undeclared label 'end'");
    }

    @Test
    void caseLabelOutsideSwitchBody() {
        assertErrors("void f(int x) {\n  switch (x) {\n  case 1:\n    if (x) {\n    case 2:\n      x++;\n    }\n  }\n  case 3: ;\n}\n",
                "5:5: case label must be directly inside the switch body in KPC",
                "9:3: 'case' statement not in switch statement");
    }

    @Test
    void duplicateCaseValue() {
        assertErrors("void f(int x) {\n  switch (x) {\n  case 1: break;\n  case 2 - 1: break;\n  }\n}\n",
                "4:8: duplicate case value '1' (previous case at test.kpc:3:3)");
    }

    @Test
    void breakAndContinueOutsideLoops() {
        assertErrors("void f(int x) {\n  break;\n  switch (x) { case 1: continue; }\n}\n",
                "2:3: 'break' statement not in loop or switch statement",
                "3:24: 'continue' statement not in loop statement");
    }

    @Test
    void returnValueMismatch() {
        assertErrors("void f(void) {\n  return 1;\n}\nint g(void) {\n  return;\n}\n",
                "2:10: void function 'f' should not return a value",
                "5:3: non-void function 'g' should return a value");
    }

    @Test
    void sizeofInvalidOperands() {
        assertErrors("struct later;\nint f(void) { return sizeof(struct later) + sizeof(void); }\n",
                "2:22: invalid application of 'sizeof' to an incomplete type 'struct later'",
                "2:45: invalid application of 'sizeof' to a void type");
    }

    @Test
    void voidPointerArithmetic() {
        assertErrors("void f(void *p) {\n  p = p + 1;\n}\n", "2:9: arithmetic on a pointer to void");
    }

    @Test
    void pointerComparisonErrors() {
        assertErrors("int f(int *p, char *c, int n) {\n  return (p == c) + (p < n);\n}\n",
                "2:13: comparison of distinct pointer types ('int *' and 'char *')",
                "2:24: comparison between pointer and integer ('int *' and 'int')");
    }

    @Test
    void nonConstantGlobalInitializer() {
        assertErrors("int a = 1;\nint b = a + 1;\nint *p = &a;\nint c = (int)&a;\n",
                "2:9: initializer element is not a compile-time constant",
                "4:9: initializer element is not a compile-time constant");
    }

    @Test
    void initializerErrors() {
        assertErrors("int a[2] = { 1, 2, 3 };\nchar s[2] = \"abc\";\nstruct p { int x; } q = { 1, 2 };\nint n = { 1, 2 };\n",
                "1:20: excess elements in array initializer",
                "2:13: initializer-string for char array is too long (3 chars for 2 elements)",
                "3:30: excess elements in struct initializer",
                "4:14: excess elements in scalar initializer");
    }

    @Test
    void arraySizeErrors() {
        assertErrors("void f(int n) {\n  int vla[n];\n  int neg[-1];\n  int none[];\n}\n",
                "2:11: variable-length arrays are not supported in KPC",
                "3:11: array size is negative",
                "4:7: definition of variable with array type needs an explicit size or an initializer");
    }

    @Test
    void errorKindsAreSyntaxAndType() {
        List<Diagnostic> diagnostics = parse("void f(void) {\n  int x = ;\n  x = y;\n}\n").diagnostics();
        assertEquals(Diagnostic.Kind.SYNTAX, diagnostics.get(0).kind());
        assertEquals(Diagnostic.Kind.TYPE, diagnostics.get(1).kind());
    }

    @Test
    void severalErrorsInOneRun() {
        assertErrors("""
                int f(int a) {
                  a = ;
                  a = b;
                  if (a) { a = (1; }
                  return a
                }
                int g(void) { return c; }
                int ok(void) { return 1; }
                """,
                "2:7: expected expression",
                "3:7: use of undeclared identifier 'b'",
                "4:18: expected ')' to match this '(' at test.kpc:4:16",
                "5:11: expected ';' after return statement",
                "7:22: use of undeclared identifier 'c'");
    }

    @Test
    void errorRecoveryKeepsLaterFunctions() {
        ParserTestSupport.Parsed parsed = parse("int f( { }\nint later(void) { return 2; }\n");
        assertTrue(parsed.diagnostics().size() >= 1);
        assertTrue(parsed.function("later").isDefined());
    }

    @Test
    void deepExpressionNestingIsAnError() {
        String deep = "(".repeat(100_000) + "1" + ")".repeat(100_000);
        ParserTestSupport.Parsed parsed = parse("int f(void) { return " + deep + "; }\nint g(void) { return 2; }\n");
        assertEquals(1, parsed.diagnostics().size());
        assertTrue(parsed.diagnostics().get(0).message().startsWith("nesting too deep"));
        assertTrue(parsed.function("g").isDefined());
    }

    @Test
    void deepStatementNestingIsAnError() {
        String deep = "{".repeat(50_000) + "}".repeat(50_000);
        ParserTestSupport.Parsed parsed = parse("void f(void) " + deep + "\nint g(void) { return 2; }\n");
        assertEquals(1, parsed.diagnostics().size());
        assertTrue(parsed.diagnostics().get(0).message().startsWith("nesting too deep"));
        assertTrue(parsed.function("g").isDefined());
    }

    @Test
    void longChainsDoNotCrash() {
        String sum = "x" + " + x".repeat(20_000);
        String negations = "-".repeat(20_000) + "x";
        String pointers = "int " + "*".repeat(20_000) + "p;";
        String initializer = "int a[1] = " + "{".repeat(20_000) + "1" + "}".repeat(20_000) + ";";
        for (String source : List.of("int f(int x) { return " + sum + "; }", "int f(int x) { return " + negations + "; }",
                pointers, initializer, "int f(int x) { return x" + "[0]".repeat(20_000) + "; }")) {
            ParserTestSupport.Parsed parsed = parse(source);
            assertTrue(parsed.diagnostics().size() >= 1, source.substring(0, 40));
        }
    }

    @Test
    void moderateNestingIsAccepted() {
        String nested = "(".repeat(60) + "x" + ")".repeat(60);
        ParserTestSupport.parseClean("int f(int x) { return " + nested + " + 1; }");
    }

    @Test
    void duplicateMacroErrorReportedOnce() {
        // Both F(1) tokens that the expansion leaves come from the use on line 3, so the two
        // errors would have the same location and message.
        assertErrors("#define F(x) F(x) + G(x)\n#define G(x) F(x)\nint y = F(1);\n",
                "3:9: call to undeclared function 'F'; ISO C99 and later do not support implicit function declarations");
    }

    @Test
    void sameErrorAtTwoLocationsReportedTwice() {
        assertErrors("int f(void) {\n  return y + y;\n}\n",
                "2:10: use of undeclared identifier 'y'", "2:14: use of undeclared identifier 'y'");
    }
}
