// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.builtins.HostExport;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.monitor.link.FunctionExport;

/**
 * A plugin's function pointer table: one entry for each function whose address the plugin takes,
 * in declaration order. Every instance of the plugin shares it.
 *
 * <p>A function pointer's value is a token for its entry, {@code 0xC0000000 + 16 * index}, not a
 * host address. Tokens lie above every segment limit (at most {@code 0x7FFFF000}), so no data
 * address equals one, and reading or writing through a function pointer raises
 * GENERAL_PROTECTION like any access beyond the limit. A call through a pointer accepts only the
 * token of an entry whose function type is the call's: NULL, any other integer and an entry of
 * another type raise INVALID_FUNCTION_POINTER at the call. The 16-byte spacing keeps the low bits
 * of a token zero, as an aligned function address has them, so a token plus a small offset is
 * not a token.
 */
public final class FunctionTable {

    /** The token of the first entry. */
    public static final int FIRST_TOKEN = 0xC000_0000;
    private static final int TOKEN_SHIFT = 4;
    /** The distance between the tokens of two consecutive entries. */
    public static final int TOKEN_SPACING = 1 << TOKEN_SHIFT;

    /** A function that a function pointer can point to. */
    public sealed interface Entry {
        /** The function's name, for fault reports. */
        String name();

        FunctionType type();

        /** The number of the function type: entries of types that are {@link FunctionType#sameAs} share it. */
        int signature();
    }

    /** A function the plugin defines: a call runs its call target with a frame of {@code stackFrameSize} bytes. */
    public record PluginEntry(String name, FunctionType type, int signature, CallTarget callTarget, int stackFrameSize)
                    implements Entry {
    }

    /** printk, kp_alloc or kp_free. */
    public record BuiltinEntry(String name, FunctionType type, int signature, HostExport export) implements Entry {
    }

    /** A function of the host's symbol table. */
    public record ExportEntry(String name, FunctionType type, int signature, FunctionExport export) implements Entry {
    }

    private final Map<Function, Integer> indexes;
    @CompilationFinal(dimensions = 1) private Entry[] entries;

    private FunctionTable(Map<Function, Integer> indexes) {
        this.indexes = indexes;
        this.entries = new Entry[0];
    }

    /** Numbers the functions of {@code unit} whose address is taken; {@link #setEntries} fills the table later. */
    public static FunctionTable forUnit(TranslationUnit unit) {
        Map<Function, Integer> indexes = new IdentityHashMap<>();
        for (Function function : unit.functions()) {
            if (function.isAddressTaken()) {
                indexes.put(function, indexes.size());
            }
        }
        return new FunctionTable(indexes);
    }

    /** Returns the functions in the table in index order. */
    public List<Function> functions() {
        List<Function> functions = new ArrayList<>(indexes.keySet());
        functions.sort((a, b) -> Integer.compare(indexes.get(a), indexes.get(b)));
        return functions;
    }

    /** Sets the entries, in the order of {@link #functions()}, once the plugin's call targets exist. */
    public void setEntries(Entry[] entries) {
        if (entries.length != indexes.size()) {
            throw new IllegalArgumentException("function table has " + indexes.size() + " functions but got "
                            + entries.length + " entries");
        }
        this.entries = entries;
    }

    /** Returns the token of a function whose address the plugin takes. */
    public int tokenOf(Function function) {
        Integer index = indexes.get(function);
        if (index == null) {
            throw new IllegalStateException("function '" + function.name() + "' has no function pointer table entry");
        }
        return FIRST_TOKEN + index * TOKEN_SPACING;
    }

    /** Returns the entry whose token is {@code token}, or null when {@code token} is no entry's token. */
    public Entry lookup(int token) {
        int offset = token - FIRST_TOKEN;
        if ((offset & (TOKEN_SPACING - 1)) != 0) {
            return null;
        }
        int index = offset >>> TOKEN_SHIFT;
        return Integer.compareUnsigned(index, entries.length) < 0 ? entries[index] : null;
    }
}
