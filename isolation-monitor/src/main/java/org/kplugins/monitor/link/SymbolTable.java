// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.link;

import java.lang.ref.WeakReference;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The kernel symbol table: the functions and data windows one host exports to its plugins. Symbols
 * are only added, never removed or replaced, so a plugin linked against an export stays valid for
 * as long as the table lives, and compiled code may bind to an export once. A host that changes an
 * export's behaviour exports it under a new version number with a new name, or starts a new table.
 *
 * <p>Every table has an {@link #id()} under which {@link #find(long)} returns it while it is
 * reachable. Polyglot contexts name their table by that id in the option {@code kpc.SymbolTable},
 * which is how a table reaches the language without the polyglot API passing Java objects. Ids are
 * random 63-bit numbers, so code in the host process cannot link against another host's table by
 * guessing a small number. Safe for use by many threads.
 */
public final class SymbolTable {

    private static final SecureRandom IDS = new SecureRandom();
    private static final Map<Long, WeakReference<SymbolTable>> TABLES = new ConcurrentHashMap<>();
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final long id;
    private final String owner;
    /** Every symbol by name; a name is either a function or a data window. */
    private final Map<String, Object> symbols = new ConcurrentHashMap<>();
    /** Symbols in the order they were added, which is the order of the rendered header. */
    private final List<Object> ordered = new ArrayList<>();
    private long generation;

    /**
     * Creates an empty table.
     *
     * @param owner the host's name, shown in the rendered header and in link errors
     */
    public SymbolTable(String owner) {
        this.owner = owner;
        WeakReference<SymbolTable> reference = new WeakReference<>(this);
        long candidate;
        do {
            candidate = IDS.nextLong() & Long.MAX_VALUE;
        } while (candidate == 0 || TABLES.putIfAbsent(candidate, reference) != null);
        this.id = candidate;
    }

    /** Returns the table with {@code id}, or null when there is none or it is no longer reachable. */
    public static SymbolTable find(long id) {
        WeakReference<SymbolTable> reference = TABLES.get(id);
        SymbolTable table = reference == null ? null : reference.get();
        if (reference != null && table == null) {
            TABLES.remove(id, reference);
        }
        return table;
    }

    public long id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    /**
     * Adds a function export.
     *
     * @throws IllegalArgumentException if the name is not a C identifier, the version is below 1,
     *                                  or the name is taken
     */
    public void add(FunctionExport export) {
        addSymbol(export.name(), export.version(), export);
    }

    /**
     * Adds a data window.
     *
     * @throws IllegalArgumentException as {@link #add(FunctionExport)} does
     */
    public void add(DataExport export) {
        addSymbol(export.name(), export.version(), export);
    }

    private synchronized void addSymbol(String name, int version, Object symbol) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid symbol name '" + name + "': expected a C identifier");
        }
        if (version < 1) {
            throw new IllegalArgumentException("invalid version " + version + " of symbol '" + name
                            + "': versions start at 1");
        }
        if (symbols.putIfAbsent(name, symbol) != null) {
            throw new IllegalArgumentException("symbol '" + name + "' is already exported by " + owner
                            + "; exports cannot be replaced, so export the new version under another name");
        }
        ordered.add(symbol);
        generation++;
    }

    /**
     * Returns the number of symbols added so far. Code compiled against the table records it, so a
     * plugin compiled again after an export was added sees the new {@code <kernel.h>}.
     */
    public synchronized long generation() {
        return generation;
    }

    /** Returns the function export {@code name}, or null. */
    public FunctionExport function(String name) {
        return symbols.get(name) instanceof FunctionExport export ? export : null;
    }

    /** Returns the data export {@code name}, or null. */
    public DataExport data(String name) {
        return symbols.get(name) instanceof DataExport export ? export : null;
    }

    /** Returns whether any symbol is named {@code name}. */
    public boolean contains(String name) {
        return symbols.containsKey(name);
    }

    /** Returns every export ({@link FunctionExport} or {@link DataExport}) in the order it was added. */
    public synchronized List<Object> symbols() {
        return List.copyOf(ordered);
    }
}
