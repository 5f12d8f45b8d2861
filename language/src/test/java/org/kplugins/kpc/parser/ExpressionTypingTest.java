// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kplugins.kpc.parser.ParserTestSupport.expression;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.UnaryOp;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.VoidType;

class ExpressionTypingTest {

    @Test
    void narrowCastPromotesToInt() {
        Expr.Binary add = assertInstanceOf(Expr.Binary.class, expression("(unsigned char)200 + 1"));
        assertEquals(IntegerType.INT, add.type());
        assertEquals(BinaryOp.ADD, add.op());
        Expr.Cast promotion = assertInstanceOf(Expr.Cast.class, add.left());
        assertEquals(IntegerType.INT, promotion.type());
        Expr.Cast explicit = assertInstanceOf(Expr.Cast.class, promotion.operand());
        assertEquals(IntegerType.UCHAR, explicit.type());
        assertEquals(new Expr.IntConstant(IntegerType.INT, 1, add.right().location()), add.right());
    }

    @Test
    void unsignedPlusNegativeIsUnsigned() {
        Expr.Binary add = assertInstanceOf(Expr.Binary.class, expression("1u + -1"));
        assertEquals(IntegerType.UINT, add.type());
        Expr.Cast converted = assertInstanceOf(Expr.Cast.class, add.right());
        assertEquals(IntegerType.UINT, converted.type());
        Expr.Unary negate = assertInstanceOf(Expr.Unary.class, converted.operand());
        assertEquals(UnaryOp.NEGATE, negate.op());
        assertEquals(IntegerType.INT, negate.type());
    }

    @Test
    void signedUnsignedComparisonIsUnsigned() {
        Expr.Binary less = assertInstanceOf(Expr.Binary.class, expression("-1 < 1u"));
        assertEquals(IntegerType.INT, less.type());
        assertEquals(BinaryOp.LT, less.op());
        assertEquals(IntegerType.UINT, less.left().type());
        assertEquals(IntegerType.UINT, less.right().type());
        assertEquals(0L, ConstantEvaluator.evaluate(less));
    }

    @Test
    void usualArithmeticConversionsUnderIlp32() {
        assertEquals(IntegerType.ULONG, expression("long l; unsigned int u;", "l + u").type());
        assertEquals(IntegerType.LLONG, expression("long long ll; unsigned int u;", "ll + u").type());
        assertEquals(IntegerType.ULONG, expression("int i; unsigned long ul;", "i + ul").type());
        assertEquals(IntegerType.LLONG, expression("unsigned long ul; long long ll;", "ul + ll").type());
        assertEquals(IntegerType.ULLONG, expression("long long ll; unsigned long long ull;", "ll * ull").type());
        assertEquals(IntegerType.INT, expression("short s; char c;", "s | c").type());
        assertEquals(IntegerType.INT, expression("_Bool b;", "b + b").type());
    }

    @Test
    void integerConstantTypes() {
        assertEquals(IntegerType.INT, expression("2147483647").type());
        assertEquals(IntegerType.LLONG, expression("2147483648").type());
        assertEquals(IntegerType.UINT, expression("0x80000000").type());
        assertEquals(IntegerType.UINT, expression("037777777777").type());
        assertEquals(IntegerType.LLONG, expression("0x100000000").type());
        assertEquals(IntegerType.ULLONG, expression("0xffffffffffffffff").type());
        assertEquals(IntegerType.UINT, expression("1u").type());
        assertEquals(IntegerType.LONG, expression("1L").type());
        assertEquals(IntegerType.ULONG, expression("1ul").type());
        assertEquals(IntegerType.ULONG, expression("0xffffffffL").type());
        assertEquals(IntegerType.LLONG, expression("4294967295L").type());
        assertEquals(IntegerType.ULLONG, expression("1ULL").type());
        assertEquals(IntegerType.INT, expression("'a'").type());
    }

