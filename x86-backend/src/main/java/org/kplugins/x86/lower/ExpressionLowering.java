// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.lower;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.builtins.HostExport;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.nodes.KpcFunctionBodyNode;
import org.kplugins.kpc.nodes.call.KpcHostFunctionCallNode;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;
import org.kplugins.monitor.link.FunctionExport;
import org.kplugins.x86.ir.Block;
import org.kplugins.x86.ir.Cond;
import org.kplugins.x86.ir.HostTarget;
import org.kplugins.x86.ir.Imm;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.Operand;
import org.kplugins.x86.ir.VReg;
import org.kplugins.x86.ir.Width;

/**
 * Lowers expressions to IR, in the Truffle tier's evaluation order (left operand first, arguments
 * left to right, the address of an assignment's target before its value) and with its conversions.
 * {@link Places} handles lvalues, loads and stores.
 *
 * <p>Reading a register local yields the local's own register, not a copy. Where a later operand
 * could assign that local before the value is used, as in {@code x + (x = 5)}, the value is first
 * copied to a temporary ({@link #stable}).
 */
final class ExpressionLowering {

    private final FunctionLowering function;
    private final Places places;
    /** Whether an expression contains an assignment, ++ or --, memoized by identity. */
    private final Map<Expr, Boolean> assigns = new IdentityHashMap<>();

    ExpressionLowering(FunctionLowering function) {
        this.function = function;
        this.places = new Places(function, this);
    }

    /** Lowers an expression whose value is used; returns null for a void expression. */
    Operand value(Expr e) {
        function.program.checkType(e.type(), e.location());
        return switch (e) {
            case Expr.IntConstant c -> Imm.of(c.value(), width(c.type()));
            case Expr.FloatConstant c -> Imm.of(c.bits(), width(c.type()));
            case Expr.StringLiteral s -> Imm.of(function.program.layout().stringAddress(s.bytes()), Width.I32);
            case Expr.VariableRef v -> places.load(places.place(v), v.location());
            case Expr.Unary u -> unary(u);
            case Expr.Binary b -> binary(b);
            case Expr.PointerArithmetic p -> {
                Operand pointer = stable(value(p.pointer()), p.index());
                yield pointerArithmetic(p.op(), pointer, value(p.index()), p.elementSize());
            }
            case Expr.PointerDifference d -> {
                Operand left = stable(value(d.left()), d.right());
                Operand difference = binaryOp(Instr.BinaryOp.SUB, Width.I32, left, value(d.right()));
                yield divideByConstant(difference, d.elementSize());
            }
            case Expr.Assign a -> places.assign(a);
            case Expr.CompoundAssign c -> places.compoundAssign(c);
            case Expr.IncDec i -> places.incrementOrDecrement(i);
            case Expr.Conditional c -> conditional(c);
            case Expr.Comma c -> {
                effect(c.left());
                yield value(c.right());
            }
            case Expr.Cast c -> convert(value(c.operand()), c.operand().type(), c.type());
            case Expr.Decay d -> places.address(d.array());
            case Expr.AddressOf a -> places.address(a.operand());
            case Expr.Dereference d -> places.load(places.place(d), d.location());
            case Expr.MemberAccess m -> places.load(places.place(m), m.location());
            case Expr.Call c -> call(c);
            case Expr.CompoundLiteral c -> places.load(places.place(c), c.location());
            case Expr.FunctionRef f -> throw new UnsupportedFeatureException(f.location(), "function pointers");
            case Expr.FunctionAddress f -> Imm.of(function.program.tokenOf(f.function()), Width.I32);
            case Expr.IndirectCall c -> indirectCall(c);
            case Expr.VariadicArguments v -> binaryOp(Instr.BinaryOp.ADD, Width.I32, function.stackPointer,
                            Imm.of(namedArgumentBytes(), Width.I32));
            default -> throw new UnsupportedFeatureException(e.location(), "the expression " + e.getClass().getSimpleName());
        };
    }

    /** Lowers an expression evaluated for its effects only. */
    void effect(Expr e) {
        value(e);
    }

    /**
     * Lowers a scalar as an {@code I32} truth value: a floating value is compared with 0.0 (so -0.0
     * is false and a NaN true), a long long with 0, and anything else is itself.
     */
    Operand condition(Expr e) {
        Operand value = value(e);
        if (e.type() instanceof FloatingType) {
            return floatCompare(Cond.NE, value, Imm.of(0, value.width()));
        }
        return value.width() == Width.I64 ? compare(Cond.NE, value, Imm.of(0, Width.I64)) : value;
    }

