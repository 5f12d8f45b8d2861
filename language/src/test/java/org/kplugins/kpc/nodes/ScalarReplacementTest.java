// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.Variable;
import org.kplugins.kpc.types.StructType;

/** Which struct locals {@link ScalarReplacement} moves to frame slots, and which stay in plugin memory. */
class ScalarReplacementTest {

    private static final String TYPES = """
            struct point { int x; int y; };
            struct line { struct point from; struct point to; long long weight; char *name; };
            struct samples { int count; short values[4]; };
            static void take(int *value) { }
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            struct point s; s.x = 1; s.y = s.x + 2;                               | s
            struct point s = {1, 2}; s.x += s.y; s.y++;                           | s
            struct point s = {1};                                                 | s
            struct point s;                                                       | s
            struct line l = {{1, 2}, {3}, 5, 0}; l.to.y = l.from.x; l.weight--;    | l
            struct line l; l.name = "n"; l.name[0];                               | l
            struct point s; take(&s.x);                                           | ''
            struct line l; take(&l.to.y);                                         | ''
            struct point s; struct point *p = &s; p->x = 1;                       | ''
            struct point s; (&s)->x = 1;                                          | ''
            struct point s; struct point t; t.x = 1; s = t;                       | ''
            struct point s = {1, 2}; struct point t = s;                          | ''
            struct point s = {1, 2}; struct line l = {s, {3, 4}};                 | ''
            struct line l; struct point q = l.from;                               | ''
            struct line l; struct point q; q.x = 1; l.to = q;                     | ''
            struct samples a; a.count = 1;                                        | ''
            struct point s; struct point t; t.x = 1; t.x ? s : t;                 | ''
            struct point s; struct point t; s.x = 1; t.y = 2;                     | s t
            """)
    void decidesPerLocal(String body, String expected) {
        Set<String> replaced = replacedLocals(TYPES + "void f(void) { " + body + " }", "f");
        assertEquals(expected.isEmpty() ? Set.of() : Set.of(expected.split(" ")), replaced, body);
    }

    @Test
    void structWithTooManyMembersStaysInMemory() {
        StringBuilder members = new StringBuilder();
        for (int i = 0; i <= ScalarReplacement.MAX_SCALAR_MEMBERS; i++) {
            members.append("int m").append(i).append("; ");
        }
        String source = "struct wide { " + members + "}; void f(void) { struct wide w; w.m0 = 1; }";
        assertEquals(Set.of(), replacedLocals(source, "f"));
    }

    @Test
    void scalarMembersOfNestedStructsHaveOuterOffsets() {
        Function f = TestSources.parse(TYPES + "void f(void) { struct line l; }").stream()
                        .filter(function -> function.name().equals("f")).findFirst().orElseThrow();
        StructType line = (StructType) f.locals().get(0).type();
        List<String> members = ScalarReplacement.scalarMembers(line).stream()
                        .map(member -> member.path() + "@" + member.offset()).toList();
        assertEquals(List.of(".from.x@0", ".from.y@4", ".to.x@8", ".to.y@12", ".weight@16", ".name@24"), members);
    }

    private static Set<String> replacedLocals(String source, String functionName) {
        for (Function function : TestSources.parse(source)) {
            if (function.name().equals(functionName)) {
                Set<String> names = new TreeSet<>();
                for (Variable local : ScalarReplacement.replaceableLocals(function)) {
                    names.add(local.name());
                }
                return names;
            }
        }
        throw new AssertionError("no function named " + functionName);
    }
}
