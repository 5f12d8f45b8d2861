// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import com.oracle.truffle.api.source.SourceSection;
import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.InitItem;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.builtins.HostExport;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.nodes.call.KpcAllocNode;
import org.kplugins.kpc.nodes.call.KpcCallNode;
import org.kplugins.kpc.nodes.call.KpcFreeNode;
import org.kplugins.kpc.nodes.call.KpcHostFunctionCallNode;
import org.kplugins.kpc.nodes.call.KpcIndirectCallNode;
import org.kplugins.kpc.nodes.call.KpcPrintkNode;
import org.kplugins.kpc.nodes.call.KpcVprintkNode;
import org.kplugins.kpc.nodes.expression.KpcAddNode;
import org.kplugins.kpc.nodes.expression.KpcBitwiseAndNode;
import org.kplugins.kpc.nodes.expression.KpcBitwiseNotNode;
import org.kplugins.kpc.nodes.expression.KpcBitwiseOrNode;
import org.kplugins.kpc.nodes.expression.KpcBitwiseXorNode;
import org.kplugins.kpc.nodes.expression.KpcCommaNode;
import org.kplugins.kpc.nodes.expression.KpcConditionalNode;
import org.kplugins.kpc.nodes.expression.KpcDiscardNode;
import org.kplugins.kpc.nodes.expression.KpcDivideNode;
import org.kplugins.kpc.nodes.expression.KpcEqualNode;
import org.kplugins.kpc.nodes.expression.KpcFloatingAddNode;
import org.kplugins.kpc.nodes.expression.KpcFloatingComparisonNode;
import org.kplugins.kpc.nodes.expression.KpcFloatingConversionNode;
import org.kplugins.kpc.nodes.expression.KpcFloatingDivideNode;
import org.kplugins.kpc.nodes.expression.KpcFloatingMultiplyNode;
import org.kplugins.kpc.nodes.expression.KpcFloatingNegateNode;
import org.kplugins.kpc.nodes.expression.KpcFloatingSubtractNode;
import org.kplugins.kpc.nodes.expression.KpcFloatingToBoolNode;
import org.kplugins.kpc.nodes.expression.KpcGreaterOrEqualNode;
import org.kplugins.kpc.nodes.expression.KpcGreaterThanNode;
import org.kplugins.kpc.nodes.expression.KpcIntConstantNode;
import org.kplugins.kpc.nodes.expression.KpcIntToLongNode;
import org.kplugins.kpc.nodes.expression.KpcLessOrEqualNode;
import org.kplugins.kpc.nodes.expression.KpcLessThanNode;
import org.kplugins.kpc.nodes.expression.KpcLogicalAndNode;
import org.kplugins.kpc.nodes.expression.KpcLogicalNotNode;
import org.kplugins.kpc.nodes.expression.KpcLogicalOrNode;
import org.kplugins.kpc.nodes.expression.KpcLongConstantNode;
import org.kplugins.kpc.nodes.expression.KpcLongToIntNode;
import org.kplugins.kpc.nodes.expression.KpcScaleNode;
import org.kplugins.kpc.nodes.expression.KpcNegateNode;
import org.kplugins.kpc.nodes.expression.KpcNotEqualNode;
import org.kplugins.kpc.nodes.expression.KpcPointerDifferenceNode;
import org.kplugins.kpc.nodes.expression.KpcRemainderNode;
import org.kplugins.kpc.nodes.expression.KpcSequenceNode;
import org.kplugins.kpc.nodes.expression.KpcShiftLeftNode;
import org.kplugins.kpc.nodes.expression.KpcShiftRightNode;
import org.kplugins.kpc.nodes.expression.KpcSubtractNode;
import org.kplugins.kpc.nodes.expression.KpcToBoolNode;
import org.kplugins.kpc.nodes.expression.KpcTruncateNode;
import org.kplugins.kpc.nodes.expression.KpcUnsignedDivideNode;
import org.kplugins.kpc.nodes.expression.KpcUnsignedRemainderNode;
import org.kplugins.kpc.nodes.expression.KpcUnsignedShiftRightNode;
import org.kplugins.kpc.nodes.local.KpcFrameAddressNode;
import org.kplugins.kpc.nodes.local.KpcReadLocalNode;
import org.kplugins.kpc.nodes.local.KpcWriteLocalNode;
import org.kplugins.kpc.nodes.memory.KpcBitFieldLoadNode;
import org.kplugins.kpc.nodes.memory.KpcBitFieldStoreNode;
import org.kplugins.kpc.nodes.memory.KpcDataImportAddressNode;
import org.kplugins.kpc.nodes.memory.KpcLoadI16Node;
import org.kplugins.kpc.nodes.memory.KpcLoadI32Node;
import org.kplugins.kpc.nodes.memory.KpcLoadI64Node;
import org.kplugins.kpc.nodes.memory.KpcLoadI8Node;
import org.kplugins.kpc.nodes.memory.KpcStoreI16Node;
import org.kplugins.kpc.nodes.memory.KpcStoreI32Node;
import org.kplugins.kpc.nodes.memory.KpcStoreI64Node;
import org.kplugins.kpc.nodes.memory.KpcStoreI8Node;
import org.kplugins.kpc.nodes.memory.KpcStructCopyNode;
import org.kplugins.kpc.nodes.memory.KpcZeroFillNode;
import org.kplugins.kpc.runtime.PluginLayout;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;
import org.kplugins.monitor.link.FunctionExport;
import org.kplugins.monitor.link.HostFunction;

