// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kplugins.kpc.parser.ParserTestSupport.parseClean;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.InitItem;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.StructType;

class DeclarationAndStatementTest {

    /** Renders items as "offset:type=value" for constants, to compare whole initializers at once. */
    private static List<String> describe(List<InitItem> items) {
        List<String> out = new ArrayList<>();
        for (InitItem item : items) {
            String value = item.value() instanceof Expr.IntConstant c ? Long.toString(c.value())
                    : item.value().getClass().getSimpleName();
            out.add(item.offset() + ":" + item.type().spelling() + "=" + value);
        }
        return out;
    }

    @Test
    void typeSpellingsOfIntegerTypes() {
        ParserTestSupport.Parsed parsed = parseClean("""
                unsigned a; long int b; short int c; signed d; long long unsigned int e;
                unsigned long long f; signed char g; char h; unsigned short int i; long signed j;
                int long long k; _Bool l;
                """);
        assertEquals(IntegerType.UINT, parsed.global("a").type());
        assertEquals(IntegerType.LONG, parsed.global("b").type());
        assertEquals(IntegerType.SHORT, parsed.global("c").type());
        assertEquals(IntegerType.INT, parsed.global("d").type());
        assertEquals(IntegerType.ULLONG, parsed.global("e").type());
        assertEquals(IntegerType.ULLONG, parsed.global("f").type());
        assertEquals(IntegerType.SCHAR, parsed.global("g").type());
        assertEquals(IntegerType.CHAR, parsed.global("h").type());
        assertEquals(IntegerType.USHORT, parsed.global("i").type());
        assertEquals(IntegerType.LONG, parsed.global("j").type());
        assertEquals(IntegerType.LLONG, parsed.global("k").type());
        assertEquals(IntegerType.BOOL, parsed.global("l").type());
    }

    @Test
    void declaratorShapes() {
        ParserTestSupport.Parsed parsed = parseClean("""
                int *a[3]; int (*b)[3]; const char *const c = 0; int d[2][3]; char **e;
                """);
        assertEquals("int *[3]", parsed.global("a").type().spelling());
        assertEquals("int[3] (*)", parsed.global("b").type().spelling());
        assertEquals("const char *const", parsed.global("c").type().spelling());
        ArrayType d = assertInstanceOf(ArrayType.class, parsed.global("d").type());
        assertEquals(2, d.length());
        assertEquals(3, ((ArrayType) d.element()).length());
        assertEquals("char **", parsed.global("e").type().spelling());
    }

    @Test
    void functionPointerDeclaratorShapes() {
        ParserTestSupport.Parsed parsed = parseClean("""
                typedef int handler(int);
                int (*a)(int); int (*b[4])(int, char *); int (**c)(void); int (*const d)(int) = 0;
                int (*(*e)(char))(int); handler *f; void (*g)(int, ...); int h(int callback(int));
                """);
        assertEquals("int (*)(int)", parsed.global("a").type().spelling());
        assertEquals("int (*[4])(int, char *)", parsed.global("b").type().spelling());
        assertEquals("int (**)(void)", parsed.global("c").type().spelling());
        assertEquals("int (*const)(int)", parsed.global("d").type().spelling());
        assertEquals("int (*(*)(char))(int)", parsed.global("e").type().spelling());
        assertEquals("int (*)(int)", parsed.global("f").type().spelling());
        assertEquals("void (*)(int, ...)", parsed.global("g").type().spelling());
        // A parameter of function type is adjusted to a pointer to it.
        assertEquals("int h(int (*)(int))", parsed.function("h").type().prototype("h"));
    }

    @Test
    void structLayoutAndSelfReference() {
        ParserTestSupport.Parsed parsed = parseClean("""
                struct node { char tag; struct node *next; long long value; short s; };
                struct node n;
                struct later;
                struct holder { struct later *p; };
                struct later { int x; };
                struct later l;
                """);
        StructType node = assertInstanceOf(StructType.class, parsed.global("n").type());
        assertEquals(24, node.size());
        assertEquals(8, node.align());
        assertEquals(4, node.member("next").offset());
        assertEquals(8, node.member("value").offset());
        assertEquals(16, node.member("s").offset());
        assertSame(node, ((org.kplugins.kpc.types.PointerType) node.member("next").type()).pointee());
        assertEquals(4, parsed.global("l").type().size());
    }

