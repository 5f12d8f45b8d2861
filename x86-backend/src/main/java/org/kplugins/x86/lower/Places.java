// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.lower;

import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.nodes.MemoryFrame;
import org.kplugins.kpc.runtime.PluginLayout;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;
import org.kplugins.x86.ir.HostTarget;
import org.kplugins.x86.ir.Imm;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.Operand;
import org.kplugins.x86.ir.VReg;
import org.kplugins.x86.ir.Width;

/**
 * Lowers lvalues (the objects that expressions designate), loads, stores and assignments.
 *
 * <p>An access is unchecked when its address is known to be allowed at compile time: an access at
 * a constant offset inside the function's own frame, whose pages are always mapped writable, and an
 * access at a constant address inside the plugin's static data, which keeps its flags for the whole
 * life of an instance (reads anywhere in it, writes only in the writable part). Every other access
 * is checked against the page table in the machine code.
 *
 * <p>Fault locations follow the Truffle tier: a load faults at the expression that reads, a simple
 * assignment at its {@code =}, a compound assignment at its operator, and ++ and -- at the whole
 * expression.
 */
final class Places {

    /** An object that an expression designates. */
    sealed interface Place {
        CType type();
    }

    /** A local in a virtual register: a scalar, or a member of a scalar-replaced struct. */
    record RegisterPlace(VReg register, CType type) implements Place {
    }

    /**
     * An object in plugin memory at {@code base + displacement}, or at {@code displacement} when
     * {@code base} is null, with whether reads and writes of it need the page-table check.
     */
    record MemoryPlace(VReg base, int displacement, boolean checkedRead, boolean checkedWrite, CType type) implements Place {
    }

    /**
     * A bit-field: its storage unit in memory (read and written whole) and the position of its
     * bits; {@code type} is the bit-field's declared type, which its values have.
     */
    record BitFieldPlace(MemoryPlace unit, StructType.BitField bits, CType type) implements Place {
    }

    /** An address as a base operand and a constant displacement, added in 32 bits. */
    private record AddressParts(Operand base, int displacement) {
    }

    private final FunctionLowering function;
    private final ExpressionLowering expressions;

    Places(FunctionLowering function, ExpressionLowering expressions) {
        this.function = function;
        this.expressions = expressions;
    }

    // ---- Places and addresses ----

    /** Returns the object an lvalue designates, evaluating the parts of its address that are not constant. */
    Place place(Expr lvalue) {
        if (lvalue instanceof Expr.VariableRef ref) {
            VReg register = function.scalarRegister(ref.variable());
            if (register != null) {
                return new RegisterPlace(register, ref.type());
            }
        }
        if (lvalue instanceof Expr.MemberAccess access) {
            Variable root = MemoryFrame.chainRoot(access);
            VReg register = root == null ? null : function.memberRegister(root, MemoryFrame.chainOffset(access));
            if (register != null) {
                return new RegisterPlace(register, access.type());
            }
        }
        if (lvalue instanceof Expr.CompoundLiteral literal) {
            int offset = initializeCompoundLiteral(literal);
            return new MemoryPlace(function.frameBase, offset, false, false, literal.type());
        }
        if (lvalue instanceof Expr.MemberAccess access && access.member().isBitField()) {
            StructType.BitField bits = access.member().bitField();
            return new BitFieldPlace(memoryPlace(lvalue, access.type(), bits.unitSize()), bits, access.type());
        }
        return memoryPlace(lvalue, lvalue.type(), lvalue.type().size());
    }