/**
 * Builds the nodes of one function's expressions from the typed AST. The AST already makes every
 * C conversion explicit, so this class maps each construct to nodes of a fixed {@link ValueKind}
 * and adds only the conversions that ++, -- and compound assignment imply.
 */
final class ExpressionBuilder {

    /** An object an expression designates: a frame slot, or an address in plugin memory. */
    private sealed interface Place {
    }

    private record SlotPlace(int slot, CType type) implements Place {
    }

    private record MemoryPlace(KpcExpressionNode address, CType type) implements Place {
    }

    /** A bit-field: the address of its storage unit and which bits it has; {@code type} is its value type. */
    private record BitFieldPlace(KpcExpressionNode unitAddress, StructType.BitField bits, CType type) implements Place {
    }

    private final NodeBuilder program;
    private final FrameLayout frame;
    /** Addresses that a loop keeps in frame slots ({@link LoopPointers}): the slot each occurrence reads. */
    private final Map<Expr.PointerArithmetic, Integer> reducedPointers = new IdentityHashMap<>();

    ExpressionBuilder(NodeBuilder program, FrameLayout frame) {
        this.program = program;
        this.frame = frame;
    }

    /** Makes every occurrence of {@code pointer} read {@code slot} until {@link #forgetReduced}. */
    void reduce(LoopPointers.Pointer pointer, int slot) {
        for (Expr.PointerArithmetic use : pointer.uses()) {
            reducedPointers.put(use, slot);
        }
    }

    /** Makes the occurrences of {@code pointer} compute their address again. */
    void forgetReduced(LoopPointers.Pointer pointer) {
        pointer.uses().forEach(reducedPointers::remove);
    }

    /** Builds an expression whose value the parent uses, of kind {@code ValueKind.of(e.type())}. */
    KpcExpressionNode value(Expr e) {
        KpcExpressionNode node = switch (e) {
            case Expr.IntConstant c -> ValueKind.of(c.type()) == ValueKind.LONG ? new KpcLongConstantNode(c.value())
                            : new KpcIntConstantNode((int) c.value());
            case Expr.FloatConstant c -> ValueKind.of(c.type()) == ValueKind.LONG ? new KpcLongConstantNode(c.bits())
                            : new KpcIntConstantNode((int) c.bits());
            case Expr.StringLiteral s -> new KpcIntConstantNode(program.layout().stringAddress(s.bytes()));
            case Expr.VariableRef v -> load(place(v));
            case Expr.Unary u -> unary(u);
            case Expr.Binary b -> binary(b.op(), b.type(), value(b.left()), value(b.right()), b.left().type(),
                            b.right().type(), program.operatorSection(b.location(), b.right().location(), b.op().spelling));
            case Expr.PointerArithmetic p -> reducedPointers.containsKey(p) ? new KpcReadLocalNode(reducedPointers.get(p))
                            : pointerArithmetic(p.op(), value(p.pointer()), value(p.index()), p.elementSize(), p.location());
            case Expr.PointerDifference d -> located(
                            new KpcPointerDifferenceNode(value(d.left()), value(d.right()), d.elementSize()), d.location());
            case Expr.Assign a -> assign(a);
            case Expr.CompoundAssign c -> compoundAssign(c);
            case Expr.IncDec i -> incrementOrDecrement(i, true);
            case Expr.Conditional c -> new KpcConditionalNode(condition(c.condition()), value(c.whenTrue()),
                            value(c.whenFalse()));
            case Expr.Comma c -> new KpcCommaNode(effect(c.left()), value(c.right()));
            case Expr.Cast c -> convert(value(c.operand()), c.operand().type(), c.type());
            case Expr.Decay d -> address(d.array());
            case Expr.AddressOf a -> address(a.operand());
            case Expr.Dereference d -> load(place(d));
            case Expr.MemberAccess m -> load(place(m));
            case Expr.Call c -> call(c);
            case Expr.CompoundLiteral c -> load(place(c));
            case Expr.FunctionAddress f -> new KpcIntConstantNode(program.functionTable().tokenOf(f.function()));
            case Expr.IndirectCall c -> indirectCall(c);
            case Expr.VariadicArguments v -> new KpcReadLocalNode(frame.variadicArgumentsSlot());
            case Expr.FunctionRef f -> throw new IllegalStateException("function designator '" + f.function().name()
                            + "' used as a value: the parser converts it to a function pointer");
        };
        node.addExpressionTag();
        return located(node, e.location());
    }