    @Test
    void arrayParameterBecomesPointer() {
        ParserTestSupport.Parsed parsed = parseClean("int sum(const int values[], int n) { return values[0] + n; }");
        Function sum = parsed.function("sum");
        assertEquals("const int *", sum.type().parameterTypes().get(0).spelling());
        assertEquals(Variable.Storage.PARAMETER, sum.parameters().get(0).storage());
        assertEquals("values", sum.parameters().get(0).name());
    }

    @Test
    void functionListedOnceAndLocationMovesToDefinition() {
        ParserTestSupport.Parsed parsed = parseClean("int f(int);\nint g(void) { return f(1); }\nint f(int x) { return x; }\n");
        assertEquals(List.of("f", "g"), parsed.unit().functions().stream().map(Function::name).toList());
        Function f = parsed.function("f");
        assertTrue(f.isDefined());
        assertEquals(3, f.location().line());
        Stmt.Return ret = (Stmt.Return) parsed.function("g").body().statements().get(0);
        assertSame(f, ((Expr.Call) ret.value()).callee());
    }

    @Test
    void kernelPrototypesAreImports() {
        ParserTestSupport.Parsed parsed = parseClean("#include <kernel.h>\nint main(void) { printk(\"hi\"); return 0; }");
        assertFalse(parsed.function("printk").isDefined());
        assertTrue(parsed.function("printk").type().isVariadic());
        assertTrue(parsed.function("main").isDefined());
    }

    @Test
    void localsIncludeShadowedVariables() {
        ParserTestSupport.Parsed parsed = parseClean("""
                void f(int x) {
                    int a = x;
                    { int a = 2; a++; }
                    for (int i = 0; i < 3; i++) { int a = i; }
                    int i = a;
                }
                """);
        List<Variable> locals = parsed.function("f").locals();
        assertEquals(List.of("a", "a", "i", "a", "i"), locals.stream().map(Variable::name).toList());
        assertNotSame(locals.get(0), locals.get(1));
        assertNotSame(locals.get(2), locals.get(4));
        Stmt.Declaration last = (Stmt.Declaration) parsed.function("f").body().statements().get(3);
        Expr.VariableRef ref = (Expr.VariableRef) last.variable().initializer().get(0).value();
        assertSame(locals.get(0), ref.variable());
    }

    @Test
    void typedefsAreScoped() {
        ParserTestSupport.Parsed parsed = parseClean("""
                typedef unsigned char byte;
                byte b;
                void f(void) { typedef int byte; byte local = 1; { int byte = 2; byte = 3; } }
                byte c;
                """);
        assertEquals(IntegerType.UCHAR, parsed.global("b").type());
        assertEquals(IntegerType.UCHAR, parsed.global("c").type());
        assertEquals(IntegerType.INT, parsed.function("f").locals().get(0).type());
    }

    @Test
    void switchCasesByStatementIndex() {
        ParserTestSupport.Parsed parsed = parseClean("""
                int f(char c) {
                    int r = 0;
                    switch (c) {
                    case 1:
                    case 'a':
                        r = 1;
                        break;
                    default:
                        r = 2;
                    case 300:
                        r = 3;
                    }
                    return r;
                }
                """);
        Stmt.Switch sw = assertInstanceOf(Stmt.Switch.class, parsed.function("f").body().statements().get(1));
        assertEquals(IntegerType.INT, sw.selector().type());
        assertEquals(3, sw.cases().size());
        assertEquals(1, sw.cases().get(0).value());
        assertEquals(0, sw.cases().get(0).statementIndex());
        assertEquals(97, sw.cases().get(1).value());
        assertEquals(0, sw.cases().get(1).statementIndex());
        assertEquals(300, sw.cases().get(2).value());
        assertEquals(3, sw.cases().get(2).statementIndex());
        assertEquals(2, sw.defaultIndex());
        assertEquals(4, sw.body().statements().size());
    }

    @Test
    void caseValuesConvertToSelectorType() {
        ParserTestSupport.Parsed parsed = parseClean("void f(unsigned u) { switch (u) { case -1: break; } }");
        Stmt.Switch sw = (Stmt.Switch) parsed.function("f").body().statements().get(0);
        assertEquals(4294967295L, sw.cases().get(0).value());
        assertEquals(-1, sw.defaultIndex());
    }

