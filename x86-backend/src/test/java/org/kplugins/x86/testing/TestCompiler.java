// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.link.KernelHeader;
import org.kplugins.kpc.link.PluginImports;
import org.kplugins.kpc.link.PluginLinker;
import org.kplugins.kpc.parser.Parser;
import org.kplugins.kpc.preprocess.BuiltinHeaders;
import org.kplugins.kpc.preprocess.IncludeResolver;
import org.kplugins.kpc.preprocess.Preprocessor;
import org.kplugins.kpc.runtime.FunctionTable;
import org.kplugins.kpc.runtime.PluginLayout;
import org.kplugins.kpc.runtime.StringLiterals;
import org.kplugins.x86.asm.Register;
import org.kplugins.x86.emit.NativeCode;
import org.kplugins.x86.emit.X86Compiler;
import org.kplugins.x86.ir.IrProgram;
import org.kplugins.x86.lower.ProgramLowering;
import org.kplugins.x86.select.CodeMode;
import org.kplugins.x86.select.RuntimeAbi;

/**
 * Runs the front end and the x86 back end on plugin source outside the language's parse, so tests
 * can look at the IR and the machine code. The layout of static data reads the context's options,
 * so the compiler keeps a kpc context entered on the test thread while it is open.
 */
public final class TestCompiler implements AutoCloseable {

    /** What the pipeline produced for one plugin; {@code unsupported} lists the functions it left out. */
    public record Compiled(TranslationUnit unit, PluginLayout layout, IrProgram ir, NativeCode code,
                    List<ProgramLowering.Unsupported> unsupported) {
    }

    private final Context context;

    public TestCompiler() {
        context = Context.newBuilder("kpc").allowExperimentalOptions(true).build();
        context.initialize("kpc");
        context.enter();
    }

    /** Compiles a plugin file, whose {@code #include "name"} reads files in its own folder, in {@link CodeMode#CHECKED}. */
    public Compiled compile(Path plugin) throws IOException {
        return compile(plugin, CodeMode.CHECKED);
    }

    /** Compiles a plugin file, whose {@code #include "name"} reads files in its own folder, in {@code mode}. */
    public Compiled compile(Path plugin, CodeMode mode) throws IOException {
        return compile(plugin, mode, RuntimeAbi.ALLOCATABLE);
    }

    /**
     * Compiles a plugin file, whose {@code #include "name"} reads files in its own folder, in
     * {@code mode} with the allocator limited to {@code registers}.
     */
    public Compiled compile(Path plugin, CodeMode mode, List<Register> registers) throws IOException {
        Path folder = plugin.toAbsolutePath().getParent();
        IncludeResolver resolver = name -> {
            Path file = folder.resolve(name);
            if (!Files.isRegularFile(file)) {
                return null;
            }
            try {
                return sourceFile(name, Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return null;
            }
        };
        return compile(plugin.getFileName().toString(), Files.readString(plugin, StandardCharsets.UTF_8), resolver, true,
                        mode, registers);
    }

    /** Compiles source text that includes only the built-in headers, with the budget checks on or off. */
    public Compiled compile(String name, String text, boolean budgetEnabled) {
        return compile(name, text, budgetEnabled, CodeMode.CHECKED);
    }

    /** Compiles source text that includes only the built-in headers, with the budget checks on or off, in {@code mode}. */
    public Compiled compile(String name, String text, boolean budgetEnabled, CodeMode mode) {
        return compile(name, text, IncludeResolver.NONE, budgetEnabled, mode, RuntimeAbi.ALLOCATABLE);
    }

    private static Compiled compile(String name, String text, IncludeResolver resolver, boolean budgetEnabled,
                    CodeMode mode, List<Register> registers) {
        DiagnosticSink sink = new DiagnosticSink();
        SourceFile file = sourceFile(name, text);
        Preprocessor preprocessor = new Preprocessor(sink, resolver,
                        BuiltinHeaders.withKernelDeclarations(KernelHeader.declarations(null)));
        List<Token> tokens = preprocessor.preprocess(file);
        TranslationUnit unit = new Parser(tokens, file, sink).parseTranslationUnit();
        PluginImports imports = PluginLinker.link(unit, null, sink);
        assertEquals(List.of(), sink.diagnostics(), name + " must compile");
        FunctionTable functionTable = FunctionTable.forUnit(unit);
        PluginLayout layout = PluginLayout.create(unit, StringLiterals.collect(unit), functionTable, 65536);
        List<ProgramLowering.Unsupported> unsupported = new ArrayList<>();
        IrProgram ir = ProgramLowering.lower(unit, imports, layout, functionTable, budgetEnabled, mode, unsupported);
        NativeCode code = X86Compiler.compile(ir, registers, mode);
        return new Compiled(unit, layout, ir, code, unsupported);
    }

    private static SourceFile sourceFile(String name, String text) {
        return new SourceFile(name, text, com.oracle.truffle.api.source.Source.newBuilder("kpc", text, name).build());
    }

    @Override
    public void close() {
        context.leave();
        context.close();
    }
}
