// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/** Static locals live in each plugin instance's static data, so instances do not share them. */
class StaticLocalTest {

    private static final String SOURCE = """
            int next(void) {
                static int counter = 10;
                return ++counter;
            }
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void eachInstanceHasItsOwnCopy(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value first = run.eval("counter.kpc", SOURCE);
            Value second = run.eval("counter.kpc", SOURCE);
            assertEquals(11, first.invokeMember("next").asInt());
            assertEquals(12, first.invokeMember("next").asInt());
            assertEquals(11, second.invokeMember("next").asInt(), "a new instance starts at the initializer");
            assertEquals(13, first.invokeMember("next").asInt(), "the first instance keeps its own value");
        }
    }
}
