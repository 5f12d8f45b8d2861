// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.lower;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.builtins.HostExport;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.link.PluginImports;
import org.kplugins.kpc.runtime.FunctionTable;
import org.kplugins.kpc.runtime.PluginLayout;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.StructType;
import org.kplugins.kpc.types.VoidType;
import org.kplugins.monitor.link.FunctionExport;
import org.kplugins.x86.ir.HostTarget;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.IrFunction;
import org.kplugins.x86.ir.Inliner;
import org.kplugins.x86.ir.Optimizer;
import org.kplugins.x86.ir.IrProgram;
import org.kplugins.x86.ir.Operand;
import org.kplugins.x86.ir.Site;
import org.kplugins.x86.ir.VReg;
import org.kplugins.x86.ir.Width;
import org.kplugins.x86.select.CodeMode;

/**
 * Lowers a parsed and linked plugin to IR, one {@link FunctionLowering} per defined function, with
 * the addresses of its static data taken from its {@link PluginLayout}, the same layout the
 * Truffle tier uses.
 */
public final class ProgramLowering {

    /** A function the native tier could not lower, and why. */
    public record Unsupported(String function, UnsupportedFeatureException reason) {
    }

    private final PluginImports imports;
    private final PluginLayout layout;
    private final FunctionTable functionTable;
    /** The distinct function types of indirect calls and table entries; a type's index is its signature number. */
    private final List<FunctionType> signatures = new ArrayList<>();
    private final boolean budgetEnabled;
    private final List<IrProgram.HostCallSite> hostCalls = new ArrayList<>();
    /** The data windows the code refers to, in the order of the index that DataImportAddress instructions carry. */
    private final List<PluginImports.DataImport> usedData = new ArrayList<>();
    /** Types already checked by {@link #checkType}, by identity. */
    private final Map<CType, Boolean> supportedTypes = new IdentityHashMap<>();

    private ProgramLowering(PluginImports imports, PluginLayout layout, FunctionTable functionTable, boolean budgetEnabled) {
        this.imports = imports;
        this.layout = layout;
        this.functionTable = functionTable;
        this.budgetEnabled = budgetEnabled;
    }

    /** Lowers every defined function of {@code unit} for {@link CodeMode#CHECKED} code. */
    public static IrProgram lower(TranslationUnit unit, PluginImports imports, PluginLayout layout,
                    FunctionTable functionTable, boolean budgetEnabled, List<Unsupported> unsupported) {
        return lower(unit, imports, layout, functionTable, budgetEnabled, CodeMode.CHECKED, unsupported);
    }

    /**
     * Lowers every defined function of {@code unit}.
     *
     * @param functionTable the plugin's function pointer table, whose tokens the layout already uses
     * @param mode          the mode the program will be compiled in; in {@link CodeMode#HARDWARE}
     *                      loop versioning walks no page table
     * @param unsupported receives one entry per function that uses a construct the tier cannot
     *                    lower yet; such a function is left out of the program
     */
    public static IrProgram lower(TranslationUnit unit, PluginImports imports, PluginLayout layout,
                    FunctionTable functionTable, boolean budgetEnabled, CodeMode mode, List<Unsupported> unsupported) {
        ProgramLowering program = new ProgramLowering(imports, layout, functionTable, budgetEnabled);
        List<IrFunction> functions = new ArrayList<>();
        for (Function function : unit.functions()) {
            if (!function.isDefined()) {
                continue;
            }
            try {
                functions.add(new FunctionLowering(program, function).lower());
            } catch (UnsupportedFeatureException e) {
                unsupported.add(new Unsupported(function.name(), e));
            }
        }
        Inliner.inline(functions, budgetEnabled);
        Optimizer.optimize(functions, mode == CodeMode.CHECKED);
        return new IrProgram(functions, List.copyOf(program.hostCalls), budgetEnabled, List.copyOf(program.signatures),
                        List.copyOf(program.usedData));
    }

