// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.debug.CVariable;
import org.kplugins.kpc.builtins.HostExport;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.link.PluginImports;
import org.kplugins.kpc.nodes.call.KpcCallNode;
import org.kplugins.kpc.runtime.FunctionEntry;
import org.kplugins.kpc.runtime.FunctionTable;
import org.kplugins.kpc.runtime.PluginLayout;
import org.kplugins.kpc.runtime.PluginProgram;
import org.kplugins.kpc.runtime.StringLiterals;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.monitor.link.FunctionExport;

/**
 * Builds the Truffle nodes of a linked translation unit: one {@link KpcFunctionRootNode} per
 * defined function, with calls bound to their callees' call targets, and the plugin's layout.
 */
public final class NodeBuilder {

    private final KpcLanguage language;
    private final TranslationUnit unit;
    private final PluginImports imports;
    private final boolean budgetEnabled;
    private final PluginLayout layout;
    private final FunctionTable functionTable;
    /** The distinct function types of calls and table entries; a type's index is its signature number. */
    private final List<FunctionType> signatures = new ArrayList<>();
    private final List<Map.Entry<KpcCallNode, Function>> pendingCalls = new ArrayList<>();
    /** The data windows the code refers to, in the order of their indices. */
    private final List<PluginImports.DataImport> usedData = new ArrayList<>();
    /**
     * The source files with {@code #line} directives that node sections point into, by Truffle
     * source. Every root node of the plugin shares this map, and {@link #section} fills it while
     * the plugin is built.
     */
    private final Map<Source, SourceFile> lineDirectiveFiles = new java.util.HashMap<>();
    /** The defined globals and their addresses, which tools show in every function. */
    private final List<CVariable> globalVariables = new ArrayList<>();

    private NodeBuilder(KpcLanguage language, TranslationUnit unit, PluginImports imports, int stackSize,
                    boolean budgetEnabled) {
        this.language = language;
        this.unit = unit;
        this.imports = imports;
        this.budgetEnabled = budgetEnabled;
        this.functionTable = FunctionTable.forUnit(unit);
        this.layout = PluginLayout.create(unit, StringLiterals.collect(unit), functionTable, stackSize);
        // NOTE: unit.globals() also lists block-scope static locals, so tools show them with the
        // globals in every function, and two static locals of the same name show twice.
        for (Variable global : unit.globals()) {
            if (global.isDefined()) {
                globalVariables.add(CVariable.global(global.name(), global.type(), layout.globalAddress(global)));
            }
        }
    }

    /**
     * Builds the plugin {@code name}.
     *
     * @param imports       what each symbol the plugin declares but does not define resolved to
     * @param stackSize     kpc.StackSize in bytes, which fixes where static data starts
     * @param budgetEnabled whether loops and calls count steps of kpc.Budget
     */
    public static PluginProgram build(KpcLanguage language, String name, TranslationUnit unit,
                    PluginImports imports, int stackSize, boolean budgetEnabled) {
        return new NodeBuilder(language, unit, imports, stackSize, budgetEnabled).build(name);
    }

    private PluginProgram build(String name) {
        Map<Function, KpcFunctionRootNode> roots = new IdentityHashMap<>();
        Map<String, FunctionEntry> exports = new LinkedHashMap<>();
        for (Function function : unit.functions()) {
            if (!function.isDefined()) {
                continue;
            }
            KpcFunctionRootNode root = new FunctionBuilder(this, function).build();
            CallTarget target = root.getCallTarget();
            roots.put(function, root);
            if (!function.isStatic()) {
                exports.put(function.name(), new FunctionEntry(function.name(), function.type(), target));
            }
        }
        for (Map.Entry<KpcCallNode, Function> call : pendingCalls) {
            KpcFunctionRootNode callee = roots.get(call.getValue());
            call.getKey().link(callee.getCallTarget(), callee.stackFrameSize(), callee.countsSteps());
        }
        fillFunctionTable(roots);
        return new PluginProgram(name, layout, exports, List.copyOf(usedData));
    }