    /** Returns the place in memory of an lvalue of {@code type} whose accesses touch {@code size} bytes. */
    private MemoryPlace memoryPlace(Expr lvalue, CType type, int size) {
        Long frameOffset = frameOffset(lvalue);
        if (frameOffset != null && frameOffset >= 0 && frameOffset + size <= function.frame.stackFrameSize()) {
            return new MemoryPlace(function.frameBase, frameOffset.intValue(), false, false, type);
        }
        AddressParts parts = addressParts(lvalue);
        if (parts.base() instanceof Imm constant) {
            int address = (int) (constant.value() + parts.displacement());
            PluginLayout layout = function.program.layout();
            boolean readOnlyData = inRange(address, size, layout.readOnlyStart(), layout.dataEnd());
            boolean writableData = inRange(address, size, layout.writableStart(), layout.dataEnd());
            return new MemoryPlace(null, address, !readOnlyData, !writableData, type);
        }
        return new MemoryPlace(register(parts.base()), parts.displacement(), true, true, type);
    }

    /**
     * Stores a block-scope compound literal's initializer in its frame memory, as each evaluation
     * of the literal does: zero-fill unless the items store every byte, then each item. Returns
     * the literal's offset from the frame base.
     */
    private int initializeCompoundLiteral(Expr.CompoundLiteral literal) {
        Variable variable = literal.variable();
        if (function.frame.storage(variable) != MemoryFrame.Storage.MEMORY) {
            throw new UnsupportedFeatureException(literal.location(), "a compound literal that is not in the memory frame");
        }
        int offset = function.frame.offsetOf(variable);
        java.util.List<org.kplugins.kpc.ast.InitItem> items = variable.initializer();
        if (items == null || !FunctionLowering.coversEveryByte(items, variable.type().size())) {
            function.emit(new Instr.ZeroFill(function.frameBase, offset, variable.type().size()));
        }
        if (items != null) {
            expressions.storeItems(offset, items);
        }
        return offset;
    }

    private static boolean inRange(int address, int size, int start, int end) {
        long first = Integer.toUnsignedLong(address);
        return first >= start && first + size <= end;
    }

    /** Returns the address of an lvalue or of a struct value, which is how struct values are carried. */
    Operand address(Expr e) {
        return switch (e) {
            case Expr.VariableRef ref -> variableAddress(ref.variable());
            case Expr.StringLiteral s -> Imm.of(function.program.layout().stringAddress(s.bytes()), Width.I32);
            case Expr.CompoundLiteral c -> expressions.binaryOp(Instr.BinaryOp.ADD, Width.I32, function.frameBase,
                            Imm.of(initializeCompoundLiteral(c), Width.I32));
            case Expr.Dereference d -> expressions.value(d.pointer());
            case Expr.MemberAccess m -> {
                Operand base = address(m.struct());
                int offset = m.member().offset();
                yield offset == 0 ? base : expressions.binaryOp(Instr.BinaryOp.ADD, Width.I32, base, Imm.of(offset, Width.I32));
            }
            default -> expressions.value(e);
        };
    }

    private Operand variableAddress(Variable variable) {
        if (variable.storage() == Variable.Storage.GLOBAL) {
            int dataImport = function.program.dataImportIndex(variable);
            if (dataImport >= 0) {
                VReg address = function.temporary(Width.I32);
                function.emit(new Instr.DataImportAddress(address, dataImport));
                return address;
            }
            return Imm.of(function.program.layout().globalAddress(variable), Width.I32);
        }
        return expressions.binaryOp(Instr.BinaryOp.ADD, Width.I32, function.frameBase,
                        Imm.of(function.frame.offsetOf(variable), Width.I32));
    }

    /** Splits the address of an lvalue into an evaluated base and a constant displacement. */
    private AddressParts addressParts(Expr lvalue) {
        return switch (lvalue) {
            case Expr.Dereference d -> pointerParts(d.pointer());
            case Expr.MemberAccess m -> {
                AddressParts struct = addressParts(m.struct());
                yield withDisplacement(struct, (long) struct.displacement() + m.member().offset());
            }
            default -> new AddressParts(address(lvalue), 0);
        };
    }

