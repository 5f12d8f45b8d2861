// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.link;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.builtins.HostExport;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.types.ArrayType;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.monitor.link.DataExport;
import org.kplugins.monitor.link.FunctionExport;
import org.kplugins.monitor.link.SymbolTable;

/**
 * Resolves a plugin's imports: every function it declares or calls without defining must be a
 * built-in {@link HostExport} or a function of the host's symbol table with the same prototype, and
 * every global it declares without defining must be a data window of the table with the same type,
 * declared {@code const} when the window is read-only. Each failure is a LINK diagnostic at the
 * symbol's first declaration, which shows both declarations.
 */
public final class PluginLinker {

    private PluginLinker() {
    }

    /**
     * Returns what each undefined symbol resolves to, reporting the ones that resolve to nothing.
     *
     * @param table the host's symbol table, or null for a host that exports only the built-ins
     */
    public static PluginImports link(TranslationUnit unit, SymbolTable table, DiagnosticSink sink) {
        Map<Function, HostExport> builtins = new IdentityHashMap<>();
        Map<Function, FunctionExport> functions = new IdentityHashMap<>();
        List<PluginImports.DataImport> data = new ArrayList<>();
        for (Function function : unit.functions()) {
            if (!function.isDefined()) {
                linkFunction(function, table, sink, builtins, functions);
            }
        }
        for (Variable global : unit.globals()) {
            if (!global.isDefined()) {
                DataExport export = linkData(global, table, sink);
                if (export != null) {
                    data.add(new PluginImports.DataImport(global, export));
                }
            }
        }
        return new PluginImports(builtins, functions, List.copyOf(data));
    }

    private static void linkFunction(Function function, SymbolTable table, DiagnosticSink sink,
                    Map<Function, HostExport> builtins, Map<Function, FunctionExport> functions) {
        String name = function.name();
        if (function.isStatic()) {
            // Internal linkage: the definition can only be in this plugin, never in the host.
            sink.report(Diagnostic.Kind.LINK, function.location(), "static function '" + name
                            + "' is declared but never defined: define it in this plugin, or drop 'static' to import it from the host");
            return;
        }
        String declared = function.type().prototype(name);
        HostExport builtin = HostExport.find(name);
        if (builtin != null) {
            if (builtin.type().sameAs(function.type())) {
                builtins.put(function, builtin);
            } else {
                mismatch(sink, function, declared, builtin.prototype());
            }
            return;
        }
        FunctionExport export = table == null ? null : table.function(name);
        if (export == null) {
            String detail = table != null && table.data(name) != null ? "the host exports it as data, not as a function"
                            : "the host exports no such function";
            sink.report(Diagnostic.Kind.LINK, function.location(), "undefined symbol '" + name + "': " + detail);
            return;
        }
        FunctionType exported;
        try {
            exported = (FunctionType) Prototypes.function(export.prototype()).type();
        } catch (IllegalArgumentException e) {
            sink.report(Diagnostic.Kind.LINK, function.location(), "host export '" + name + "' cannot be linked: "
                            + e.getMessage());
            return;
        }
        String unsupported = unsupportedHostSignature(exported);
        if (unsupported != null) {
            sink.report(Diagnostic.Kind.LINK, function.location(), "host export '" + name + "' cannot be linked: "
                            + unsupported);
        } else if (exported.sameAs(function.type())) {
            functions.put(function, export);
        } else {
            mismatch(sink, function, declared, exported.prototype(name));
        }
    }

    /**
     * Returns why a host function of {@code type} cannot be called, or null when it can: host
     * functions take and return integers and pointers only, with a fixed number of parameters.
     */
    public static String unsupportedHostSignature(FunctionType type) {
        if (type.isVariadic()) {
            return "host functions cannot be variadic";
        }
        for (CType parameter : type.parameterTypes()) {
            if (!isHostScalar(parameter)) {
                return "parameter type '" + parameter.spelling() + "' is not an integer or a pointer to an integer,"
                                + " void or such a pointer";
            }
        }
        CType result = type.returnType();
        if (!isHostScalar(result) && !result.isVoid()) {
            return "return type '" + result.spelling() + "' is not void, an integer or a pointer to an integer,"
                            + " void or such a pointer";
        }
        return null;
    }