    /** Builds an expression evaluated only for its effects: a void expression. */
    KpcExpressionNode effect(Expr e) {
        if (e instanceof Expr.IncDec i && !i.prefix()) {
            // The old value goes unused, so x++ is built as ++x, without a slot for the old value
            // that compiled loops would carry from one iteration to the next.
            KpcExpressionNode node = incrementOrDecrement(i, false);
            node.addExpressionTag();
            return convert(located(node, e.location()), e.type(), org.kplugins.kpc.types.VoidType.VOID);
        }
        return convert(value(e), e.type(), org.kplugins.kpc.types.VoidType.VOID);
    }

    /** Builds a scalar as an int-valued truth value: zero is false. */
    KpcExpressionNode condition(Expr e) {
        return truthValue(value(e), e.type());
    }

    private static KpcExpressionNode truthValue(KpcExpressionNode node, CType type) {
        if (type instanceof FloatingType floating) {
            return new KpcFloatingToBoolNode(node, floating.isDouble());
        }
        return ValueKind.of(type) == ValueKind.LONG ? new KpcToBoolNode(node, true) : node;
    }

    private KpcExpressionNode located(KpcExpressionNode node, SourceLocation location) {
        if (node.getSourceSection() == null) {
            node.setSourceSection(program.section(location));
        }
        return node;
    }

    // ---- Objects: places, loads, stores ----

    private Place place(Expr lvalue) {
        if (lvalue instanceof Expr.VariableRef ref) {
            Integer slot = frame.slotOf(ref.variable());
            if (slot != null) {
                return new SlotPlace(slot, ref.type());
            }
        }
        if (lvalue instanceof Expr.MemberAccess access && access.member().isBitField()) {
            return new BitFieldPlace(located(address(lvalue), lvalue.location()), access.member().bitField(),
                            access.type());
        }
        if (lvalue instanceof Expr.MemberAccess access) {
            Variable root = ScalarReplacement.chainRoot(access);
            if (root != null && frame.isScalarReplaced(root)) {
                return new SlotPlace(frame.memberSlotOf(root, ScalarReplacement.chainOffset(access)), access.type());
            }
        }
        return new MemoryPlace(located(address(lvalue), lvalue.location()), lvalue.type());
    }

    /** Builds the address of an lvalue, or of a struct value (structs are carried by address). */
    KpcExpressionNode address(Expr e) {
        return switch (e) {
            case Expr.VariableRef ref -> variableAddress(ref.variable());
            case Expr.StringLiteral s -> new KpcIntConstantNode(program.layout().stringAddress(s.bytes()));
            case Expr.Dereference d -> value(d.pointer());
            case Expr.MemberAccess m -> {
                KpcExpressionNode base = address(m.struct());
                int offset = m.member().offset();
                yield offset == 0 ? base : new KpcAddNode(base, new KpcIntConstantNode(offset));
            }
            case Expr.CompoundLiteral c -> compoundLiteral(c);
            default -> value(e);
        };
    }

    /**
     * Initializes a block-scope compound literal in its frame memory and yields its address: the
     * object is zero-filled, unless the items store every byte, and then each item is stored.
     */
    private KpcExpressionNode compoundLiteral(Expr.CompoundLiteral c) {
        Variable variable = c.variable();
        int offset = frame.memoryOffsetOf(variable);
        List<InitItem> items = variable.initializer();
        List<KpcExpressionNode> steps = new ArrayList<>();
        if (!FunctionBuilder.coversEveryByte(items, variable.type().size())) {
            steps.add(new KpcZeroFillNode(new KpcFrameAddressNode(offset), variable.type().size()));
        }
        for (InitItem item : items) {
            KpcExpressionNode value = convert(value(item.value()), item.value().type(), item.type());
            KpcExpressionNode store = storeItem(item, new KpcFrameAddressNode(offset + item.offset()), value);
            steps.add(located(store, item.value().location()));
        }
        return new KpcSequenceNode(steps.toArray(new KpcExpressionNode[0]), new KpcFrameAddressNode(offset));
    }