    @Test
    void sizeofFoldsToSizeT() {
        Expr.IntConstant size = assertInstanceOf(Expr.IntConstant.class,
                expression("sizeof(struct { char c; long long x; })"));
        assertEquals(IntegerType.UINT, size.type());
        assertEquals(16, size.value());
        assertEquals(12L, ((Expr.IntConstant) expression("int a[3];", "sizeof a")).value());
        assertEquals(4L, ((Expr.IntConstant) expression("int a[3];", "sizeof(a + 0)")).value());
        assertEquals(8L, ((Expr.IntConstant) expression("sizeof(long long)")).value());
        assertEquals(4L, ((Expr.IntConstant) expression("sizeof(size_t)")).value());
        assertEquals(24L, ((Expr.IntConstant) expression("sizeof(int[2][3])")).value());
        assertEquals(8L, ((Expr.IntConstant) expression("_Alignof(uint64_t)")).value());
    }

    @Test
    void pointerArithmeticElementSizes() {
        Expr.PointerArithmetic plus = assertInstanceOf(Expr.PointerArithmetic.class, expression("int *p;", "p + 2"));
        assertEquals(4, plus.elementSize());
        assertEquals(BinaryOp.ADD, plus.op());
        Expr.PointerArithmetic swapped = assertInstanceOf(Expr.PointerArithmetic.class, expression("short *p;", "2 + p"));
        assertEquals(2, swapped.elementSize());
        assertInstanceOf(Expr.VariableRef.class, swapped.pointer());
        Expr.PointerArithmetic minus = assertInstanceOf(Expr.PointerArithmetic.class,
                expression("struct s { int a; char b; } *p;", "p - 1"));
        assertEquals(8, minus.elementSize());
        assertEquals(BinaryOp.SUB, minus.op());
        Expr.PointerDifference difference = assertInstanceOf(Expr.PointerDifference.class,
                expression("long long *p, *q;", "q - p"));
        assertEquals(8, difference.elementSize());
        assertEquals(IntegerType.INT, difference.type());
        Expr.PointerArithmetic wideIndex = assertInstanceOf(Expr.PointerArithmetic.class, expression("char *p;", "p + 1LL"));
        assertEquals(IntegerType.INT, wideIndex.index().type());
    }

    @Test
    void subscriptIsDereferenceOfSum() {
        Expr.Dereference element = assertInstanceOf(Expr.Dereference.class, expression("int a[4]; int i;", "a[i]"));
        assertEquals(IntegerType.INT, element.type());
        Expr.PointerArithmetic sum = assertInstanceOf(Expr.PointerArithmetic.class, element.pointer());
        assertEquals(4, sum.elementSize());
        Expr.Decay decay = assertInstanceOf(Expr.Decay.class, sum.pointer());
        assertEquals(new PointerType(IntegerType.INT).spelling(), decay.type().spelling());
        Expr.Dereference row = assertInstanceOf(Expr.Dereference.class, expression("int m[2][3];", "m[1]"));
        assertEquals(12, ((Expr.PointerArithmetic) row.pointer()).elementSize());
    }

    @Test
    void arrowIsMemberOfDereference() {
        Expr.MemberAccess access = assertInstanceOf(Expr.MemberAccess.class,
                expression("struct point { int x; int y; } *p;", "p->y"));
        assertEquals("y", access.member().name());
        assertEquals(4, access.member().offset());
        Expr.Dereference dereference = assertInstanceOf(Expr.Dereference.class, access.struct());
        assertInstanceOf(Expr.VariableRef.class, dereference.pointer());
        Expr.MemberAccess constMember = assertInstanceOf(Expr.MemberAccess.class,
                expression("const struct point { int x; } s = {1};", "s.x"));
        assertTrue(constMember.type().isConst());
    }