    /**
     * Lowers a condition as control flow: goes to {@code ifTrue} when it is nonzero, else to
     * {@code ifFalse}. Comparisons become one branch, and {@code &&}, {@code ||} and {@code !}
     * short-circuit without materializing 0 or 1.
     */
    void branch(Expr e, Block ifTrue, Block ifFalse) {
        function.program.checkType(e.type(), e.location());
        if (e instanceof Expr.Binary b && b.op().isComparison() && b.left().type() instanceof FloatingType) {
            Operand left = stable(value(b.left()), b.right());
            Operand result = floatCompare(floatCondition(b.op()), left, value(b.right()));
            function.emit(new Instr.Branch(Cond.NE, result, Imm.of(0, Width.I32), ifTrue, ifFalse));
        } else if (e instanceof Expr.Binary b && b.op().isComparison()) {
            Operand left = stable(value(b.left()), b.right());
            Operand right = value(b.right());
            function.emit(new Instr.Branch(condition(b.op(), b.left().type()), left, right, ifTrue, ifFalse));
        } else if (e instanceof Expr.Binary b && b.op() == BinaryOp.LOGICAL_AND) {
            Block right = function.ir.newBlock();
            branch(b.left(), right, ifFalse);
            function.switchTo(right);
            branch(b.right(), ifTrue, ifFalse);
        } else if (e instanceof Expr.Binary b && b.op() == BinaryOp.LOGICAL_OR) {
            Block right = function.ir.newBlock();
            branch(b.left(), ifTrue, right);
            function.switchTo(right);
            branch(b.right(), ifTrue, ifFalse);
        } else if (e instanceof Expr.Unary u && u.op() == org.kplugins.kpc.ast.UnaryOp.LOGICAL_NOT) {
            branch(u.operand(), ifFalse, ifTrue);
        } else {
            Operand value = condition(e);
            function.emit(new Instr.Branch(Cond.NE, value, Imm.of(0, value.width()), ifTrue, ifFalse));
        }
    }

    // ---- Operators ----

    private Operand unary(Expr.Unary u) {
        return switch (u.op()) {
            case NEGATE -> u.type() instanceof FloatingType ? negateFloating(value(u.operand()))
                            : unaryOp(Instr.UnaryOp.NEG, value(u.operand()));
            case BIT_NOT -> unaryOp(Instr.UnaryOp.NOT, value(u.operand()));
            case LOGICAL_NOT -> compare(Cond.EQ, condition(u.operand()), Imm.of(0, Width.I32));
        };
    }

    private Operand binary(Expr.Binary b) {
        if (b.op() == BinaryOp.LOGICAL_AND || b.op() == BinaryOp.LOGICAL_OR) {
            return logical(b);
        }
        Operand left = stable(value(b.left()), b.right());
        Operand right = value(b.right());
        SourceLocation operator = SourceSpans.operator(b.location(), b.right().location(), b.op().spelling);
        return arithmetic(b.op(), b.type(), left, right, b.left().type(), b.right().type(), operator);
    }