    KpcExpressionNode variableAddress(Variable variable) {
        if (variable.storage() == Variable.Storage.GLOBAL) {
            int dataImport = program.dataImportIndex(variable);
            if (dataImport >= 0) {
                return new KpcDataImportAddressNode(dataImport);
            }
            return new KpcIntConstantNode(program.layout().globalAddress(variable));
        }
        return new KpcFrameAddressNode(frame.memoryOffsetOf(variable));
    }

    private KpcExpressionNode load(Place place) {
        return switch (place) {
            case SlotPlace s -> new KpcReadLocalNode(s.slot());
            case MemoryPlace m -> loadFrom(m.type(), m.address());
            case BitFieldPlace b -> new KpcBitFieldLoadNode(b.unitAddress(), b.bits());
        };
    }

    /** Loads a value of {@code type}; an array or struct is its address, so nothing is loaded. */
    static KpcExpressionNode loadFrom(CType type, KpcExpressionNode address) {
        if (type instanceof StructType || type instanceof ArrayType) {
            return address;
        }
        if (type instanceof IntegerType integer) {
            return switch (integer.size()) {
                case 1 -> new KpcLoadI8Node(address, integer.isSigned());
                case 2 -> new KpcLoadI16Node(address, integer.isSigned());
                case 4 -> new KpcLoadI32Node(address);
                default -> new KpcLoadI64Node(address);
            };
        }
        if (type instanceof PointerType) {
            return new KpcLoadI32Node(address);
        }
        if (type instanceof FloatingType floating) {
            // The bits are loaded as they are, so a NaN keeps its payload.
            return floating.isDouble() ? new KpcLoadI64Node(address) : new KpcLoadI32Node(address);
        }
        throw new IllegalStateException("cannot load a value of type '" + type.spelling() + "'");
    }

    /**
     * Stores one initializer item at {@code address}: a bit-field item changes only its bits of the
     * storage unit there, any other item is stored as {@link #storeTo} does.
     */
    static KpcExpressionNode storeItem(InitItem item, KpcExpressionNode address, KpcExpressionNode value) {
        if (item.bitField() != null) {
            return new KpcBitFieldStoreNode(address, value, item.bitField(), ValueKind.of(item.type()) == ValueKind.LONG);
        }
        return storeTo(item.type(), address, value);
    }

    /** Stores a value of {@code type}; a struct value is the address of the bytes to copy. */
    static KpcExpressionNode storeTo(CType type, KpcExpressionNode address, KpcExpressionNode value) {
        if (type instanceof StructType) {
            return new KpcStructCopyNode(address, value, type.size());
        }
        int size = type instanceof PointerType ? 4 : type.size();
        return switch (size) {
            case 1 -> new KpcStoreI8Node(address, value);
            case 2 -> new KpcStoreI16Node(address, value);
            case 4 -> new KpcStoreI32Node(address, value);
            case 8 -> new KpcStoreI64Node(address, value);
            default -> throw new IllegalStateException("cannot store a value of type '" + type.spelling() + "'");
        };
    }

    private KpcExpressionNode store(Place place, KpcExpressionNode value) {
        return switch (place) {
            case SlotPlace s -> new KpcWriteLocalNode(s.slot(), ValueKind.of(s.type()) == ValueKind.LONG, value);
            case MemoryPlace m -> storeTo(m.type(), m.address(), value);
            case BitFieldPlace b -> new KpcBitFieldStoreNode(b.unitAddress(), value, b.bits(),
                            ValueKind.of(b.type()) == ValueKind.LONG);
        };
    }

    private KpcExpressionNode assign(Expr.Assign a) {
        Place target = place(a.target());
        KpcExpressionNode node = store(target, value(a.value()));
        node.setSourceSection(program.operatorSection(a.location(), a.value().location(), "="));
        return node;
    }

    /**
     * The steps of a read-modify-write of {@code target}: the address is computed once into a
     * temporary slot, then read and written through that slot.
     */
    private final class ReadModifyWrite {
        private final CType type;
        private final Integer slot;
        private final int addressSlot;
        private final KpcExpressionNode saveAddress;
        /** The bits of a bit-field target, whose address is that of its storage unit; null otherwise. */
        private final StructType.BitField bits;