    /** Splits a pointer value; {@code p + k} with a constant k keeps p as the base. */
    private AddressParts pointerParts(Expr pointer) {
        if (pointer instanceof Expr.PointerArithmetic arithmetic && arithmetic.index() instanceof Expr.IntConstant index) {
            long step = index.value() * arithmetic.elementSize();
            AddressParts base = pointerParts(arithmetic.pointer());
            return withDisplacement(base, base.displacement() + (arithmetic.op() == BinaryOp.SUB ? -step : step));
        }
        return new AddressParts(expressions.value(pointer), 0);
    }

    /** Returns {@code parts} with another displacement, or with the displacement added to the base when it does not fit in an int. */
    private AddressParts withDisplacement(AddressParts parts, long displacement) {
        if (displacement == (int) displacement) {
            return new AddressParts(parts.base(), (int) displacement);
        }
        Operand base = expressions.binaryOp(Instr.BinaryOp.ADD, Width.I32, parts.base(), Imm.of(displacement, Width.I32));
        return new AddressParts(base, 0);
    }

    /**
     * Returns the offset from the frame base of an lvalue whose address is the frame base plus a
     * constant, such as a local array element {@code a[3]} or a member {@code s.m}, or null.
     */
    private Long frameOffset(Expr lvalue) {
        return switch (lvalue) {
            case Expr.VariableRef ref -> {
                Variable variable = ref.variable();
                boolean inMemoryFrame = variable.storage() != Variable.Storage.GLOBAL
                                && function.frame.storage(variable) == MemoryFrame.Storage.MEMORY;
                yield inMemoryFrame ? (long) function.frame.offsetOf(variable) : null;
            }
            case Expr.MemberAccess m -> {
                Long struct = frameOffset(m.struct());
                yield struct == null ? null : struct + m.member().offset();
            }
            case Expr.Dereference d -> pointerFrameOffset(d.pointer());
            default -> null;
        };
    }

    private Long pointerFrameOffset(Expr pointer) {
        return switch (pointer) {
            case Expr.Decay d -> frameOffset(d.array());
            case Expr.AddressOf a -> frameOffset(a.operand());
            case Expr.Cast c when c.operand().type() instanceof PointerType -> pointerFrameOffset(c.operand());
            case Expr.PointerArithmetic p when p.index() instanceof Expr.IntConstant index -> {
                Long base = pointerFrameOffset(p.pointer());
                long step = index.value() * p.elementSize();
                yield base == null || Math.abs(step) > Integer.MAX_VALUE ? null
                                : base + (p.op() == BinaryOp.SUB ? -step : step);
            }
            default -> null;
        };
    }

    private VReg register(Operand operand) {
        if (operand instanceof VReg register) {
            return register;
        }
        VReg register = function.temporary(operand.width());
        function.emit(new Instr.Move(register, operand));
        return register;
    }

    /** Returns {@code place}, with its base copied when it is a local's register that {@code later} may assign. */
    private Place stabilize(Place place, Expr later) {
        if (place instanceof MemoryPlace memory && memory.base() != null && function.isLocalRegister(memory.base())) {
            VReg base = (VReg) expressions.stable(memory.base(), later);
            return new MemoryPlace(base, memory.displacement(), memory.checkedRead(), memory.checkedWrite(), memory.type());
        }
        if (place instanceof BitFieldPlace bitField) {
            return new BitFieldPlace((MemoryPlace) stabilize(bitField.unit(), later), bitField.bits(), bitField.type());
        }
        return place;
    }

    // ---- Loads and stores ----