    /**
     * Returns whether a host function or hook can pass {@code type}: an integer, or a pointer to an
     * integer, to void or to such a pointer. Struct and union types are excluded because each
     * declaration of one is a type of its own, so a host's and a plugin's never compare equal.
     */
    private static boolean isHostScalar(CType type) {
        if (type.isInteger()) {
            return true;
        }
        if (type instanceof PointerType pointer) {
            CType pointee = pointer.pointee();
            return pointee.isVoid() || isHostScalar(pointee);
        }
        return false;
    }

    /**
     * Returns why a data window of {@code type} cannot be exported, or null when it can: an
     * integer or an array of integers, {@code const} when the window is read-only.
     */
    public static String unsupportedDataType(CType type, boolean writable) {
        CType element = type;
        while (element instanceof ArrayType array) {
            element = array.element();
        }
        if (!element.isInteger()) {
            return "data windows hold integers or arrays of integers, not '" + element.spelling() + "'";
        }
        if (!writable && !isConst(type)) {
            return "a read-only window must be declared const";
        }
        return null;
    }

    private static void mismatch(DiagnosticSink sink, Function function, String declared, String exported) {
        sink.report(Diagnostic.Kind.LINK, function.location(), "'" + function.name() + "' is declared as '"
                        + declared + "' but the host exports '" + exported + "'");
    }

    private static DataExport linkData(Variable global, SymbolTable table, DiagnosticSink sink) {
        String name = global.name();
        DataExport export = table == null ? null : table.data(name);
        if (export == null) {
            String detail = table != null && table.function(name) != null
                            ? "the host exports it as a function, not as data"
                            : "the host exports no such data symbol";
            sink.report(Diagnostic.Kind.LINK, global.location(), "undefined symbol '" + name + "': " + detail);
            return null;
        }
        CType exported;
        try {
            exported = Prototypes.data(export.declaration()).type();
        } catch (IllegalArgumentException e) {
            sink.report(Diagnostic.Kind.LINK, global.location(), "host export '" + name + "' cannot be linked: "
                            + e.getMessage());
            return null;
        }
        CType declared = global.type();
        if (!declared.sameAs(exported)) {
            sink.report(Diagnostic.Kind.LINK, global.location(), "'" + name + "' is declared as '"
                            + declaration(name, declared) + "' but the host exports '" + declaration(name, exported) + "'");
            return null;
        }
        if (!export.writable() && !isConst(declared)) {
            sink.report(Diagnostic.Kind.LINK, global.location(), "'" + name + "' is exported read-only, so it must be"
                            + " declared const: '" + declaration(name, exported) + "'");
            return null;
        }
        if (export.buffer().capacity() < exported.size()) {
            sink.report(Diagnostic.Kind.LINK, global.location(), "host export '" + name + "' cannot be linked: its"
                            + " buffer has " + export.buffer().capacity() + " bytes but 'extern " + exported.spelling()
                            + "' needs " + exported.size());
            return null;
        }
        return export;
    }

    /**
     * Returns the extern declaration of {@code name} with {@code type}, for example
     * {@code extern const unsigned char table[16]}. Arrays of pointers to functions or arrays, which
     * data windows do not use, show the type's spelling before the name.
     */
    static String declaration(String name, CType type) {
        StringBuilder dimensions = new StringBuilder();
        CType element = type;
        while (element instanceof ArrayType array) {
            dimensions.append('[').append(array.length() < 0 ? "" : array.length()).append(']');
            element = array.element();
        }
        String spelling = element.spelling();
        return "extern " + spelling + (spelling.endsWith("*") ? "" : " ") + name + dimensions;
    }

    /** Returns whether an object of {@code type} is read-only: a const type, or an array of const elements. */
    private static boolean isConst(CType type) {
        return type instanceof ArrayType array ? isConst(array.element()) : type.isConst();
    }
}