        ReadModifyWrite(Expr target) {
            this.type = target.type();
            Place place = place(target);
            if (place instanceof SlotPlace s) {
                slot = s.slot();
                addressSlot = -1;
                saveAddress = null;
                bits = null;
            } else {
                slot = null;
                addressSlot = frame.addTemporarySlot(false, "address temporary");
                KpcExpressionNode address = place instanceof BitFieldPlace b ? b.unitAddress() : ((MemoryPlace) place).address();
                saveAddress = new KpcWriteLocalNode(addressSlot, false, address);
                bits = place instanceof BitFieldPlace b ? b.bits() : null;
            }
        }

        KpcExpressionNode read() {
            if (bits != null) {
                return new KpcBitFieldLoadNode(new KpcReadLocalNode(addressSlot), bits);
            }
            return slot != null ? new KpcReadLocalNode(slot) : loadFrom(type, new KpcReadLocalNode(addressSlot));
        }

        KpcExpressionNode write(KpcExpressionNode value) {
            if (bits != null) {
                return new KpcBitFieldStoreNode(new KpcReadLocalNode(addressSlot), value, bits,
                                ValueKind.of(type) == ValueKind.LONG);
            }
            return slot != null ? new KpcWriteLocalNode(slot, ValueKind.of(type) == ValueKind.LONG, value)
                            : storeTo(type, new KpcReadLocalNode(addressSlot), value);
        }

        /** Prepends the address computation, when there is one, to the whole operation. */
        KpcExpressionNode sequence(KpcExpressionNode operation) {
            return saveAddress == null ? operation : new KpcCommaNode(saveAddress, operation);
        }
    }

    private KpcExpressionNode compoundAssign(Expr.CompoundAssign c) {
        SourceSection operator = program.operatorSection(c.location(), c.value().location(), c.op().spelling + "=");
        ReadModifyWrite target = new ReadModifyWrite(c.target());
        KpcExpressionNode result;
        if (c.elementSize() > 0) {
            result = pointerArithmetic(c.op(), target.read(), value(c.value()), c.elementSize(), c.location());
        } else {
            CType operationType = c.operationType();
            KpcExpressionNode current = convert(target.read(), c.type(), operationType);
            KpcExpressionNode combined = binary(c.op(), operationType, current, value(c.value()), operationType,
                            c.value().type(), operator);
            result = convert(combined, operationType, c.type());
        }
        KpcExpressionNode write = target.write(result);
        write.setSourceSection(operator);
        return target.sequence(write);
    }

    /** Builds ++x, x++, --x or x--; {@code valueUsed} false builds a postfix form as the prefix one. */
    private KpcExpressionNode incrementOrDecrement(Expr.IncDec i, boolean valueUsed) {
        ReadModifyWrite target = new ReadModifyWrite(i.target());
        CType type = i.type();
        if (i.prefix() || !valueUsed) {
            return target.sequence(located(target.write(stepped(target.read(), type, i)), i.location()));
        }
        boolean isLong = ValueKind.of(type) == ValueKind.LONG;
        int oldValue = frame.addTemporarySlot(isLong, "old value");
        KpcExpressionNode update = located(target.write(stepped(new KpcReadLocalNode(oldValue), type, i)), i.location());
        KpcExpressionNode operation = new KpcCommaNode(new KpcWriteLocalNode(oldValue, isLong, target.read()),
                        new KpcCommaNode(update, new KpcReadLocalNode(oldValue)));
        return target.sequence(operation);
    }

    /** Adds or subtracts the step in the promoted type and converts back, as {@code x += 1} does. */
    private static KpcExpressionNode stepped(KpcExpressionNode old, CType type, Expr.IncDec i) {
        if (type instanceof FloatingType floating) {
            KpcExpressionNode step = floating.isDouble() ? new KpcLongConstantNode(Double.doubleToRawLongBits(1.0))
                            : new KpcIntConstantNode(Float.floatToRawIntBits(1.0f));
            return i.increment() ? new KpcFloatingAddNode(old, step) : new KpcFloatingSubtractNode(old, step);
        }
        if (ValueKind.of(type) == ValueKind.LONG) {
            KpcExpressionNode step = new KpcLongConstantNode(i.step());
            return i.increment() ? new KpcAddNode(old, step) : new KpcSubtractNode(old, step);
        }
        KpcExpressionNode step = new KpcIntConstantNode(i.step());
        KpcExpressionNode result = i.increment() ? new KpcAddNode(old, step) : new KpcSubtractNode(old, step);
        if (type instanceof IntegerType integer && integer.size() < 4) {
            return convert(result, IntegerType.INT, type);
        }
        return result;
    }