    /**
     * Applies a binary operator to evaluated operands, as the Truffle tier's operator nodes do:
     * wrapping arithmetic, division that faults at {@code operator}, shift counts masked by the
     * processor, and comparisons that yield an int 0 or 1.
     */
    Operand arithmetic(BinaryOp op, CType type, Operand left, Operand right, CType leftType, CType rightType,
                    SourceLocation operator) {
        if (type instanceof FloatingType || leftType instanceof FloatingType && op.isComparison()) {
            return switch (op) {
                case ADD -> floatBinary(Instr.FloatOp.ADD, left, right);
                case SUB -> floatBinary(Instr.FloatOp.SUB, left, right);
                case MUL -> floatBinary(Instr.FloatOp.MUL, left, right);
                case DIV -> floatBinary(Instr.FloatOp.DIV, left, right);
                case EQ, NE, LT, LE, GT, GE -> floatCompare(floatCondition(op), left, right);
                default -> throw new IllegalStateException(op.spelling + " on floating operands");
            };
        }
        boolean unsigned = isUnsigned(type);
        Width width = op.isComparison() ? Width.I32 : width(type);
        Operand result = switch (op) {
            case ADD -> binaryOp(Instr.BinaryOp.ADD, width, left, right);
            case SUB -> binaryOp(Instr.BinaryOp.SUB, width, left, right);
            case MUL -> binaryOp(Instr.BinaryOp.MUL, width, left, right);
            case BIT_AND -> binaryOp(Instr.BinaryOp.AND, width, left, right);
            case BIT_OR -> binaryOp(Instr.BinaryOp.OR, width, left, right);
            case BIT_XOR -> binaryOp(Instr.BinaryOp.XOR, width, left, right);
            case DIV -> divide(unsigned ? Instr.DivideOp.UNSIGNED_QUOTIENT : Instr.DivideOp.SIGNED_QUOTIENT, width, left,
                            right, operator);
            case REM -> divide(unsigned ? Instr.DivideOp.UNSIGNED_REMAINDER : Instr.DivideOp.SIGNED_REMAINDER, width,
                            left, right, operator);
            case SHL -> binaryOp(Instr.BinaryOp.SHL, width, left, shiftCount(right));
            case SHR -> binaryOp(unsigned ? Instr.BinaryOp.SHR : Instr.BinaryOp.SAR, width, left, shiftCount(right));
            case EQ, NE, LT, LE, GT, GE -> compare(condition(op, leftType), left, right);
            case LOGICAL_AND, LOGICAL_OR -> throw new IllegalStateException(op.spelling + " has evaluated operands");
        };
        if (!op.isComparison() && type instanceof IntegerType integer && integer.size() < 4) {
            // The parser promotes operands to at least int; this keeps a narrower result in range anyway.
            return convert(result, IntegerType.INT, type);
        }
        return result;
    }

    /** {@code a && b} and {@code a || b} as values: 1 or 0, with the right operand evaluated only when needed. */
    private Operand logical(Expr.Binary b) {
        VReg result = function.temporary(Width.I32);
        Block right = function.ir.newBlock();
        Block shortCircuit = function.ir.newBlock();
        Block end = function.ir.newBlock();
        boolean and = b.op() == BinaryOp.LOGICAL_AND;
        Operand left = condition(b.left());
        function.emit(new Instr.Branch(Cond.NE, left, Imm.of(0, Width.I32), and ? right : shortCircuit,
                        and ? shortCircuit : right));
        function.switchTo(right);
        function.emit(new Instr.Compare(Cond.NE, result, condition(b.right()), Imm.of(0, Width.I32)));
        function.emit(new Instr.Jump(end));
        function.switchTo(shortCircuit);
        function.emit(new Instr.Move(result, Imm.of(and ? 0 : 1, Width.I32)));
        function.startBlock(end);
        return result;
    }

    private Operand conditional(Expr.Conditional c) {
        Block whenTrue = function.ir.newBlock();
        Block whenFalse = function.ir.newBlock();
        Block end = function.ir.newBlock();
        VReg result = c.type().isVoid() ? null : function.temporary(width(c.type()));
        branch(c.condition(), whenTrue, whenFalse);
        function.switchTo(whenTrue);
        Operand trueValue = value(c.whenTrue());
        if (result != null) {
            function.emit(new Instr.Move(result, trueValue));
        }
        function.startBlock(end);
        function.switchTo(whenFalse);
        Operand falseValue = value(c.whenFalse());
        if (result != null) {
            function.emit(new Instr.Move(result, falseValue));
        }
        function.startBlock(end);
        return result;
    }

    /** {@code pointer ± index * elementSize} in 32-bit wrapping arithmetic. */
    Operand pointerArithmetic(BinaryOp op, Operand pointer, Operand index, int elementSize) {
        Operand offset = elementSize == 1 ? index : binaryOp(Instr.BinaryOp.MUL, Width.I32, index, Imm.of(elementSize, Width.I32));
        return binaryOp(op == BinaryOp.SUB ? Instr.BinaryOp.SUB : Instr.BinaryOp.ADD, Width.I32, pointer, offset);
    }

    /** Returns a shift count as an int: a long long count keeps its low 32 bits, as the Truffle tier's cast does. */
    private Operand shiftCount(Operand count) {
        return count.width() == Width.I64 ? convertBits(Width.I32, count, 32, false) : count;
    }

    private Operand divide(Instr.DivideOp op, Width width, Operand left, Operand right, SourceLocation operator) {
        VReg result = function.temporary(width);
        function.emit(new Instr.Divide(op, result, left, right, function.site(operator)));
        return result;
    }