    /** Reads a place; a struct or array yields its address. A checked load faults at {@code location}. */
    Operand load(Place place, SourceLocation location) {
        return switch (place) {
            case RegisterPlace r -> r.register();
            case BitFieldPlace b -> expressions.convert(extract(loadUnit(b, location), b.bits()), IntegerType.LLONG,
                            b.type());
            case MemoryPlace m -> {
                CType type = m.type();
                if (type instanceof StructType || type instanceof ArrayType) {
                    yield placeAddress(m);
                }
                Width width = expressions.width(type);
                VReg result = function.temporary(width);
                boolean signed = type instanceof IntegerType integer && integer.isSigned();
                function.emit(new Instr.Load(result, m.base(), m.displacement(), accessSize(type), signed, m.checkedRead(),
                                m.checkedRead() ? function.site(location) : null));
                yield result;
            }
        };
    }

    /** Loads a bit-field's storage unit, zero-extended to 64 bits. */
    private VReg loadUnit(BitFieldPlace place, SourceLocation location) {
        MemoryPlace unit = place.unit();
        VReg value = function.temporary(Width.I64);
        function.emit(new Instr.Load(value, unit.base(), unit.displacement(), place.bits().unitSize(), false,
                        unit.checkedRead(), unit.checkedRead() ? function.site(location) : null));
        return value;
    }

    /** Extracts a bit-field from its 64-bit unit, sign- or zero-extended as the Truffle tier does. */
    private Operand extract(Operand unit, StructType.BitField bits) {
        Operand top = expressions.binaryOp(Instr.BinaryOp.SHL, Width.I64, unit,
                        Imm.of(64 - bits.bitOffset() - bits.width(), Width.I32));
        return expressions.binaryOp(bits.signed() ? Instr.BinaryOp.SAR : Instr.BinaryOp.SHR, Width.I64, top,
                        Imm.of(64 - bits.width(), Width.I32));
    }

    private Operand placeAddress(MemoryPlace place) {
        if (place.base() == null) {
            return Imm.of(place.displacement(), Width.I32);
        }
        if (place.displacement() == 0) {
            return place.base();
        }
        return expressions.binaryOp(Instr.BinaryOp.ADD, Width.I32, place.base(), Imm.of(place.displacement(), Width.I32));
    }

    /**
     * Writes {@code value} to a place and returns the value stored; a struct is copied from the
     * address {@code value} and yields the place's address. A checked store or copy faults at
     * {@code location}.
     */
    Operand store(Place place, Operand value, SourceLocation location) {
        switch (place) {
            case RegisterPlace r -> {
                function.emit(new Instr.Move(r.register(), value));
                return value;
            }
            case BitFieldPlace b -> {
                return storeBitField(b, value, location);
            }
            case MemoryPlace m -> {
                CType type = m.type();
                if (type instanceof StructType) {
                    Operand destination = placeAddress(m);
                    expressions.hostCall(null, new HostTarget.MemoryCopy(type.size()),
                                    java.util.List.of(destination, value), location);
                    return destination;
                }
                function.emit(new Instr.Store(m.base(), m.displacement(), value, accessSize(type), m.checkedWrite(),
                                m.checkedWrite() ? function.site(location) : null));
                return value;
            }
        }
    }

    /**
     * Replaces a bit-field's bits in its storage unit: the value, then a read of the unit, then the
     * write, all checks at {@code location}. Yields the value the bit-field now holds.
     */
    private Operand storeBitField(BitFieldPlace place, Operand value, SourceLocation location) {
        StructType.BitField bits = place.bits();
        Operand stored = value.width() == Width.I64 ? value : expressions.convert(value, IntegerType.INT, IntegerType.LLONG);
        VReg unit = loadUnit(place, location);
        long mask = (bits.width() == 64 ? -1L : (1L << bits.width()) - 1) << bits.bitOffset();
        Operand kept = expressions.binaryOp(Instr.BinaryOp.AND, Width.I64, unit, Imm.of(~mask, Width.I64));
        Operand shifted = expressions.binaryOp(Instr.BinaryOp.SHL, Width.I64, stored, Imm.of(bits.bitOffset(), Width.I32));
        Operand inserted = expressions.binaryOp(Instr.BinaryOp.AND, Width.I64, shifted, Imm.of(mask, Width.I64));
        Operand updated = expressions.binaryOp(Instr.BinaryOp.OR, Width.I64, kept, inserted);
        MemoryPlace target = place.unit();
        function.emit(new Instr.Store(target.base(), target.displacement(), updated, bits.unitSize(), target.checkedWrite(),
                        target.checkedWrite() ? function.site(location) : null));
        return expressions.convert(extract(updated, bits), IntegerType.LLONG, place.type());
    }

