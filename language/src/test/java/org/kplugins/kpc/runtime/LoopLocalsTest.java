// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/**
 * Locals and builder temporaries inside loops. The node builder sets their frame slots back to 0
 * at the end of their scope and after each use of a temporary. These checks make sure that no
 * value that C semantics still needs is lost: for-init variables, post-increment results,
 * addresses of compound assignments, and locals of blocks left by break and continue.
 */
class LoopLocalsTest {

    private static final String LOOPS = """
            /* Both variables of the init live until the loop ends: 5 iterations. */
            int two_declarators(void) {
                int n = 0;
                for (int i = 0, j = 10; i < j; i++, j--)
                    n++;
                return n;
            }

            /* Post-increment values used inside a loop: copies 0..7 and returns 0 + 1 + ... + 7. */
            int post_increment_values(void) {
                int a[8];
                int k = 0;
                for (int i = 0; i < 8;)
                    a[i++] = k++;
                int sum = 0;
                int *p = a;
                while (p < a + 8)
                    sum += *p++;
                return sum;
            }

            /* Compound assignments through computed addresses: each element becomes 3 * index. */
            int compound_through_pointer(void) {
                int a[6] = {0, 0, 0, 0, 0, 0};
                for (int round = 0; round < 3; round++)
                    for (int i = 0; i < 6; i++)
                        a[i] += i;
                int sum = 0;
                for (int i = 0; i < 6; i++)
                    sum += a[i] * (i + 1);
                return sum;
            }

            /* Block locals that hold a value across an inner loop, with continue and break. */
            long long nested_block_locals(int rows) {
                long long total = 0;
                for (int y = 0; y < rows; y++) {
                    long long row = y * 100LL;
                    int last = -1;
                    for (int x = 0; x < 10; x++) {
                        int cell = x * 2;
                        if (x == 3)
                            continue;
                        if (x == 8)
                            break;
                        last = cell;
                        row += cell;
                    }
                    total += row + last;
                }
                return total;
            }

            /* A local defined without an initializer reads 0 on every pass, as KPC defines it. */
            int redefined_local(void) {
                int sum = 0;
                for (int i = 0; i < 4; i++) {
                    int t;
                    sum += t;
                    t = 7;
                    sum += t;
                }
                return sum;
            }
            """;

    @ParameterizedTest
    @EnumSource(Tier.class)
    void forInitWithTwoDeclarators(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("loops.kpc", LOOPS);
            assertEquals(5, plugin.invokeMember("two_declarators").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void postIncrementValuesInLoops(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("loops.kpc", LOOPS);
            assertEquals(28, plugin.invokeMember("post_increment_values").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void compoundAssignmentInNestedLoops(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("loops.kpc", LOOPS);
            // a[i] = 3 * i, so the sum is 3 * (0*1 + 1*2 + 2*3 + 3*4 + 4*5 + 5*6) = 210.
            assertEquals(210, plugin.invokeMember("compound_through_pointer").asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void blockLocalsAcrossInnerLoop(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("loops.kpc", LOOPS);
            // Each row adds y * 100 + (0 + 2 + 4 + 8 + 10 + 12 + 14) + 14.
            assertEquals(0L, plugin.invokeMember("nested_block_locals", 0).asLong(), "no rows");
            assertEquals(64L, plugin.invokeMember("nested_block_locals", 1).asLong(), "one row");
            assertEquals(64L * 3 + 300, plugin.invokeMember("nested_block_locals", 3).asLong(), "three rows");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void localWithoutInitializerReadsZero(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            Value plugin = run.eval("loops.kpc", LOOPS);
            assertEquals(28, plugin.invokeMember("redefined_local").asInt());
        }
    }
}