    // ---- Operators ----

    private KpcExpressionNode unary(Expr.Unary u) {
        return switch (u.op()) {
            case NEGATE -> u.type() instanceof FloatingType ? new KpcFloatingNegateNode(value(u.operand()))
                            : new KpcNegateNode(value(u.operand()));
            case BIT_NOT -> new KpcBitwiseNotNode(value(u.operand()));
            case LOGICAL_NOT -> new KpcLogicalNotNode(condition(u.operand()));
        };
    }

    /** Builds a binary operator; {@code operator} is the operator token's section, where a division faults. */
    private KpcExpressionNode binary(BinaryOp op, CType type, KpcExpressionNode left, KpcExpressionNode right,
                    CType leftType, CType rightType, SourceSection operator) {
        if (type instanceof FloatingType || leftType instanceof FloatingType && op.isComparison()) {
            KpcExpressionNode node = floatingBinary(op, left, right, leftType);
            node.setSourceSection(operator);
            return node;
        }
        boolean unsigned = isUnsigned(type);
        KpcExpressionNode node = switch (op) {
            case ADD -> new KpcAddNode(left, right);
            case SUB -> new KpcSubtractNode(left, right);
            case MUL -> KpcScaleNode.multiply(left, right);
            case DIV -> unsigned ? new KpcUnsignedDivideNode(left, right) : new KpcDivideNode(left, right);
            case REM -> unsigned ? new KpcUnsignedRemainderNode(left, right) : new KpcRemainderNode(left, right);
            case SHL -> new KpcShiftLeftNode(left, right, ValueKind.of(rightType) == ValueKind.LONG);
            case SHR -> unsigned ? new KpcUnsignedShiftRightNode(left, right, ValueKind.of(rightType) == ValueKind.LONG)
                            : new KpcShiftRightNode(left, right, ValueKind.of(rightType) == ValueKind.LONG);
            case BIT_AND -> new KpcBitwiseAndNode(left, right);
            case BIT_OR -> new KpcBitwiseOrNode(left, right);
            case BIT_XOR -> new KpcBitwiseXorNode(left, right);
            case EQ, NE, LT, LE, GT, GE -> comparison(op, left, right, leftType);
            case LOGICAL_AND -> new KpcLogicalAndNode(truthValue(left, leftType), truthValue(right, rightType));
            case LOGICAL_OR -> new KpcLogicalOrNode(truthValue(left, leftType), truthValue(right, rightType));
        };
        if (node.getSourceSection() == null) {
            node.setSourceSection(operator);
        }
        if (!op.isComparison() && op != BinaryOp.LOGICAL_AND && op != BinaryOp.LOGICAL_OR
                        && type instanceof IntegerType integer && integer.size() < 4) {
            // The parser promotes operands to at least int; this keeps a narrower result in range anyway.
            return convert(node, IntegerType.INT, type);
        }
        return node;
    }

    /** Builds + - * / of two floats or doubles, or a comparison of them. */
    private static KpcExpressionNode floatingBinary(BinaryOp op, KpcExpressionNode left, KpcExpressionNode right,
                    CType operandType) {
        return switch (op) {
            case ADD -> new KpcFloatingAddNode(left, right);
            case SUB -> new KpcFloatingSubtractNode(left, right);
            case MUL -> new KpcFloatingMultiplyNode(left, right);
            case DIV -> new KpcFloatingDivideNode(left, right);
            case EQ, NE, LT, LE, GT, GE -> new KpcFloatingComparisonNode(op, left, right,
                            ((FloatingType) operandType).isDouble());
            default -> throw new IllegalArgumentException("operator " + op.spelling + " does not take floating operands");
        };
    }

    private static KpcExpressionNode comparison(BinaryOp op, KpcExpressionNode left, KpcExpressionNode right,
                    CType operandType) {
        boolean isLong = ValueKind.of(operandType) == ValueKind.LONG;
        boolean unsigned = isUnsigned(operandType);
        return switch (op) {
            case EQ -> new KpcEqualNode(left, right, isLong, unsigned);
            case NE -> new KpcNotEqualNode(left, right, isLong, unsigned);
            case LT -> new KpcLessThanNode(left, right, isLong, unsigned);
            case LE -> new KpcLessOrEqualNode(left, right, isLong, unsigned);
            case GT -> new KpcGreaterThanNode(left, right, isLong, unsigned);
            case GE -> new KpcGreaterOrEqualNode(left, right, isLong, unsigned);
            default -> throw new IllegalArgumentException(op.spelling);
        };
    }

