// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.Variable;

/** {@link MemoryFrame} places every object where {@link FrameLayout} places it for the Truffle tier. */
class MemoryFrameTest {

    private static final String SOURCE = """
            struct point { int x; int y; };
            struct record { char tag; long long id; short parts[3]; };
            static void take(int *value) { }
            int scalars(int a, long long b) { int c = a; long long d = b; return c + (int)d; }
            int taken(char a, int b, long long c) { take(&b); char buf[5]; long long e = c; take((int *)&e); return a; }
            int mixed(int n) {
                struct point replaced; replaced.x = n;
                struct point kept; take(&kept.y);
                struct record r = {1, 2, {3}};
                char text[] = "abc";
                int after = 0; take(&after);
                switch (n) { case 1: { short inner[7]; inner[0] = 1; } }
                return replaced.x + r.tag + text[0];
            }
            """;

    @Test
    void offsetsAndSizeMatchFrameLayout() {
        for (Function function : TestSources.parse(SOURCE)) {
            if (!function.isDefined()) {
                continue;
            }
            MemoryFrame plan = MemoryFrame.of(function);
            FrameLayout layout = new FrameLayout(ValueKind.of(function.type().returnType()),
                            ScalarReplacement.replaceableLocals(function));
            List<Variable> variables = new ArrayList<>(function.parameters());
            function.parameters().forEach(layout::declareParameter);
            function.locals().forEach(layout::declareLocal);
            variables.addAll(function.locals());

            for (Variable variable : variables) {
                String name = function.name() + "." + variable.name();
                switch (plan.storage(variable)) {
                    case SCALAR -> assertEquals(true, layout.slotOf(variable) != null, name + " has a frame slot");
                    case SCALAR_MEMBERS -> assertEquals(true, layout.isScalarReplaced(variable), name + " is scalar-replaced");
                    case MEMORY -> assertEquals(layout.memoryOffsetOf(variable), plan.offsetOf(variable), name + " offset");
                }
            }
            assertEquals(layout.stackFrameSize(), plan.stackFrameSize(), function.name() + " stack frame size");
        }
    }

    @Test
    void offsetOfRejectsScalars() {
        Function scalars = TestSources.parse(SOURCE).stream().filter(f -> f.name().equals("scalars")).findFirst().orElseThrow();
        Variable a = scalars.parameters().get(0);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> MemoryFrame.of(scalars).offsetOf(a));
        assertEquals("'a' is not in the memory frame: it is stored as SCALAR", error.getMessage());
    }
}