    PluginLayout layout() {
        return layout;
    }

    boolean budgetEnabled() {
        return budgetEnabled;
    }

    /** Returns the function pointer token of a function whose address the plugin takes. */
    int tokenOf(Function function) {
        return functionTable.tokenOf(function);
    }

    int functionTableSize() {
        return functionTable.functions().size();
    }

    /** Returns the number of {@code type}: types that are {@link FunctionType#sameAs} each other share it. */
    int signatureOf(FunctionType type) {
        return signatureNumber(signatures, type);
    }

    /** Returns the index of the first type in {@code types} that is the same as {@code type}, adding it when there is none. */
    public static int signatureNumber(List<FunctionType> types, FunctionType type) {
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i).sameAs(type)) {
                return i;
            }
        }
        types.add(type);
        return types.size() - 1;
    }

    /** Returns the built-in export that a call of {@code callee} goes to, or null. */
    HostExport builtin(Function callee) {
        return callee.isDefined() ? null : imports.builtins().get(callee);
    }

    /** Returns the host symbol-table function that a call of {@code callee} goes to, or null. */
    FunctionExport tableFunction(Function callee) {
        return callee.isDefined() ? null : imports.functions().get(callee);
    }

    /**
     * Returns the index of the data window that {@code global} imports, or -1 for a global the
     * plugin defines. Only windows the code refers to get an index, in the order the code first
     * refers to them, so instances map only those, as in the Truffle tier.
     */
    int dataImportIndex(Variable global) {
        int index = global.isDefined() ? -1 : imports.dataIndex(global);
        if (index < 0) {
            return -1;
        }
        PluginImports.DataImport window = imports.data().get(index);
        for (int i = 0; i < usedData.size(); i++) {
            if (usedData.get(i) == window) {
                return i;
            }
        }
        usedData.add(window);
        return usedData.size() - 1;
    }

    Instr.HostCall newHostCall(String function, VReg result, HostTarget target, List<Operand> arguments, Site site) {
        Instr.HostCall call = new Instr.HostCall(result, hostCalls.size(), target, List.copyOf(arguments), site);
        hostCalls.add(new IrProgram.HostCallSite(function, call));
        return call;
    }

    /**
     * Returns the width of a value of {@code type}: long long and double (as its bits) are
     * {@code I64}; every other integer, float (as its bits), pointers, and structs and arrays
     * (carried by address) are {@code I32}.
     *
     * @throws UnsupportedFeatureException for any other type, reported at {@code location}
     */
    Width widthOf(CType type, SourceLocation location) {
        checkType(type, location);
        if (type instanceof IntegerType integer && integer.is64Bit()
                        || type instanceof FloatingType floating && floating.isDouble()) {
            return Width.I64;
        }
        if (type instanceof VoidType) {
            throw new IllegalArgumentException("void has no width");
        }
        return Width.I32;
    }

    /** Rejects the types the tier cannot lower yet: anything but void, integers, floating types, pointers, arrays and structs of those. */
    void checkType(CType type, SourceLocation location) {
        if (!isSupported(type)) {
            throw new UnsupportedFeatureException(location, "type '" + type.spelling() + "'");
        }
    }

    private boolean isSupported(CType type) {
        Boolean known = supportedTypes.get(type);
        if (known != null) {
            return known;
        }
        // A struct that points to itself is checked once: while it is being checked, it counts as supported.
        supportedTypes.put(type, true);
        boolean supported = switch (type) {
            case VoidType v -> true;
            case IntegerType i -> true;
            case FloatingType f -> true;
            case PointerType p -> p.pointee() instanceof FunctionType || isSupported(p.pointee());
            case ArrayType a -> isSupported(a.element());
            case StructType s -> s.members().stream().allMatch(member -> isSupported(member.type()));
            default -> false;
        };
        supportedTypes.put(type, supported);
        return supported;
    }
}
