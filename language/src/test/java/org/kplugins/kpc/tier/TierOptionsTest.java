// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.tier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * kpc.EmulatedCode and kpc.AutoThreshold apply to one tier each, so a context that sets them for
 * another tier fails at its first use instead of ignoring them. The member {@code kpc:tier} names
 * the tier of the next call from the host.
 */
class TierOptionsTest {

    private static final String SOURCE = "int twice(int n) { return 2 * n; }";

    @Test
    void emulatedCodeOutsideEmulatedTierIsRejected() {
        assertRejected(Map.of("kpc.EmulatedCode", "checked"), "kpc.EmulatedCode=checked applies to kpc.Tier=emulated"
                        + " only, but kpc.Tier is truffle (the default); set kpc.Tier=emulated or leave kpc.EmulatedCode unset");
        assertRejected(Map.of("kpc.Tier", "native", "kpc.EmulatedCode", "hardware"), "kpc.EmulatedCode=hardware applies to"
                        + " kpc.Tier=emulated only, but kpc.Tier is native; set kpc.Tier=emulated or leave kpc.EmulatedCode unset");
        assertRejected(Map.of("kpc.Tier", "auto", "kpc.EmulatedCode", "checked"), "kpc.EmulatedCode=checked applies to"
                        + " kpc.Tier=emulated only, but kpc.Tier is auto; set kpc.Tier=emulated or leave kpc.EmulatedCode unset");
    }

    @Test
    void autoThresholdOutsideAutoTierIsRejected() {
        assertRejected(Map.of("kpc.AutoThreshold", "5"), "kpc.AutoThreshold=5 applies to kpc.Tier=auto only, but kpc.Tier"
                        + " is truffle (the default); set kpc.Tier=auto or leave kpc.AutoThreshold unset");
        assertRejected(Map.of("kpc.Tier", "emulated", "kpc.AutoThreshold", "5"), "kpc.AutoThreshold=5 applies to"
                        + " kpc.Tier=auto only, but kpc.Tier is emulated; set kpc.Tier=auto or leave kpc.AutoThreshold unset");
    }

    /** Options set on a shared engine count as set for each of its contexts. */
    @Test
    void engineOptionOutsideItsTierIsRejected() {
        try (Engine engine = Engine.newBuilder("kpc").allowExperimentalOptions(true).option("kpc.Tier", "truffle")
                        .option("kpc.AutoThreshold", "7").build();
                        Context context = Context.newBuilder("kpc").engine(engine).build()) {
            PolyglotException e = assertThrows(PolyglotException.class, () -> context.eval(source()));
            assertTrue(e.isGuestException(), e::toString);
            assertEquals("kpc.AutoThreshold=7 applies to kpc.Tier=auto only, but kpc.Tier is truffle; set kpc.Tier=auto or"
                            + " leave kpc.AutoThreshold unset", e.getMessage());
        }
    }

    @Test
    void optionsOfTheirOwnTierAreAccepted() {
        try (Context context = context(Map.of("kpc.Tier", "auto", "kpc.AutoThreshold", "5"))) {
            assertEquals(8, context.eval(source()).invokeMember("twice", 4).asInt());
        }
    }

    @Test
    void tierMemberNamesTruffleTier() {
        try (Context context = context(Map.of())) {
            Value plugin = context.eval(source());
            assertTrue(plugin.canInvokeMember("kpc:tier"));
            assertEquals(List.of("twice"), List.copyOf(plugin.getMemberKeys()), "kpc:tier is not listed as a plugin function");
            assertEquals("truffle", plugin.invokeMember("kpc:tier").asString());
        }
    }

    private static void assertRejected(Map<String, String> options, String message) {
        try (Context context = context(options)) {
            PolyglotException e = assertThrows(PolyglotException.class, () -> context.eval(source()));
            assertTrue(e.isGuestException(), e::toString);
            assertFalse(e.isInternalError(), e::toString);
            assertEquals(message, e.getMessage());
        }
    }

    private static Context context(Map<String, String> options) {
        return Context.newBuilder("kpc").out(new ByteArrayOutputStream()).allowExperimentalOptions(true).options(options).build();
    }

    private static Source source() {
        return Source.newBuilder("kpc", SOURCE, "twice.kpc").buildLiteral();
    }
}
