// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kplugins.kpc.KpcContext;
import org.kplugins.kpc.KpcException;
import org.kplugins.kpc.ast.BinaryOp;
import org.kplugins.kpc.ast.Expr;
import org.kplugins.kpc.ast.InitItem;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.StructType;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * Where a plugin's stack and static data live in its address space, and the initial bytes of its
 * static data. Every instance of a plugin uses the same layout, so the nodes hold global and
 * string addresses as constants. From address 0 up:
 *
 * <pre>
 * 0x00000000  page 0, never present, so NULL accesses fault
 * 0x00001000  guard page, not present, below the stack
 * 0x00002000  stack (kpc.StackSize bytes, writable), growing down from its top
 * stack top   read-only data: string literals, then const globals (read-only pages)
 * next page   writable data: the other globals
 * next page   heap for kp_alloc (kpc.HeapSize bytes, mapped on demand by PluginHeap)
 * heap end    host mappings: buffers and strings passed by the host, mapped for one call
 * limit       kpc.MemoryLimit: every access at or above it raises GENERAL_PROTECTION
 * </pre>
 *
 * The heap and host regions depend on options that do not change the layout below them, so
 * {@link PluginInstance} places them.
 */
public final class PluginLayout {

    public static final int PAGE_SIZE = AddressSpace.PAGE_SIZE;
    /** Lowest stack address: above page 0 and the guard page. */
    public static final int STACK_BOTTOM = 2 * PAGE_SIZE;

    private final int stackSize;
    private final int readOnlyStart;
    private final byte[] readOnlyData;
    private final int writableStart;
    private final byte[] writableData;
    private final Map<Variable, Integer> globalAddresses;
    private final Map<String, Integer> stringAddresses;
    private final FunctionTable functionTable;

    private PluginLayout(int stackSize, int readOnlyStart, byte[] readOnlyData, int writableStart,
                    byte[] writableData, Map<Variable, Integer> globalAddresses, Map<String, Integer> stringAddresses,
                    FunctionTable functionTable) {
        this.functionTable = functionTable;
        this.stackSize = stackSize;
        this.readOnlyStart = readOnlyStart;
        this.readOnlyData = readOnlyData;
        this.writableStart = writableStart;
        this.writableData = writableData;
        this.globalAddresses = globalAddresses;
        this.stringAddresses = stringAddresses;
    }

    /**
     * Lays out the defined globals of {@code unit} and the string literals in {@code strings}
     * (their bytes without the NUL), and evaluates the globals' initializers, in which a function's
     * address is its token in {@code functionTable}.
     *
     * @param stackSize stack size in bytes, a multiple of the page size
     * @throws KpcException if the static data does not fit under the current context's
     *                      kpc.MemoryLimit with its kpc.HeapSize, checked before the data is allocated
     */
    public static PluginLayout create(TranslationUnit unit, Set<String> strings, FunctionTable functionTable,
                    int stackSize) {
        int readOnlyStart = STACK_BOTTOM + stackSize;
        Map<Variable, Integer> globalAddresses = new IdentityHashMap<>();
        Map<String, Integer> stringAddresses = new LinkedHashMap<>();

        // Addresses are longs until checkFits has bounded them, because the globals' sizes can add
        // up to more than an int holds.
        long address = readOnlyStart;
        for (String s : strings) {
            stringAddresses.put(s, (int) address);
            address += s.length() + 1;
        }
        for (Variable global : unit.globals()) {
            if (global.isDefined() && global.isReadOnly()) {
                address = alignUp(address, global.type().align());
                globalAddresses.put(global, (int) address);
                address += global.type().size();
            }
        }
        long readOnlyEnd = address;

        long writableStart = alignUp(readOnlyEnd, PAGE_SIZE);
        address = writableStart;
        for (Variable global : unit.globals()) {
            if (global.isDefined() && !global.isReadOnly()) {
                address = alignUp(address, global.type().align());
                globalAddresses.put(global, (int) address);
                address += global.type().size();
            }
        }
        long writableEnd = address;

        KpcContext context = KpcContext.get(null);
        checkFits(unit.file().name(), alignUp(writableEnd, PAGE_SIZE), context.memoryLimit(), context.heapSize());

        PluginLayout layout = new PluginLayout(stackSize, readOnlyStart, new byte[(int) (readOnlyEnd - readOnlyStart)],
                        (int) writableStart, new byte[(int) (writableEnd - writableStart)], globalAddresses,
                        stringAddresses, functionTable);
        layout.writeStrings();
        for (Variable global : unit.globals()) {
            if (global.isDefined() && global.initializer() != null) {
                layout.writeInitializer(global);
            }
        }
        return layout;
    }