    /** Signed division by a positive constant, which cannot fault. */
    private Operand divideByConstant(Operand dividend, int divisor) {
        if (divisor == 1) {
            return dividend;
        }
        if (dividend instanceof Imm constant) {
            return Imm.of((int) constant.value() / divisor, Width.I32);
        }
        VReg result = function.temporary(Width.I32);
        function.emit(new Instr.Divide(Instr.DivideOp.SIGNED_QUOTIENT, result, dividend, Imm.of(divisor, Width.I32), null));
        return result;
    }

    /** Returns the IR condition of a comparison operator on operands of {@code operandType}. */
    private static Cond condition(BinaryOp op, CType operandType) {
        boolean unsigned = isUnsigned(operandType);
        return switch (op) {
            case EQ -> Cond.EQ;
            case NE -> Cond.NE;
            case LT -> unsigned ? Cond.ULT : Cond.LT;
            case LE -> unsigned ? Cond.ULE : Cond.LE;
            case GT -> unsigned ? Cond.UGT : Cond.GT;
            case GE -> unsigned ? Cond.UGE : Cond.GE;
            default -> throw new IllegalArgumentException("not a comparison: " + op.spelling);
        };
    }

    // ---- Instructions with constant folding ----

    /** Emits {@code dst = left op right} into a new temporary, or folds it when both operands are constants. */
    Operand binaryOp(Instr.BinaryOp op, Width width, Operand left, Operand right) {
        if (left instanceof Imm a && right instanceof Imm b) {
            return Imm.of(fold(op, width, a.value(), b.value()), width);
        }
        VReg result = function.temporary(width);
        function.emit(new Instr.Binary(op, result, left, right));
        return result;
    }