    /** {@code pointer ± index * elementSize} in 32-bit wrapping arithmetic. */
    private KpcExpressionNode pointerArithmetic(BinaryOp op, KpcExpressionNode pointer, KpcExpressionNode index,
                    int elementSize, SourceLocation location) {
        KpcExpressionNode offset = elementSize == 1 ? index
                        : KpcScaleNode.multiply(index, new KpcIntConstantNode(elementSize));
        KpcExpressionNode node = op == BinaryOp.SUB ? new KpcSubtractNode(pointer, offset) : new KpcAddNode(pointer, offset);
        return located(node, location);
    }

    private static boolean isUnsigned(CType type) {
        return type instanceof PointerType || type instanceof IntegerType integer && !integer.isSigned();
    }

    // ---- Conversions ----

    /**
     * Converts a value of type {@code from} to type {@code to} as C does: truncation,
     * sign or zero extension by the source's signedness, comparison with zero for _Bool, the
     * floating conversions of {@link #convertFloating}, and nothing for void.
     */
    static KpcExpressionNode convert(KpcExpressionNode node, CType from, CType to) {
        ValueKind fromKind = ValueKind.of(from);
        if (to.isVoid()) {
            return fromKind == ValueKind.VOID ? node : new KpcDiscardNode(node, fromKind);
        }
        if (!to.isScalar() || !from.isScalar()) {
            return node;
        }
        if (from instanceof FloatingType || to instanceof FloatingType) {
            return convertFloating(node, from, to);
        }
        if (to instanceof IntegerType target && target.isBool()) {
            boolean fromBool = from instanceof IntegerType source && source.isBool();
            return fromBool ? node : new KpcToBoolNode(node, fromKind == ValueKind.LONG);
        }
        if (ValueKind.of(to) == ValueKind.LONG) {
            return fromKind == ValueKind.LONG ? node : new KpcIntToLongNode(node, !isUnsigned(from));
        }
        KpcExpressionNode narrowed = node;
        CType narrowedFrom = from;
        if (fromKind == ValueKind.LONG) {
            narrowed = new KpcLongToIntNode(node);
            narrowedFrom = IntegerType.INT;
        }
        int size = to.size();
        if (size < 4 && !fitsWithoutTruncation(narrowedFrom, (IntegerType) to)) {
            return new KpcTruncateNode(narrowed, 8 * size, ((IntegerType) to).isSigned());
        }
        return narrowed;
    }

    /**
     * Converts between a floating type and an arithmetic type. A float or double converts to an
     * integer type narrower than int through int, as gcc's {@code cvttsd2si} code does.
     */
    private static KpcExpressionNode convertFloating(KpcExpressionNode node, CType from, CType to) {
        if (from.unqualified().sameAs(to.unqualified())) {
            return node;
        }
        if (to instanceof IntegerType target && target.isBool()) {
            return new KpcFloatingToBoolNode(node, ((FloatingType) from).isDouble());
        }
        KpcFloatingConversionNode.Kind fromKind = conversionKind(from);
        if (to instanceof IntegerType target && target.size() < 4) {
            KpcExpressionNode asInt = new KpcFloatingConversionNode(node, fromKind, KpcFloatingConversionNode.Kind.INT32);
            return new KpcTruncateNode(asInt, 8 * target.size(), target.isSigned());
        }
        return new KpcFloatingConversionNode(node, fromKind, conversionKind(to));
    }

