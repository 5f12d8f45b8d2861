// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/**
 * KPC's rule for struct locals without an initializer: every member reads 0, each time the
 * definition runs, both for structs kept in frame slots and for structs kept in plugin memory.
 * C leaves these values indeterminate, so gcc cannot produce the expected output and these checks
 * are not in the {@code .kpc} corpus.
 */
class StructLocalTest {

    private static final String UNINITIALIZED = """
            struct inner { char c; long long ll; };
            struct outer { int a; struct inner in; unsigned short us; int *p; };

            static void touch(struct outer *o) { }

            /* Returns the sum of every member read before any store, over three definitions. */
            long long slots(void) {
                long long sum = 0;
                for (int i = 0; i < 3; i++) {
                    struct outer o;
                    sum += o.a + o.in.c + o.in.ll + o.us + (o.p != 0);
                    o.a = 1;
                    o.in.c = 2;
                    o.in.ll = 3;
                    o.us = 4;
                    o.p = &i;
                }
                return sum;
            }

            long long memory(void) {
                long long sum = 0;
                for (int i = 0; i < 3; i++) {
                    struct outer o;
                    touch(&o);
                    sum += o.a + o.in.c + o.in.ll + o.us + (o.p != 0);
                    o.a = 1;
                    o.in.c = 2;
                    o.in.ll = 3;
                    o.us = 4;
                    o.p = &i;
                }
                return sum;
            }

            /*
             * The switch jumps past the definition, so only the function entry has set the members.
             * A struct kept in frame slots then reads 0. A struct kept in plugin memory would read
             * what the stack held, as in C.
             */
            int skipped_definition(int n) {
                switch (n) {
                    struct outer o;
                case 1:
                    o.a += 5;
                    return o.a + o.us;
                default:
                    return -1;
                }
            }
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void uninitializedMembersReadZero(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("uninitialized.kpc", UNINITIALIZED);
            assertEquals(0L, plugin.invokeMember("slots").asLong(), "struct in frame slots");
            assertEquals(0L, plugin.invokeMember("memory").asLong(), "struct in plugin memory");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void skippedDefinitionReadsZero(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("switch.kpc", UNINITIALIZED);
            assertEquals(5, plugin.invokeMember("skipped_definition", 1).asInt());
            assertEquals(5, plugin.invokeMember("skipped_definition", 1).asInt(), "a second call starts at 0 again");
        }
    }
}