    @Test
    void addressOfMarksVariable() {
        ParserTestSupport.Parsed parsed = ParserTestSupport.parseClean(
                "void f(void) { int a; int b; int *p = &a; b = 1; }");
        List<Variable> locals = parsed.function("f").locals();
        assertTrue(locals.get(0).isAddressTaken());
        assertFalse(locals.get(1).isAddressTaken());
        assertFalse(locals.get(2).isAddressTaken());
    }

    @Test
    void addressOfDereferenceIsThePointer() {
        Expr sum = expression("int a[4];", "&a[2]");
        Expr.PointerArithmetic arithmetic = assertInstanceOf(Expr.PointerArithmetic.class, sum);
        assertEquals(4, arithmetic.elementSize());
    }

    @Test
    void compoundAssignmentTypes() {
        Expr.CompoundAssign charAdd = assertInstanceOf(Expr.CompoundAssign.class, expression("char c;", "c += 1"));
        assertEquals(IntegerType.CHAR, charAdd.type());
        assertEquals(IntegerType.INT, charAdd.operationType());
        assertEquals(0, charAdd.elementSize());
        Expr.CompoundAssign shift = assertInstanceOf(Expr.CompoundAssign.class, expression("unsigned char c;", "c <<= 1LL"));
        assertEquals(IntegerType.INT, shift.operationType());
        assertEquals(IntegerType.LLONG, shift.value().type());
        Expr.CompoundAssign pointer = assertInstanceOf(Expr.CompoundAssign.class, expression("long long *p;", "p -= 3"));
        assertEquals(8, pointer.elementSize());
        assertEquals(BinaryOp.SUB, pointer.op());
        Expr.CompoundAssign wide = assertInstanceOf(Expr.CompoundAssign.class, expression("int i;", "i *= 2u"));
        assertEquals(IntegerType.UINT, wide.operationType());
        assertEquals(IntegerType.INT, wide.type());
    }

    @Test
    void assignmentConvertsValue() {
        Expr.Assign assign = assertInstanceOf(Expr.Assign.class, expression("unsigned char c; int i;", "c = i"));
        assertEquals(IntegerType.UCHAR, assign.type());
        assertEquals(IntegerType.UCHAR, assertInstanceOf(Expr.Cast.class, assign.value()).type());
        Expr.Assign folded = assertInstanceOf(Expr.Assign.class, expression("unsigned char c;", "c = 300"));
        assertEquals(new Expr.IntConstant(IntegerType.UCHAR, 44, folded.value().location()), folded.value());
        Expr.Assign nullPointer = assertInstanceOf(Expr.Assign.class, expression("int *p;", "p = 0"));
        assertEquals("int *", nullPointer.value().type().spelling());
        Expr.Assign fromVoid = assertInstanceOf(Expr.Assign.class, expression("int *p;", "p = kp_alloc(4)"));
        assertInstanceOf(Expr.Cast.class, fromVoid.value());
    }

    @Test
    void shiftPromotesOperandsSeparately() {
        Expr.Binary shift = assertInstanceOf(Expr.Binary.class, expression("char c; long long n;", "c << n"));
        assertEquals(IntegerType.INT, shift.type());
        assertEquals(IntegerType.LLONG, shift.right().type());
    }

    @Test
    void incrementSteps() {
        Expr.IncDec pointer = assertInstanceOf(Expr.IncDec.class, expression("int *p;", "p++"));
        assertEquals(4, pointer.step());
        assertFalse(pointer.prefix());
        assertTrue(pointer.increment());
        Expr.IncDec integer = assertInstanceOf(Expr.IncDec.class, expression("char c;", "--c"));
        assertEquals(1, integer.step());
        assertTrue(integer.prefix());
        assertEquals(IntegerType.CHAR, integer.type());
    }

    @Test
    void conditionalResultTypes() {
        assertEquals("int *", expression("int *p; int c;", "c ? p : 0").type().spelling());
        assertEquals("const void *", expression("int *p; const void *q; int c;", "c ? p : q").type().spelling());
        assertEquals(IntegerType.UINT, expression("int c;", "c ? 1 : 2u").type());
        assertEquals(VoidType.VOID, expression("int c;", "c ? (void)0 : (void)1").type());
    }