    /** Creates the entry of each function whose address the plugin takes, now that every root node exists. */
    private void fillFunctionTable(Map<Function, KpcFunctionRootNode> roots) {
        List<Function> functions = functionTable.functions();
        FunctionTable.Entry[] entries = new FunctionTable.Entry[functions.size()];
        for (int i = 0; i < entries.length; i++) {
            Function function = functions.get(i);
            FunctionType type = function.type();
            int signature = signatureOf(type);
            KpcFunctionRootNode root = roots.get(function);
            if (root != null) {
                entries[i] = new FunctionTable.PluginEntry(function.name(), type, signature, root.getCallTarget(),
                                root.stackFrameSize());
            } else if (hostExport(function) != null) {
                entries[i] = new FunctionTable.BuiltinEntry(function.name(), type, signature, hostExport(function));
            } else {
                entries[i] = new FunctionTable.ExportEntry(function.name(), type, signature, functionExport(function));
            }
        }
        functionTable.setEntries(entries);
    }

    FunctionTable functionTable() {
        return functionTable;
    }

    /** Returns the number of a function type: types that are {@link FunctionType#sameAs} get the same number. */
    int signatureOf(FunctionType type) {
        for (int i = 0; i < signatures.size(); i++) {
            if (signatures.get(i).sameAs(type)) {
                return i;
            }
        }
        signatures.add(type);
        return signatures.size() - 1;
    }

    KpcLanguage language() {
        return language;
    }

    PluginLayout layout() {
        return layout;
    }

    boolean budgetEnabled() {
        return budgetEnabled;
    }

    List<CVariable> globalVariables() {
        return globalVariables;
    }

    /** Returns the built-in export that a call of {@code callee} goes to, or null. */
    HostExport hostExport(Function callee) {
        return callee.isDefined() ? null : imports.builtins().get(callee);
    }

    /** Returns the export of the host's symbol table that a call of {@code callee} goes to, or null. */
    FunctionExport functionExport(Function callee) {
        return callee.isDefined() ? null : imports.functions().get(callee);
    }

    /**
     * Returns the index of the data window that {@code global} imports, or -1 for a global the
     * plugin defines. Only windows the code refers to get an index, so instances map only those:
     * {@code <kernel.h>} declares every window of the host, and most plugins use none.
     */
    int dataImportIndex(Variable global) {
        if (global.isDefined()) {
            return -1;
        }
        for (int i = 0; i < usedData.size(); i++) {
            if (usedData.get(i).variable() == global) {
                return i;
            }
        }
        int index = imports.dataIndex(global);
        if (index < 0) {
            return -1;
        }
        usedData.add(imports.data().get(index));
        return usedData.size() - 1;
    }

    Map<Source, SourceFile> lineDirectiveFiles() {
        return lineDirectiveFiles;
    }

    void addPendingCall(KpcCallNode node, Function callee) {
        pendingCalls.add(Map.entry(node, callee));
    }

    /**
     * Returns the section of the operator token of a binary expression or assignment that spans
     * {@code whole}: the last {@code spelling} before the right operand starts. Falls back to the
     * whole expression when the operator is not found, for example in a macro expansion.
     */
    SourceSection operatorSection(SourceLocation whole, SourceLocation rightOperand, String spelling) {
        if (whole == null || rightOperand == null || rightOperand.file() != whole.file()) {
            return section(whole);
        }
        String text = whole.file().text();
        int index = text.lastIndexOf(spelling, rightOperand.offset() - 1);
        if (index < whole.offset() || index + spelling.length() > rightOperand.offset()) {
            return section(whole);
        }
        return section(new SourceLocation(whole.file(), whole.line(), whole.column(), index, spelling.length()));
    }

    /** Returns the source section of {@code location}, or null for code without a Truffle source (built-in headers). */
    SourceSection section(SourceLocation location) {
        if (location == null || location.file() == null || location.file().truffleSource() == null) {
            return null;
        }
        Source source = location.file().truffleSource();
        if (location.file().hasLineDirectives()) {
            lineDirectiveFiles.putIfAbsent(source, location.file());
        }
        int length = source.getLength();
        int start = Math.max(0, Math.min(location.offset(), length));
        int end = Math.max(start, Math.min(location.offset() + location.length(), length));
        return source.createSection(start, end - start);
    }
}
