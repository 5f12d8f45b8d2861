// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.io.PrintStream;
import org.kplugins.kpc.KpcContext;
import org.kplugins.kpc.KpcException;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.diagnostics.CompileException;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.link.PluginImports;
import org.kplugins.kpc.runtime.FunctionEntry;
import org.kplugins.kpc.runtime.NativeTier;
import org.kplugins.kpc.runtime.FunctionTable;
import org.kplugins.kpc.runtime.PluginLayout;
import org.kplugins.kpc.runtime.PluginProgram;
import org.kplugins.kpc.runtime.StringLiterals;
import org.kplugins.x86.asm.Register;
import org.kplugins.x86.emit.ListingPrinter;
import org.kplugins.x86.emit.NativeCode;
import org.kplugins.x86.emit.X86Compiler;
import org.kplugins.x86.ir.IrProgram;
import org.kplugins.x86.lower.ProgramLowering;
import org.kplugins.x86.select.CodeMode;
import org.kplugins.x86.select.RuntimeAbi;

/**
 * The x86-64 native tier, which the language loads for {@code kpc.Tier=native} and for hot
 * plugins of {@code kpc.Tier=auto}: lowering,
 * instruction selection, register allocation, emission, and installation of the code. The
 * program's memory factory gives each instance an address space backed by native memory.
 *
 * <p>The system property {@value #REGISTERS_PROPERTY} limits the allocator to the first N
 * allocatable registers, so that tests can run every plugin with heavy spilling.
 */
public final class X86NativeTier implements NativeTier {

    /** System property: how many of {@link RuntimeAbi#ALLOCATABLE} the allocator may use, 1 to 6. */
    public static final String REGISTERS_PROPERTY = "kplugins.x86.registers";

    @Override
    public String unavailableReason(Mode mode) {
        String os = System.getProperty("os.name", "");
        if (mode != Mode.NATIVE) {
            // The emulated CPU runs anywhere, but instance memory is reserved with mmap.
            return os.toLowerCase(Locale.ROOT).startsWith("linux") ? null
                            : "the emulated tier reserves plugin memory with Linux mmap, and this JVM runs on " + os;
        }
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "the native tier runs on Linux x86-64 only, and this JVM runs on " + os + " " + arch;
        }
        return null;
    }

    @Override
    public PluginProgram compile(KpcLanguage language, String name, TranslationUnit unit, PluginImports imports,
                    int stackSize, boolean budgetEnabled, Mode mode) throws CompileException {
        FunctionTable functionTable = FunctionTable.forUnit(unit);
        PluginLayout layout = PluginLayout.create(unit, StringLiterals.collect(unit), functionTable, stackSize);
        List<ProgramLowering.Unsupported> unsupported = new ArrayList<>();
        CodeMode codeMode = mode == Mode.EMULATED_HARDWARE ? CodeMode.HARDWARE : CodeMode.CHECKED;
        IrProgram ir = ProgramLowering.lower(unit, imports, layout, functionTable, budgetEnabled, codeMode, unsupported);
        if (!unsupported.isEmpty()) {
            DiagnosticSink sink = new DiagnosticSink();
            for (ProgramLowering.Unsupported function : unsupported) {
                var location = function.reason().location() != null ? function.reason().location()
                                : findFunction(unit, function.function()).location();
                sink.report(Diagnostic.Kind.UNSUPPORTED, location, function.reason().getMessage());
            }
            sink.throwIfErrors();
        }
        NativeCode code = X86Compiler.compile(ir, allocatableRegisters(), codeMode);
        dumpIfRequested(name, code);

        NativeProgram program = new NativeProgram(language, name, ir, code, functionTable, imports, mode);
        Map<String, FunctionEntry> exports = new LinkedHashMap<>();
        for (Function function : unit.functions()) {
            if (function.isDefined() && !function.isStatic()) {
                NativeFunctionRootNode root = program.root(function.name());
                exports.put(function.name(), new FunctionEntry(function.name(), function.type(), root.getCallTarget()));
            }
        }
        String tier = NativeTier.description(mode);
        return new PluginProgram(name, layout, exports, ir.dataImports(), memoryFactory(mode), () -> tier);
    }

    /** Returns the factory of address spaces backed by native memory, which the machine code addresses directly. */
    @Override
    public PluginProgram.MemoryFactory memoryFactory(Mode mode) {
        return NativeProgram::newAddressSpace;
    }

    private static Function findFunction(TranslationUnit unit, String name) {
        return unit.functions().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * Prints the listing to the context's output when kpc.DumpX86 names a function or is *.
     *
     * @throws KpcException if kpc.DumpX86 names a function the plugin does not define
     */
    private static void dumpIfRequested(String plugin, NativeCode code) {
        String function = KpcContext.get(null).dumpX86();
        if (function.isEmpty()) {
            return;
        }
        if (!function.equals("*") && !code.functionOffsets().containsKey(function)) {
            throw new KpcException("kpc.DumpX86: plugin '" + plugin + "' defines no function '" + function + "'; name one of "
                            + String.join(", ", code.functionOffsets().keySet()), null);
        }
        PrintStream out = KpcContext.get(null).output();
        ListingPrinter.print(code, function, out);
        out.flush();
    }

    private static List<Register> allocatableRegisters() {
        String value = System.getProperty(REGISTERS_PROPERTY);
        if (value == null) {
            return RuntimeAbi.ALLOCATABLE;
        }
        int count;
        try {
            count = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 1 || count > RuntimeAbi.ALLOCATABLE.size()) {
            throw new IllegalArgumentException("invalid " + REGISTERS_PROPERTY + " '" + value + "': expected 1 to "
                            + RuntimeAbi.ALLOCATABLE.size() + " registers");
        }
        return RuntimeAbi.ALLOCATABLE.subList(0, count);
    }
}