    /** Computes a binary operation on constants with the wrapping and shift masking of the machine code. */
    private static long fold(Instr.BinaryOp op, Width width, long a, long b) {
        boolean is64 = width == Width.I64;
        int count = (int) b & (is64 ? 63 : 31);
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case AND -> a & b;
            case OR -> a | b;
            case XOR -> a ^ b;
            case SHL -> is64 ? a << count : (int) a << count;
            case SHR -> is64 ? a >>> count : (int) a >>> count;
            case SAR -> is64 ? a >> count : (int) a >> count;
        };
    }

    private Operand unaryOp(Instr.UnaryOp op, Operand operand) {
        if (operand instanceof Imm constant) {
            long value = op == Instr.UnaryOp.NEG ? -constant.value() : ~constant.value();
            return Imm.of(value, constant.width());
        }
        VReg result = function.temporary(operand.width());
        function.emit(new Instr.Unary(op, result, operand));
        return result;
    }

    Operand compare(Cond cond, Operand left, Operand right) {
        VReg result = function.temporary(Width.I32);
        function.emit(new Instr.Compare(cond, result, left, right));
        return result;
    }

    /** {@code dst} of {@code width} = the low {@code fromBits} of {@code value}, extended; folded for constants. */
    private Operand convertBits(Width width, Operand value, int fromBits, boolean signed) {
        if (value instanceof Imm constant) {
            long bits = fromBits == 64 ? constant.value()
                            : signed ? constant.value() << (64 - fromBits) >> (64 - fromBits)
                            : constant.value() & ((1L << fromBits) - 1);
            return Imm.of(bits, width);
        }
        VReg result = function.temporary(width);
        function.emit(new Instr.Convert(result, value, fromBits, signed));
        return result;
    }

    // ---- Floating point ----

    /** Emits {@code dst = left op right} on two floats or two doubles. */
    Operand floatBinary(Instr.FloatOp op, Operand left, Operand right) {
        VReg result = function.temporary(left.width());
        function.emit(new Instr.FloatBinary(op, result, left, right));
        return result;
    }

    private Operand floatCompare(Cond cond, Operand left, Operand right) {
        VReg result = function.temporary(Width.I32);
        function.emit(new Instr.FloatCompare(cond, result, left, right));
        return result;
    }

    private static Cond floatCondition(BinaryOp op) {
        return switch (op) {
            case EQ -> Cond.EQ;
            case NE -> Cond.NE;
            case LT -> Cond.LT;
            case LE -> Cond.LE;
            case GT -> Cond.GT;
            case GE -> Cond.GE;
            default -> throw new IllegalArgumentException("not a comparison: " + op.spelling);
        };
    }

    /** Flips the sign bit only, NaNs included, as the Truffle tier and gcc's {@code xorps} do. */
    private Operand negateFloating(Operand value) {
        long sign = value.width() == Width.I64 ? Long.MIN_VALUE : Integer.MIN_VALUE;
        return binaryOp(Instr.BinaryOp.XOR, value.width(), value, Imm.of(sign, value.width()));
    }

    /**
     * Converts to or from a floating type as the Truffle tier's {@code convertFloating} does: to
     * _Bool by comparing with 0.0, and to an integer type narrower than int through int.
     */
    private Operand convertFloating(Operand value, CType from, CType to) {
        if (from.unqualified().sameAs(to.unqualified())) {
            return value;
        }
        if (to instanceof IntegerType target && target.isBool()) {
            return floatCompare(Cond.NE, value, Imm.of(0, value.width()));
        }
        if (from instanceof FloatingType && to instanceof FloatingType) {
            return floatConvert(Instr.FloatConversion.RESIZE, width(to), value);
        }
        if (to instanceof FloatingType) {
            // Integers narrower than int are carried extended to int by their own signedness, so they convert as int.
            IntegerType source = (IntegerType) from;
            boolean unsigned = !source.isSigned() && source.size() >= 4;
            return floatConvert(unsigned ? Instr.FloatConversion.FROM_UNSIGNED : Instr.FloatConversion.FROM_SIGNED,
                            width(to), value);
        }
        IntegerType target = (IntegerType) to;
        boolean unsigned = !target.isSigned() && target.size() >= 4;
        Operand converted = floatConvert(unsigned ? Instr.FloatConversion.TO_UNSIGNED : Instr.FloatConversion.TO_SIGNED,
                        target.size() < 4 ? Width.I32 : width(to), value);
        if (target.size() < 4) {
            return convertBits(Width.I32, converted, 8 * target.size(), target.isSigned());
        }
        return converted;
    }

    private Operand floatConvert(Instr.FloatConversion conversion, Width width, Operand value) {
        VReg result = function.temporary(width);
        function.emit(new Instr.FloatConvert(conversion, result, value));
        return result;
    }

    // ---- Conversions ----

    /**
     * Converts a value of type {@code from} to type {@code to} as the Truffle tier does:
     * truncation, sign or zero extension by the source's signedness, comparison with zero for
     * _Bool, and nothing for void (which yields null) or struct values.
     */
    Operand convert(Operand value, CType from, CType to) {
        if (to.isVoid()) {
            return null;
        }
        if (!to.isScalar() || !from.isScalar()) {
            return value;
        }
        if (from instanceof FloatingType || to instanceof FloatingType) {
            return convertFloating(value, from, to);
        }
        if (to instanceof IntegerType target && target.isBool()) {
            boolean fromBool = from instanceof IntegerType source && source.isBool();
            return fromBool ? value : compare(Cond.NE, value, Imm.of(0, value.width()));
        }
        if (width(to) == Width.I64) {
            return value.width() == Width.I64 ? value : convertBits(Width.I64, value, 32, !isUnsigned(from));
        }
        Operand narrowed = value;
        CType narrowedFrom = from;
        if (value.width() == Width.I64) {
            narrowed = convertBits(Width.I32, value, 32, false);
            narrowedFrom = IntegerType.INT;
        }
        int size = to.size();
        if (size < 4 && !fitsWithoutTruncation(narrowedFrom, (IntegerType) to)) {
            return convertBits(Width.I32, narrowed, 8 * size, ((IntegerType) to).isSigned());
        }
        return narrowed;
    }

    /** Returns whether every value of the int-valued type {@code from} is already in the range of {@code to}. */
    private static boolean fitsWithoutTruncation(CType from, IntegerType to) {
        if (from instanceof IntegerType source) {
            if (source.isBool()) {
                return true;
            }
            if (source.size() < to.size()) {
                return !source.isSigned() || to.isSigned();
            }
            return source.size() == to.size() && source.isSigned() == to.isSigned();
        }
        return false;
    }

    static boolean isUnsigned(CType type) {
        return type instanceof PointerType || type instanceof IntegerType integer && !integer.isSigned();
    }

    Width width(CType type) {
        return function.program.widthOf(type, null);
    }

    // ---- Calls ----

    private Operand call(Expr.Call c) {
        Function callee = c.callee();
        HostExport export = function.program.builtin(callee);
        if (export != null) {
            return builtinCall(export, c);
        }
        FunctionExport tableExport = function.program.tableFunction(callee);
        if (tableExport != null) {
            return tableCall(tableExport, c);
        }
        if (c.type() instanceof StructType) {
            throw new UnsupportedFeatureException(c.location(), "calls that return a struct");
        }
        List<Operand> arguments = arguments(c.arguments());
        VReg result = c.type().isVoid() ? null : function.temporary(width(c.type()));
        int areaSize = callee.type().isVariadic() ? argumentAreaSize(arguments) : 0;
        function.emit(new Instr.Call(result, callee.name(), function.frameBase, arguments, areaSize,
                        function.site(c.location())));
        return result;
    }

    /** Returns the bytes of the argument area of a variadic call, as the Truffle tier computes them. */
    private static int argumentAreaSize(List<Operand> arguments) {
        boolean[] isLong = new boolean[arguments.size()];
        for (int i = 0; i < isLong.length; i++) {
            isLong[i] = arguments.get(i).width() == Width.I64;
        }
        return KpcFunctionBodyNode.argumentAreaSize(isLong);
    }

    /** Returns the bytes of the named parameters' slots at the start of this variadic function's argument area. */
    private int namedArgumentBytes() {
        int bytes = 0;
        for (org.kplugins.kpc.ast.Variable parameter : function.function.parameters()) {
            bytes += width(parameter.type()) == Width.I64 ? 8 : 4;
        }
        return bytes;
    }

    /**
     * A call through a function pointer: the pointer first, then the arguments, as the Truffle
     * tier evaluates them. The host call for a pointer to a host function is made here and
     * registered with the program, but only the indirect call runs it.
     */
    private Operand indirectCall(Expr.IndirectCall c) {
        Operand pointer = value(c.pointer());
        for (Expr argument : c.arguments()) {
            pointer = stable(pointer, argument);
        }
        List<Operand> arguments = arguments(c.arguments());
        VReg result = c.type().isVoid() ? null : function.temporary(width(c.type()));
        boolean[] is64Bit = new boolean[arguments.size()];
        boolean[] isDouble = new boolean[arguments.size()];
        for (int i = 0; i < is64Bit.length; i++) {
            is64Bit[i] = arguments.get(i).width() == Width.I64;
            isDouble[i] = c.arguments().get(i).type() instanceof FloatingType;
        }
        List<Operand> hostArguments = new ArrayList<>();
        hostArguments.add(pointer);
        hostArguments.addAll(arguments);
        org.kplugins.x86.ir.Site site = function.site(c.location());
        Instr.HostCall host = function.program.newHostCall(function.function.name(), result,
                        new HostTarget.IndirectHost(is64Bit, isDouble), hostArguments, site);
        int areaSize = c.calleeType().isVariadic() ? argumentAreaSize(arguments) : 0;
        function.emit(new Instr.IndirectCall(result, pointer, function.frameBase, arguments, c.calleeType(),
                        function.program.signatureOf(c.calleeType()), function.program.functionTableSize(), areaSize, host,
                        site));
        return result;
    }

    /** Evaluates arguments left to right, each kept stable against the assignments of the ones after it. */
    private List<Operand> arguments(List<Expr> expressions) {
        // laterAssigns[i]: whether an argument after i assigns, computed once so that a call with
        // many arguments lowers in linear time.
        boolean[] laterAssigns = new boolean[expressions.size() + 1];
        for (int i = expressions.size() - 1; i >= 0; i--) {
            laterAssigns[i] = laterAssigns[i + 1] || (i + 1 < expressions.size() && assigns(expressions.get(i + 1)));
        }
        List<Operand> values = new ArrayList<>(expressions.size());
        for (int i = 0; i < expressions.size(); i++) {
            Operand value = value(expressions.get(i));
            if (laterAssigns[i] && function.isLocalRegister(value)) {
                // A later argument may assign the local, so the call gets its value of now.
                VReg copy = function.temporary(value.width());
                function.emit(new Instr.Move(copy, value));
                value = copy;
            }
            values.add(value);
        }
        return values;
    }

    private Operand builtinCall(HostExport export, Expr.Call c) {
        List<Operand> arguments = arguments(c.arguments());
        HostTarget target = switch (export) {
            case PRINTK -> {
                boolean[] is64Bit = new boolean[arguments.size() - 1];
                boolean[] isDouble = new boolean[is64Bit.length];
                for (int i = 0; i < is64Bit.length; i++) {
                    is64Bit[i] = arguments.get(i + 1).width() == Width.I64;
                    isDouble[i] = c.arguments().get(i + 1).type() instanceof FloatingType;
                }
                yield new HostTarget.Printk(is64Bit, isDouble);
            }
            case VPRINTK -> new HostTarget.Vprintk();
            case KP_ALLOC -> new HostTarget.Alloc();
            case KP_FREE -> new HostTarget.Free();
        };
        VReg result = c.type().isVoid() ? null : function.temporary(Width.I32);
        return hostCall(result, target, arguments, c.location());
    }

    private Operand tableCall(FunctionExport export, Expr.Call c) {
        FunctionType type = c.callee().type();
        List<Operand> arguments = arguments(c.arguments());
        int[] conversions = new int[arguments.size()];
        for (int i = 0; i < conversions.length; i++) {
            conversions[i] = KpcHostFunctionCallNode.conversionOf(type.parameterTypes().get(i));
        }
        CType returnType = type.returnType();
        VReg result = returnType.isVoid() ? null : function.temporary(width(returnType));
        return hostCall(result, new HostTarget.TableFunction(export, conversions,
                        KpcHostFunctionCallNode.conversionOf(returnType)), arguments, c.location());
    }

    VReg hostCall(VReg result, HostTarget target, List<Operand> arguments, SourceLocation location) {
        function.emit(function.program.newHostCall(function.function.name(), result, target, arguments,
                        function.site(location)));
        return result;
    }

    // ---- Stability of register locals ----

    /**
     * Returns {@code value}, or a copy of it when it is a local's register and {@code later}, which
     * is evaluated before the value is used, may assign locals.
     */
    Operand stable(Operand value, Expr later) {
        if (!function.isLocalRegister(value) || later == null || !assigns(later)) {
            return value;
        }
        VReg copy = function.temporary(value.width());
        function.emit(new Instr.Move(copy, value));
        return copy;
    }

    /** Returns whether {@code e} contains an assignment, a compound assignment, ++ or --. Calls cannot assign register locals. */
    private boolean assigns(Expr e) {
        Boolean known = assigns.get(e);
        if (known != null) {
            return known;
        }
        boolean result = switch (e) {
            case Expr.Assign a -> true;
            case Expr.CompoundAssign c -> true;
            case Expr.IncDec i -> true;
            case Expr.IntConstant c -> false;
            case Expr.FloatConstant c -> false;
            case Expr.StringLiteral s -> false;
            case Expr.VariableRef v -> false;
            case Expr.Unary u -> assigns(u.operand());
            case Expr.Binary b -> assigns(b.left()) || assigns(b.right());
            case Expr.PointerArithmetic p -> assigns(p.pointer()) || assigns(p.index());
            case Expr.PointerDifference d -> assigns(d.left()) || assigns(d.right());
            case Expr.Conditional c -> assigns(c.condition()) || assigns(c.whenTrue()) || assigns(c.whenFalse());
            case Expr.Comma c -> assigns(c.left()) || assigns(c.right());
            case Expr.Cast c -> assigns(c.operand());
            case Expr.Decay d -> assigns(d.array());
            case Expr.AddressOf a -> assigns(a.operand());
            case Expr.Dereference d -> assigns(d.pointer());
            case Expr.MemberAccess m -> assigns(m.struct());
            case Expr.Call c -> c.arguments().stream().anyMatch(this::assigns);
            case Expr.IndirectCall c -> assigns(c.pointer()) || c.arguments().stream().anyMatch(this::assigns);
            case Expr.FunctionAddress f -> false;
            case Expr.CompoundLiteral c -> c.variable().initializer() != null
                            && c.variable().initializer().stream().anyMatch(item -> assigns(item.value()));
            default -> true;
        };
        assigns.put(e, result);
        return result;
    }

    /**
     * Stores the initializer items of an object at {@code offset} in the function's frame, each
     * converted to its item type; a store that can fault (a struct copy) faults at the item's value.
     */
    void storeItems(int offset, List<org.kplugins.kpc.ast.InitItem> items) {
        for (org.kplugins.kpc.ast.InitItem item : items) {
            Operand value = convert(value(item.value()), item.value().type(), item.type());
            places.storeInFrame(offset + item.offset(), item, value);
        }
    }
}
