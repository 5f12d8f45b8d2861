// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.Stmt;
import org.kplugins.kpc.ast.Variable;

/**
 * Which addresses of a for loop {@link LoopPointers} keeps in frame slots, and by how much each
 * moves per step. The corpus test optimizations/loop_pointers.kpc checks the values that such
 * loops compute in every tier.
 */
class LoopPointersTest {

    private static final String DECLARATIONS = """
            struct pixel { unsigned char r; unsigned char g; unsigned char b; };
            struct geometry { unsigned width; unsigned stride; };
            static int table[100];
            static int *global_pointer;
            static int pick(int *p) { return *p; }
            """;

    /** Each case is the body of {@code f}, which has one for loop. The result lists each address as increment x uses. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            for (unsigned x = 0; x < w; x++) { unsigned i = y * w + x; d[i].r = s[i].g; d[i].b = 1; }     | 3x2 3x1
            for (unsigned x = 0; x < w; x++) q[x] = 0;                                                  | 4x1
            for (unsigned x = 0; x < w; x += 4) q[2 * x + 1] = 0;                                       | 32x1
            for (int k = 30; k >= 0; k -= 2) n += *(q - k);                                             | 8x1
            for (int k = 0; k < 9; k++) n += q[(k << 3) - 5];                                           | 32x1
            for (int k = 0; k < 9; k++) n += q[63 - k];                                                 | -4x1
            for (int k = 0; k < 9; k--) n += q[k] + q[k] + b[k];                                        | -4x2 -1x1
            for (int k = 0; k < 9; k++) { struct geometry g; g.stride = 5; n += q[k * g.stride]; }      | none
            for (int k = 0; k < 9; k++) n += q[k * w];                                                  | none
            for (int k = 0; k < 9; k++) { n += q[k]; k++; }                                             | none
            for (int k = 0; k < 9; k++) { n += q[k]; q = q + 1; }                                       | none
            for (int k = 0; k < 9; k++) { n += q[k + y]; y = 2; }                                       | none
            for (int k = 0; k < 9; k++) { int i = k + 1; n += q[i]; i = 4; }                            | none
            for (int k = 0; k < 9; k++) n += q[k / 2];                                                  | none
            for (int k = 0; k < 9; k++) n += table[k];                                                  | none
            for (int k = 0; k < 9; k++) n += global_pointer[k];                                         | none
            for (int k = 0; k < 9; k++) n += pick(&q[k]) + pick(&n);                                    | 4x1
            for (unsigned char c = 0; c < 9; c++) n += q[c];                                            | none
            for (long long k = 0; k < 9; k++) n += q[k];                                                | none
            for (int k = 0; k < 9; k = k + 1) n += q[k];                                                | none
            for (int k = 0; k < 9; k++) { unsigned i = k; n += b[i * 3] + b[i * 3 + 1]; }                | 3x1 3x1
            """)
    void reducesQualifyingAddresses(String loop, String expected) {
        String source = DECLARATIONS + "int f(struct pixel *s, struct pixel *d, int *q, unsigned char *b, unsigned y, unsigned w) {"
                        + " int n = 0; " + loop + " return n; }";
        assertEquals(expected, describe(planOf(source)), loop);
    }

    @ParameterizedTest(name = "{0} addresses")
    @CsvSource({"8, 8", "9, 8"})
    void reducesAtMostEightAddresses(int count, int reduced) {
        StringBuilder sum = new StringBuilder("0");
        for (int i = 0; i < count; i++) {
            sum.append(" + q[k + ").append(i * 10).append(']');
        }
        String source = "int f(int *q) { int n = 0; for (int k = 0; k < 5; k++) n += " + sum + "; return n; }";
        assertEquals(reduced, planOf(source).pointers().size());
    }

    private static String describe(LoopPointers.Plan plan) {
        if (plan == null) {
            return "none";
        }
        return plan.pointers().stream().map(pointer -> pointer.increment() + "x" + pointer.uses().size())
                        .collect(Collectors.joining(" "));
    }

    /** Returns the plan of the only for loop of {@code f}. */
    private static LoopPointers.Plan planOf(String source) {
        Function f = TestSources.parse(source).stream().filter(function -> function.name().equals("f")).findFirst().orElseThrow();
        FrameLayout frame = new FrameLayout(ValueKind.of(f.type().returnType()), ScalarReplacement.replaceableLocals(f));
        for (Variable parameter : f.parameters()) {
            frame.declareParameter(parameter);
        }
        for (Variable local : f.locals()) {
            frame.declareLocal(local);
        }
        List<Stmt.For> loops = new ArrayList<>();
        for (Stmt statement : ((Stmt.Block) f.body()).statements()) {
            if (statement instanceof Stmt.For loop) {
                loops.add(loop);
            }
        }
        assertEquals(1, loops.size(), "for loops in f");
        return LoopPointers.plan(loops.get(0), frame);
    }
}