    /** Returns how a value of an arithmetic type enters or leaves a floating conversion. */
    private static KpcFloatingConversionNode.Kind conversionKind(CType type) {
        if (type instanceof FloatingType floating) {
            return floating.isDouble() ? KpcFloatingConversionNode.Kind.DOUBLE : KpcFloatingConversionNode.Kind.FLOAT;
        }
        IntegerType integer = (IntegerType) type;
        if (integer.is64Bit()) {
            return integer.isSigned() ? KpcFloatingConversionNode.Kind.INT64 : KpcFloatingConversionNode.Kind.UINT64;
        }
        // Unsigned types narrower than int are carried zero-extended, so their values read correctly as int.
        return integer.size() == 4 && !integer.isSigned() ? KpcFloatingConversionNode.Kind.UINT32
                        : KpcFloatingConversionNode.Kind.INT32;
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

    // ---- Calls ----

    private KpcExpressionNode call(Expr.Call c) {
        Function callee = c.callee();
        List<Expr> arguments = c.arguments();
        HostExport export = program.hostExport(callee);
        if (export != null) {
            return hostCall(export, c);
        }
        FunctionExport functionExport = program.functionExport(callee);
        if (functionExport != null) {
            return tableCall(functionExport, c);
        }

        KpcExpressionNode[] argumentNodes = new KpcExpressionNode[arguments.size()];
        boolean[] argumentIsLong = new boolean[arguments.size()];
        for (int i = 0; i < argumentNodes.length; i++) {
            argumentNodes[i] = value(arguments.get(i));
            argumentIsLong[i] = ValueKind.of(arguments.get(i).type()) == ValueKind.LONG;
        }
        int argumentAreaSize = callee.type().isVariadic() ? KpcFunctionBodyNode.argumentAreaSize(argumentIsLong) : 0;
        KpcCallNode node = new KpcCallNode(argumentNodes, argumentIsLong, argumentAreaSize, program.budgetEnabled());
        located(node, c.location());
        program.addPendingCall(node, callee);
        if (c.type() instanceof StructType struct) {
            // The callee returns the address of its result, which lies in its own popped frame.
            // Copy it into a temporary of this frame before another call can overwrite it.
            int temporary = frame.allocateMemory(struct.size(), struct.align());
            return located(new KpcStructCopyNode(new KpcFrameAddressNode(temporary), node, struct.size()), c.location());
        }
        return node;
    }

    /** A call through a function pointer, checked against the plugin's function pointer table. */
    private KpcExpressionNode indirectCall(Expr.IndirectCall c) {
        List<Expr> arguments = c.arguments();
        KpcExpressionNode[] argumentNodes = new KpcExpressionNode[arguments.size()];
        boolean[] argumentIsLong = new boolean[arguments.size()];
        boolean[] argumentIsDouble = new boolean[arguments.size()];
        for (int i = 0; i < argumentNodes.length; i++) {
            argumentNodes[i] = value(arguments.get(i));
            argumentIsLong[i] = ValueKind.of(arguments.get(i).type()) == ValueKind.LONG;
            argumentIsDouble[i] = arguments.get(i).type() instanceof FloatingType;
        }
        int argumentAreaSize = c.calleeType().isVariadic() ? KpcFunctionBodyNode.argumentAreaSize(argumentIsLong) : 0;
        return new KpcIndirectCallNode(value(c.pointer()), argumentNodes, argumentIsLong, argumentIsDouble,
                        argumentAreaSize,
                        program.functionTable(), c.calleeType(), program.signatureOf(c.calleeType()),
                        program.budgetEnabled());
    }

    /** A call of a function of the host's symbol table: arguments and result as {@link HostFunction} defines them. */
    private KpcExpressionNode tableCall(FunctionExport export, Expr.Call c) {
        List<Expr> arguments = c.arguments();
        FunctionType type = c.callee().type();
        KpcExpressionNode[] argumentNodes = new KpcExpressionNode[arguments.size()];
        int[] argumentConversions = new int[arguments.size()];
        for (int i = 0; i < argumentNodes.length; i++) {
            argumentNodes[i] = value(arguments.get(i));
            argumentConversions[i] = KpcHostFunctionCallNode.conversionOf(type.parameterTypes().get(i));
        }
        int resultConversion = KpcHostFunctionCallNode.conversionOf(type.returnType());
        return located(new KpcHostFunctionCallNode(export, argumentNodes, argumentConversions, resultConversion),
                        c.location());
    }

    private KpcExpressionNode hostCall(HostExport export, Expr.Call c) {
        List<Expr> arguments = c.arguments();
        KpcExpressionNode node = switch (export) {
            case PRINTK -> {
                KpcExpressionNode[] rest = new KpcExpressionNode[arguments.size() - 1];
                boolean[] restIsLong = new boolean[rest.length];
                boolean[] restIsDouble = new boolean[rest.length];
                for (int i = 0; i < rest.length; i++) {
                    Expr argument = arguments.get(i + 1);
                    rest[i] = value(argument);
                    restIsLong[i] = ValueKind.of(argument.type()) == ValueKind.LONG;
                    restIsDouble[i] = argument.type() instanceof FloatingType;
                }
                yield new KpcPrintkNode(value(arguments.get(0)), rest, restIsLong, restIsDouble);
            }
            case VPRINTK -> new KpcVprintkNode(value(arguments.get(0)), value(arguments.get(1)));
            case KP_ALLOC -> new KpcAllocNode(value(arguments.get(0)));
            case KP_FREE -> new KpcFreeNode(value(arguments.get(0)));
        };
        return located(node, c.location());
    }
}