    @Test
    void caseLabelAtEndOfBody() {
        ParserTestSupport.Parsed parsed = parseClean("void f(int x) { switch (x) { case 1: x = 2; case 2: } }");
        Stmt.Switch sw = (Stmt.Switch) parsed.function("f").body().statements().get(0);
        assertEquals(1, sw.cases().get(1).statementIndex());
        assertEquals(1, sw.body().statements().size());
    }

    @Test
    void enumValues() {
        ParserTestSupport.Parsed parsed = parseClean("""
                enum flags { A = 1 << 2, B, C = B * 2, D = -1, E };
                int values[] = { A, B, C, D, E };
                enum flags f = C;
                """);
        assertEquals(List.of("0:int=4", "4:int=5", "8:int=10", "12:int=-1", "16:int=0"),
                describe(parsed.global("values").initializer()));
        assertEquals(IntegerType.INT, parsed.global("f").type());
    }

    @Test
    void nestedGlobalInitializerOffsets() {
        ParserTestSupport.Parsed parsed = parseClean("""
                struct point { short x; int y; };
                struct shape { char name[4]; struct point corners[2]; long long id; };
                struct shape s = { "ab", { { 1, 2 }, { 3 } }, 7 };
                struct shape elided = { "xyz", 1, 2, 3, 4, 5 };
                int grid[2][3] = { 1, 2, 3, { 4 } };
                """);
        assertEquals(List.of("0:char=97", "1:char=98", "4:short=1", "8:int=2", "12:short=3", "24:long long=7"),
                describe(parsed.global("s").initializer()));
        assertEquals(List.of("0:char=120", "1:char=121", "2:char=122", "4:short=1", "8:int=2", "12:short=3",
                "16:int=4", "24:long long=5"), describe(parsed.global("elided").initializer()));
        assertEquals(List.of("0:int=1", "4:int=2", "8:int=3", "12:int=4"), describe(parsed.global("grid").initializer()));
        assertEquals(32, parsed.global("s").type().size());
    }

    @Test
    void incompleteArraysTakeInitializerLength() {
        ParserTestSupport.Parsed parsed = parseClean("""
                int a[] = { 1, 2, 3 };
                int rows[][2] = { 1, 2, 3 };
                char s[] = "abc";
                char t[3] = "abc";
                char u[5] = { "ab" };
                char *names[] = { "x", "yz" };
                """);
        assertEquals("int[3]", parsed.global("a").type().spelling());
        assertEquals("int[2][2]", parsed.global("rows").type().spelling());
        assertEquals("char[4]", parsed.global("s").type().spelling());
        assertEquals(List.of("0:char=97", "1:char=98", "2:char=99"), describe(parsed.global("s").initializer()));
        assertEquals(List.of("0:char=97", "1:char=98", "2:char=99"), describe(parsed.global("t").initializer()));
        assertEquals(List.of("0:char=97", "1:char=98"), describe(parsed.global("u").initializer()));
        assertEquals("char *[2]", parsed.global("names").type().spelling());
        assertInstanceOf(Expr.Decay.class, parsed.global("names").initializer().get(1).value());
        assertEquals(4, parsed.global("names").initializer().get(1).offset());
    }

    @Test
    void addressConstantsInGlobalInitializers() {
        ParserTestSupport.Parsed parsed = parseClean("""
                struct pair { int a; int b; } pair;
                int arr[8];
                int g;
                int *p1 = &g;
                int *p2 = arr;
                int *p3 = &arr[3];
                int *p4 = &pair.b;
                const char *p5 = "str" + 1;
                int *p6 = arr + 2 - 1;
                void *p7 = 0;
                int n = sizeof(arr) / sizeof(arr[0]) + (3 > 2);
                """);
        assertInstanceOf(Expr.AddressOf.class, parsed.global("p1").initializer().get(0).value());
        assertInstanceOf(Expr.Decay.class, parsed.global("p2").initializer().get(0).value());
        Expr.PointerArithmetic p3 = assertInstanceOf(Expr.PointerArithmetic.class,
                parsed.global("p3").initializer().get(0).value());
        assertEquals(3, ((Expr.IntConstant) p3.index()).value());
        Expr.Cast p4 = assertInstanceOf(Expr.Cast.class, parsed.global("p4").initializer().get(0).value());
        Expr.PointerArithmetic bytes = assertInstanceOf(Expr.PointerArithmetic.class, p4.operand());
        assertEquals(4, ((Expr.IntConstant) bytes.index()).value());
        assertEquals(1, bytes.elementSize());
        assertInstanceOf(Expr.Cast.class, parsed.global("p5").initializer().get(0).value());
        Expr.PointerArithmetic p6 = assertInstanceOf(Expr.PointerArithmetic.class,
                parsed.global("p6").initializer().get(0).value());
        assertInstanceOf(Expr.PointerArithmetic.class, p6.pointer());
        assertEquals(List.of("0:int=9"), describe(parsed.global("n").initializer()));
        assertTrue(parsed.global("g").isDefined());
    }