    /** Stores an initializer item at {@code offset} in the function's frame, which needs no check. */
    void storeInFrame(int offset, org.kplugins.kpc.ast.InitItem item, Operand value) {
        MemoryPlace memory = new MemoryPlace(function.frameBase, offset, false, false, item.type());
        Place place = item.bitField() == null ? memory : new BitFieldPlace(memory, item.bitField(), item.type());
        store(place, value, item.value().location());
    }

    private static int accessSize(CType type) {
        if (type instanceof PointerType) {
            return 4;
        }
        if (type instanceof IntegerType || type instanceof FloatingType) {
            return type.size();
        }
        throw new IllegalStateException("cannot load or store a value of type '" + type.spelling() + "'");
    }

    // ---- Assignments ----

    Operand assign(Expr.Assign a) {
        Place target = stabilize(place(a.target()), a.value());
        Operand value = expressions.value(a.value());
        return store(target, value, SourceSpans.operator(a.location(), a.value().location(), "="));
    }

    /**
     * {@code target op= value}: the address once, then the read, the value, the operation in the
     * operation type and the store, as the Truffle tier orders them.
     */
    Operand compoundAssign(Expr.CompoundAssign c) {
        SourceLocation operator = SourceSpans.operator(c.location(), c.value().location(), c.op().spelling + "=");
        Place target = stabilize(place(c.target()), c.value());
        Operand result;
        if (c.elementSize() > 0) {
            Operand current = expressions.stable(load(target, c.location()), c.value());
            result = expressions.pointerArithmetic(c.op(), current, expressions.value(c.value()), c.elementSize());
        } else {
            CType operationType = c.operationType();
            Operand current = expressions.stable(load(target, operator), c.value());
            current = expressions.convert(current, c.type(), operationType);
            Operand combined = expressions.arithmetic(c.op(), operationType, current, expressions.value(c.value()),
                            operationType, c.value().type(), operator);
            result = expressions.convert(combined, operationType, c.type());
        }
        return store(target, result, operator);
    }

    /** Prefix and postfix ++ and --: the arithmetic happens in the promoted type and is converted back. */
    Operand incrementOrDecrement(Expr.IncDec i) {
        Place target = place(i.target());
        CType type = i.type();
        Operand old = load(target, i.location());
        if (!i.prefix() && function.isLocalRegister(old)) {
            VReg copy = function.temporary(old.width());
            function.emit(new Instr.Move(copy, old));
            old = copy;
        }
        Operand updated = stepped(old, type, i);
        store(target, updated, i.location());
        return i.prefix() ? updated : old;
    }

    private Operand stepped(Operand old, CType type, Expr.IncDec i) {
        if (type instanceof FloatingType floating) {
            Imm one = floating.isDouble() ? Imm.of(Double.doubleToRawLongBits(1.0), Width.I64)
                            : Imm.of(Float.floatToRawIntBits(1.0f), Width.I32);
            return expressions.floatBinary(i.increment() ? Instr.FloatOp.ADD : Instr.FloatOp.SUB, old, one);
        }
        Instr.BinaryOp op = i.increment() ? Instr.BinaryOp.ADD : Instr.BinaryOp.SUB;
        Width width = expressions.width(type);
        Operand result = expressions.binaryOp(op, width, old, Imm.of(i.step(), width));
        if (type instanceof IntegerType integer && integer.size() < 4) {
            return expressions.convert(result, IntegerType.INT, type);
        }
        return result;
    }
}