    /**
     * Checks that static data ending at {@code dataEnd}, a heap of {@code heapSize} bytes and one
     * page for host buffers fit under {@code memoryLimit}, as {@link PluginInstance#create} does
     * again for each instance. Checking here too keeps a plugin with huge globals from allocating
     * their initial bytes on the host first.
     */
    private static void checkFits(String fileName, long dataEnd, int memoryLimit, int heapSize) {
        long required = dataEnd + heapSize + PAGE_SIZE;
        if (required <= memoryLimit) {
            return;
        }
        String pluginName = fileName.endsWith(".kpc") ? fileName.substring(0, fileName.length() - 4) : fileName;
        String needs = "plugin '" + pluginName + "' needs a memory limit of at least " + required + " bytes (stack, static"
                        + " data, a " + heapSize + "-byte heap and one page for host buffers), but kpc.MemoryLimit is "
                        + memoryLimit;
        long requiredWithSmallestHeap = dataEnd + 2 * PAGE_SIZE;
        if (requiredWithSmallestHeap > AddressSpace.MAX_SEGMENT_LIMIT) {
            throw new KpcException(needs + " and can be at most " + AddressSpace.MAX_SEGMENT_LIMIT
                            + "; make the globals smaller or lower kpc.StackSize", null);
        }
        throw new KpcException(needs + "; raise kpc.MemoryLimit or lower kpc.StackSize or kpc.HeapSize", null);
    }

    private static long alignUp(long address, int alignment) {
        return (address + alignment - 1) & -alignment;
    }

    static int alignToPage(long address) {
        return (int) ((address + PAGE_SIZE - 1) & -PAGE_SIZE);
    }