    @Test
    void externAndTentativeDefinitions() {
        ParserTestSupport.Parsed parsed = parseClean("""
                extern int imported;
                int tentative;
                int tentative;
                extern int later;
                int later = 5;
                static int hidden;
                int unsized[];
                int use(void) { extern int imported; return imported + later + hidden; }
                """);
        assertFalse(parsed.global("imported").isDefined());
        assertTrue(parsed.global("tentative").isDefined());
        assertNull(parsed.global("tentative").initializer());
        assertTrue(parsed.global("later").isDefined());
        assertTrue(parsed.global("hidden").isStatic());
        assertEquals("int[1]", parsed.global("unsized").type().spelling());
        assertEquals(List.of("imported", "tentative", "later", "hidden", "unsized"),
                parsed.unit().globals().stream().map(Variable::name).toList());
    }

    @Test
    void localInitializers() {
        ParserTestSupport.Parsed parsed = parseClean("""
                struct point { int x; int y; };
                void f(int n) {
                    int a[4] = { n, n + 1 };
                    struct point p = { n };
                }
                """);
        List<Variable> locals = parsed.function("f").locals();
        assertEquals(2, locals.get(0).initializer().size());
        assertEquals(4, locals.get(0).initializer().get(1).offset());
        assertInstanceOf(Expr.Binary.class, locals.get(0).initializer().get(1).value());
        assertEquals(1, locals.get(1).initializer().size());
    }

    @Test
    void structCopyInitializer() {
        ParserTestSupport.Parsed parsed = parseClean("""
                struct point { int x; int y; };
                struct line { struct point a; struct point b; };
                void f(struct point *p) { struct point q = *p; struct line l = { *p, q }; }
                """);
        List<Variable> locals = parsed.function("f").locals();
        InitItem copy = locals.get(0).initializer().get(0);
        assertEquals("struct point", copy.type().spelling());
        assertInstanceOf(Expr.Dereference.class, copy.value());
        assertEquals(List.of(0, 8), locals.get(1).initializer().stream().map(InitItem::offset).toList());
    }

    @Test
    void constGlobalIsReadOnly() {
        ParserTestSupport.Parsed parsed = parseClean("const int table[2] = { 1, 2 }; const char *message = \"x\";");
        assertTrue(parsed.global("table").isReadOnly());
        assertFalse(parsed.global("message").isReadOnly());
    }

    @Test
    void fallingOffNonVoidFunctionIsAllowed() {
        ParserTestSupport.Parsed parsed = parseClean("int f(int x) { if (x) return 1; }");
        Stmt.If branch = assertInstanceOf(Stmt.If.class, parsed.function("f").body().statements().get(0));
        assertNull(branch.elseBranch());
    }

    @Test
    void loopStatements() {
        ParserTestSupport.Parsed parsed = parseClean("""
                void f(int n) {
                    while (n) n--;
                    do { n++; continue; } while (n < 10);
                    for (;;) { break; }
                    for (int i = 0, j = 1; i < j; i++) ;
                }
                """);
        List<Stmt> statements = parsed.function("f").body().statements();
        assertInstanceOf(Stmt.While.class, statements.get(0));
        assertInstanceOf(Stmt.DoWhile.class, statements.get(1));
        Stmt.For forever = assertInstanceOf(Stmt.For.class, statements.get(2));
        assertNull(forever.init());
        assertNull(forever.condition());
        assertNull(forever.step());
        Stmt.For twoVariables = assertInstanceOf(Stmt.For.class, statements.get(3));
        assertEquals(2, assertInstanceOf(Stmt.Block.class, twoVariables.init()).statements().size());
        assertInstanceOf(Stmt.Empty.class, twoVariables.body());
    }
}
