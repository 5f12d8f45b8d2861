// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import java.io.ByteArrayOutputStream;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.kplugins.monitor.link.SymbolTable;

/**
 * A context with kpc.Tier=auto for the tests, which keeps the messages of the logger
 * {@code kpc.tier} at FINE and above: the tier a plugin starts in and when it switches.
 */
final class AutoRun implements AutoCloseable {

    /** The start of the message that the auto tier logs when a plugin switches to the native tier. */
    static final String SWITCHED = "switched to the native tier";

    final Context context;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<String> records = new ArrayList<>();
    /** The host's symbol table, held so that it stays reachable, as a host must, while the context uses it. */
    private final SymbolTable table;

    /**
     * @param options language options besides kpc.Tier
     * @param table   the host's symbol table, or null for the built-in exports only
     */
    AutoRun(Map<String, String> options, SymbolTable table) {
        this.table = table;
        Map<String, String> all = new LinkedHashMap<>(options);
        all.put("kpc.Tier", "auto");
        if (table != null) {
            all.put("kpc.SymbolTable", Long.toString(table.id()));
        }
        all.put("log.kpc.tier.level", "FINE");
        context = context(all, out, new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    /** Builds a context with {@code options}, file access for {@code #include}, and {@code out} as standard output and error. */
    static Context context(Map<String, String> options, ByteArrayOutputStream out, Handler logHandler) {
        Context.Builder builder = Context.newBuilder("kpc").out(out).err(out).allowExperimentalOptions(true)
                        .allowIO(IOAccess.ALL)
                        .allowHostAccess(HostAccess.newBuilder().allowArrayAccess(true).allowBufferAccess(true).build())
                        .options(options);
        if (logHandler != null) {
            builder.logHandler(logHandler);
        }
        return builder.build();
    }

    Value eval(String name, String source) {
        return context.eval(Source.newBuilder("kpc", source, name).buildLiteral());
    }

    boolean logged(String text) {
        synchronized (records) {
            return records.stream().anyMatch(record -> record.contains(text));
        }
    }

    /** Returns the log messages and the plugin's output, for assertion messages. */
    String log() {
        synchronized (records) {
            return String.join("\n", records) + "\n" + out.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        context.close();
        Reference.reachabilityFence(table);
    }
}