    /** Returns the bytes of the whole pages that a value of {@code bytes} bytes takes, at least one page. */
    static long pageAligned(long bytes) {
        return (Math.max(bytes, 1) + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    private void writeStrings() {
        for (Map.Entry<String, Integer> entry : stringAddresses.entrySet()) {
            String bytes = entry.getKey();
            int offset = entry.getValue() - readOnlyStart;
            for (int i = 0; i < bytes.length(); i++) {
                readOnlyData[offset + i] = (byte) bytes.charAt(i);
            }
        }
    }

    private void writeInitializer(Variable global) {
        int base = globalAddresses.get(global);
        for (InitItem item : global.initializer()) {
            long value = constantValue(item.value());
            if (item.type() instanceof IntegerType integer && integer.isBool()) {
                value = value != 0 ? 1 : 0;
            }
            if (item.bitField() != null) {
                writeBitField(base + item.offset(), item.bitField(), value);
                continue;
            }
            writeLittleEndian(base + item.offset(), item.type().size(), value);
        }
    }

    /** Replaces the bits of a bit-field in the storage unit at {@code address}, keeping the unit's other bits. */
    private void writeBitField(int address, StructType.BitField bits, long value) {
        byte[] image = address >= writableStart ? writableData : readOnlyData;
        int offset = address - (address >= writableStart ? writableStart : readOnlyStart);
        long unit = 0;
        for (int i = 0; i < bits.unitSize(); i++) {
            unit |= (image[offset + i] & 0xFFL) << (8 * i);
        }
        long mask = (bits.width() == 64 ? -1L : (1L << bits.width()) - 1) << bits.bitOffset();
        writeLittleEndian(address, bits.unitSize(), (unit & ~mask) | ((value << bits.bitOffset()) & mask));
    }

    private void writeLittleEndian(int address, int size, long value) {
        byte[] image = address >= writableStart ? writableData : readOnlyData;
        int offset = address - (address >= writableStart ? writableStart : readOnlyStart);
        for (int i = 0; i < size; i++) {
            image[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    /**
     * Evaluates a constant of a static initializer: an integer constant or an address constant.
     * The parser accepts only those forms, so any other expression is a compiler bug.
     */
    private long constantValue(Expr e) {
        return switch (e) {
            case Expr.IntConstant c -> c.value();
            case Expr.FloatConstant c -> c.bits();
            case Expr.Cast c -> convertConstant(constantValue(c.operand()), c.operand().type(), c.type());
            case Expr.Decay d -> constantAddress(d.array());
            case Expr.AddressOf a -> constantAddress(a.operand());
            case Expr.StringLiteral s -> stringAddress(s.bytes());
            case Expr.FunctionAddress f -> Integer.toUnsignedLong(functionTable.tokenOf(f.function()));
            case Expr.PointerArithmetic p -> {
                long offset = constantValue(p.index()) * p.elementSize();
                long pointer = constantValue(p.pointer());
                yield (p.op() == BinaryOp.SUB ? pointer - offset : pointer + offset) & 0xFFFF_FFFFL;
            }
            default -> throw new IllegalStateException("not a constant of a static initializer: " + e);
        };
    }

    private long constantAddress(Expr lvalue) {
        return switch (lvalue) {
            case Expr.VariableRef v -> Integer.toUnsignedLong(globalAddress(v.variable()));
            case Expr.StringLiteral s -> Integer.toUnsignedLong(stringAddress(s.bytes()));
            case Expr.MemberAccess m -> constantAddress(m.struct()) + m.member().offset();
            case Expr.Dereference d -> constantValue(d.pointer());
            default -> throw new IllegalStateException("not an address constant: " + lvalue);
        };
    }

    /** Converts a constant as C converts a value: truncates to the target's width, extending by the source's sign. */
    private static long convertConstant(long value, CType from, CType to) {
        long widened = from instanceof IntegerType f && !f.isSigned() && f.size() < 8
                        ? value & ((1L << (8 * f.size())) - 1) : value;
        if (to instanceof IntegerType t) {
            if (t.isBool()) {
                return widened != 0 ? 1 : 0;
            }
            return switch (t.size()) {
                case 1 -> t.isSigned() ? (byte) widened : widened & 0xFF;
                case 2 -> t.isSigned() ? (short) widened : widened & 0xFFFF;
                case 4 -> t.isSigned() ? (int) widened : widened & 0xFFFF_FFFFL;
                default -> widened;
            };
        }
        return widened & 0xFFFF_FFFFL;
    }

    public int stackSize() {
        return stackSize;
    }

    /** The address above the stack, where the stack pointer starts at each call from the host. */
    public int stackTop() {
        return STACK_BOTTOM + stackSize;
    }

    public int readOnlyStart() {
        return readOnlyStart;
    }

    /** The initial bytes of the read-only data; callers must not change them. */
    byte[] readOnlyData() {
        return readOnlyData;
    }

    public int writableStart() {
        return writableStart;
    }

    /** The initial bytes of the writable data; callers must not change them. */
    byte[] writableData() {
        return writableData;
    }

    /** The first address above the static data, page-aligned: where the heap starts. */
    public int dataEnd() {
        return alignToPage(Math.max((long) writableStart, writableStart + (long) writableData.length));
    }

    public int globalAddress(Variable global) {
        Integer address = globalAddresses.get(global);
        if (address == null) {
            throw new IllegalStateException("global '" + global.name() + "' has no address: it is not defined");
        }
        return address;
    }

    public int stringAddress(String bytes) {
        Integer address = stringAddresses.get(bytes);
        if (address == null) {
            throw new IllegalStateException("string literal \"" + bytes + "\" was not laid out");
        }
        return address;
    }

    /**
     * Returns whether {@code other} places the stack, the static data, every global and every
     * string literal at the same addresses with the same initial bytes, so that code built for
     * either layout runs on an instance created with the other. Globals are compared by identity, so
     * both layouts must come from the same translation unit.
     */
    public boolean sameAs(PluginLayout other) {
        return stackSize == other.stackSize && readOnlyStart == other.readOnlyStart && writableStart == other.writableStart
                        && Arrays.equals(readOnlyData, other.readOnlyData)
                        && Arrays.equals(writableData, other.writableData)
                        && sameGlobalAddresses(other) && stringAddresses.equals(other.stringAddresses);
    }

    /** Compares the global addresses by key identity and address value. IdentityHashMap.equals would also compare the boxed values by identity. */
    private boolean sameGlobalAddresses(PluginLayout other) {
        if (globalAddresses.size() != other.globalAddresses.size()) {
            return false;
        }
        for (Map.Entry<Variable, Integer> global : globalAddresses.entrySet()) {
            if (!global.getValue().equals(other.globalAddresses.get(global.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Returns the names and addresses of the globals, for diagnostics and tests. */
    public List<Map.Entry<String, Integer>> globals() {
        return globalAddresses.entrySet().stream().map(e -> Map.entry(e.getKey().name(), e.getValue())).toList();
    }
}
