// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The auto tier when the x86 tier is missing or rejects the plugin, with {@link FakeX86Tier} in
 * place of the x86-backend module. Every call runs in the Truffle tier and returns its result,
 * the compile is tried at most once, and only the log gives the reason.
 */
class AutoTierFallbackTest {

    private static final String SOURCE = """
                    int sum_to(int n) {
                        int total = 0;
                        for (int i = 1; i <= n; i++) {
                            total += i;
                        }
                        return total;
                    }
                    """;

    private final List<String> log = new ArrayList<>();

    @AfterEach
    void switchTierOff() {
        FakeX86Tier.behavior = FakeX86Tier.Behavior.UNAVAILABLE;
        FakeX86Tier.COMPILES.set(0);
    }

    @Test
    void unavailableTierRunsTruffleOnly() {
        try (Context context = context("auto")) {
            Value plugin = context.eval(Source.newBuilder("kpc", SOURCE, "sum.kpc").buildLiteral());
            for (int i = 0; i < 5; i++) {
                assertEquals(5050, plugin.invokeMember("sum_to", 100).asInt());
            }
            assertEquals("truffle", plugin.invokeMember("kpc:tier").asString());
        }
        assertEquals(0, FakeX86Tier.COMPILES.get());
        assertTrue(logged("plugin 'sum' runs in the Truffle tier only, because kpc.Tier=auto has no x86 tier to move it"
                        + " to: native: the test tier is switched off; emulated: the test tier is switched off"), String.join("\n", log));
    }

    @Test
    void unavailableTierRejectsNativeAndEmulated() {
        for (String tier : List.of("native", "emulated")) {
            try (Context context = context(tier)) {
                PolyglotException e = assertThrows(PolyglotException.class,
                                () -> context.eval(Source.newBuilder("kpc", SOURCE, "sum.kpc").buildLiteral()));
                assertEquals("kpc.Tier=" + tier + " is unavailable: the test tier is switched off", e.getMessage());
            }
        }
    }

    @Test
    void unsupportedPluginStaysInTruffle() {
        FakeX86Tier.behavior = FakeX86Tier.Behavior.UNSUPPORTED;
        try (Context context = context("auto")) {
            Value plugin = context.eval(Source.newBuilder("kpc", SOURCE, "sum.kpc").buildLiteral());
            for (int i = 0; i < 5; i++) {
                assertEquals(5050, plugin.invokeMember("sum_to", 100).asInt());
            }
            assertEquals("truffle", plugin.invokeMember("kpc:tier").asString());
        }
        assertEquals(1, FakeX86Tier.COMPILES.get());
        assertTrue(logged("plugin 'sum' stays in the Truffle tier: the native tier cannot compile it:\nsum.kpc:1:5: error:"
                        + " the test tier compiles nothing"), String.join("\n", log));
    }

    @Test
    void crashingCompileStaysInTruffle() {
        FakeX86Tier.behavior = FakeX86Tier.Behavior.CRASH;
        try (Context context = context("auto")) {
            Value plugin = context.eval(Source.newBuilder("kpc", SOURCE, "sum.kpc").buildLiteral());
            for (int i = 0; i < 5; i++) {
                assertEquals(5050, plugin.invokeMember("sum_to", 100).asInt());
            }
            assertEquals("truffle", plugin.invokeMember("kpc:tier").asString());
        }
        assertEquals(1, FakeX86Tier.COMPILES.get());
        assertTrue(logged("plugin 'sum' stays in the Truffle tier: compiling it for the native tier failed:"
                        + " java.lang.IllegalStateException: the test tier crashed"), String.join("\n", log));
    }

    @Test
    void dumpX86NamingMissingFunctionFailsAtEval() {
        FakeX86Tier.behavior = FakeX86Tier.Behavior.UNSUPPORTED;
        try (Context context = Context.newBuilder("kpc").allowExperimentalOptions(true).option("kpc.Tier", "auto")
                        .option("kpc.DumpX86", "sum").build()) {
            PolyglotException e = assertThrows(PolyglotException.class,
                            () -> context.eval(Source.newBuilder("kpc", SOURCE, "sum.kpc").buildLiteral()));
            assertEquals("kpc.DumpX86: plugin 'sum' defines no function 'sum'; name one of sum_to", e.getMessage());
        }
        assertEquals(0, FakeX86Tier.COMPILES.get());
    }

    /** Builds a context of {@code tier} whose plugins switch at the second call, and keeps its kpc.tier log in {@link #log}. */
    private Context context(String tier) {
        Context.Builder builder = Context.newBuilder("kpc").out(new ByteArrayOutputStream()).allowExperimentalOptions(true)
                        .option("kpc.Tier", tier).option("log.kpc.tier.level", "FINE");
        if (tier.equals("auto")) {
            // The language rejects kpc.AutoThreshold with the other tiers, which do not read it.
            builder.option("kpc.AutoThreshold", "2");
        }
        return builder.logHandler(new Handler() {
                            @Override
                            public void publish(LogRecord record) {
                                log.add(record.getMessage());
                            }

                            @Override
                            public void flush() {
                            }

                            @Override
                            public void close() {
                            }
                        }).build();
    }

    private boolean logged(String text) {
        return log.stream().anyMatch(message -> message.contains(text));
    }
}
