// SPDX-License-Identifier: Apache-2.0
package org.kplugins.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SourceChecksTest {

    @Test
    void nestingCountsBrackets() {
        assertEquals(0, SourceChecks.nestingDepth("int x;"));
        assertEquals(3, SourceChecks.nestingDepth("int f(void) { return a[(1)]; }"));
        assertEquals(2, SourceChecks.nestingDepth("{ } { { } }"));
    }

    @Test
    void nestingSkipsCommentsAndLiterals() {
        assertEquals(1, SourceChecks.nestingDepth("{ /* ((((( */ }"));
        assertEquals(1, SourceChecks.nestingDepth("{ // (((((\n }"));
        assertEquals(1, SourceChecks.nestingDepth("{ \"(((\\\"((\" }"));
        assertEquals(1, SourceChecks.nestingDepth("{ '(' }"));
    }

    @Test
    void unbalancedClosersDoNotGoNegative() {
        assertEquals(1, SourceChecks.nestingDepth(")))) ("));
    }
}