    @Test
    void logicalOperatorsYieldInt() {
        Expr.Binary and = assertInstanceOf(Expr.Binary.class, expression("int *p; long long n;", "p && n"));
        assertEquals(IntegerType.INT, and.type());
        assertEquals("int *", and.left().type().spelling());
        Expr.Unary not = assertInstanceOf(Expr.Unary.class, expression("char *p;", "!p"));
        assertEquals(IntegerType.INT, not.type());
    }

    @Test
    void pointerComparisonWithNullAndVoid() {
        Expr.Binary equal = assertInstanceOf(Expr.Binary.class, expression("int *p;", "p == NULL"));
        assertEquals(equal.left().type().spelling(), equal.right().type().spelling());
        Expr.Binary mixed = assertInstanceOf(Expr.Binary.class, expression("int *p; void *v;", "p < v"));
        assertEquals("void *", mixed.left().type().spelling());
        assertEquals("void *", mixed.right().type().spelling());
    }

    @Test
    void callArgumentsConverted() {
        Expr.Call call = assertInstanceOf(Expr.Call.class, expression("char c; short s;", "printk(\"%d %d\", c, s)"));
        assertEquals(IntegerType.INT, call.type());
        assertEquals("const char *", call.arguments().get(0).type().spelling());
        assertEquals(IntegerType.INT, call.arguments().get(1).type());
        assertEquals(IntegerType.INT, call.arguments().get(2).type());
        Expr.Call alloc = assertInstanceOf(Expr.Call.class, expression("char c;", "kp_alloc(c)"));
        assertEquals(IntegerType.UINT, alloc.arguments().get(0).type());
        assertEquals("kp_alloc", alloc.callee().name());
    }

    @Test
    void enumConstantsFoldToInt() {
        Expr.IntConstant constant = assertInstanceOf(Expr.IntConstant.class,
                expression("enum color { RED, GREEN = 5, BLUE };", "BLUE"));
        assertEquals(IntegerType.INT, constant.type());
        assertEquals(6, constant.value());
    }

    @Test
    void stringLiteralIsCharArray() {
        Expr.Call call = assertInstanceOf(Expr.Call.class, expression("printk(\"ab\\n\")"));
        Expr.Cast cast = assertInstanceOf(Expr.Cast.class, call.arguments().get(0));
        Expr.Decay decay = assertInstanceOf(Expr.Decay.class, cast.operand());
        Expr.StringLiteral literal = assertInstanceOf(Expr.StringLiteral.class, decay.array());
        assertEquals("ab\n", literal.bytes());
        assertEquals("char[4]", literal.type().spelling());
    }

    @Test
    void unaryPlusIsPromotionCast() {
        Expr.Cast plus = assertInstanceOf(Expr.Cast.class, expression("short s;", "+s"));
        assertEquals(IntegerType.INT, plus.type());
    }

    @Test
    void commaYieldsRightOperand() {
        Expr.Comma comma = assertInstanceOf(Expr.Comma.class, expression("int a[2]; char c;", "c, a"));
        assertEquals("int *", comma.type().spelling());
    }

    @Test
    void sameVariableObjectForEveryUse() {
        ParserTestSupport.Parsed parsed = ParserTestSupport.parseClean("int g; void f(void) { g = 1; g = 2; }");
        List<Stmt> statements = parsed.function("f").body().statements();
        Expr.Assign first = (Expr.Assign) ((Stmt.ExprStmt) statements.get(0)).expression();
        Expr.Assign second = (Expr.Assign) ((Stmt.ExprStmt) statements.get(1)).expression();
        assertSame(((Expr.VariableRef) first.target()).variable(), ((Expr.VariableRef) second.target()).variable());
        assertSame(parsed.global("g"), ((Expr.VariableRef) first.target()).variable());
    }
}
