// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kplugins.kpc.parser.ParserTestSupport.parse;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every recursive rule of the parser counts toward {@link Parser#MAX_NESTING}, so a long chain
 * gives one "nesting too deep" error at the token where the limit is passed, never a Java
 * {@link StackOverflowError}, and recovery skips the rest of the construct without more errors.
 */
class NestingLimitTest {

    /** Enough repetitions to overflow the Java stack if any level is not counted. */
    private static final int CHAIN = 20_000;

    /** A function after the deep construct, which must still be parsed. */
    private static final String LATER_FUNCTION = "\nint later(void) { return 2; }\n";

    /**
     * Parses {@code prefix}, {@link #CHAIN} copies of {@code link} and {@code suffix}, followed
     * by {@link #LATER_FUNCTION}. Checks that the only error is "nesting too deep" on line 1 at
     * character {@code offset} (0-based) of the {@code copy}-th (1-based) link.
     */
    private static void assertNestingTooDeepAt(String prefix, String link, String suffix, int copy, int offset) {
        ParserTestSupport.Parsed parsed = parse(prefix + link.repeat(CHAIN) + suffix + LATER_FUNCTION);
        List<String> errors = parsed.errors();
        assertEquals(1, errors.size(), () -> "errors: " + errors.subList(0, Math.min(5, errors.size())));
        int column = prefix.length() + link.length() * (copy - 1) + offset + 1;
        String expected = "1:" + column + ": nesting too deep: KPC allows at most " + Parser.MAX_NESTING
                + " nested expressions, statements, declarators and initializers";
        assertEquals(expected, errors.get(0));
        assertTrue(parsed.function("later").isDefined(), "the function after the error is parsed");
    }

    // The parser reports the error where it would enter level 257. In a function body, level 1
    // is the statement and level 2 its expression, and the innermost expression of each link
    // adds one or two levels for its operand (an assignment expression and its unary expression).

    @Test
    void conditionalChain() {
        // The 253rd '?' is level 255, and the '1' after it needs levels 256 and 257.
        assertNestingTooDeepAt("int f(int x) { return x", " ? 1 : 0", "; }", 253, 3);
    }

    @Test
    void conditionalChainInArraySize() {
        // The declarator and its '[' suffix are levels 1 and 2, as in a statement.
        assertNestingTooDeepAt("int a[1", " ? 1 : 0", "];", 253, 3);
    }

    @Test
    void assignmentChain() {
        // The 255th assignment is level 256, and the unary expression 'x' in it is level 257.
        assertNestingTooDeepAt("void f(int x) { ", "x = ", "1; }", 255, 0);
    }

    @Test
    void compoundAssignmentChain() {
        assertNestingTooDeepAt("void f(int x) { ", "x += ", "1; }", 255, 0);
    }

    @Test
    void commaChain() {
        // The 254th comma is level 255, and the 'x' after it needs levels 256 and 257.
        assertNestingTooDeepAt("void f(int x) { ", "x, ", "x; }", 255, 0);
    }

    @Test
    void unaryChain() {
        assertNestingTooDeepAt("int f(int x) { return ", "- ", "x; }", 255, 0);
    }

    @Test
    void castChain() {
        // Each cast is one level. Its type name's abstract declarator, which starts at the ')',
        // is one level more while it is read.
        assertNestingTooDeepAt("int f(int x) { return ", "(int)", "x; }", 255, 4);
    }

    @Test
    void sizeofChain() {
        assertNestingTooDeepAt("int f(int x) { return ", "sizeof ", "x; }", 255, 0);
    }

    @Test
    void parenthesizedDeclarator() {
        // Each parenthesized declarator is one level, starting at its '('.
        assertNestingTooDeepAt("int ", "(", "x" + ")".repeat(CHAIN) + ";", 257, 0);
    }

    @Test
    void arrayDeclaratorSuffixes() {
        // The declarator is level 1 and each suffix adds one, so the size in the 255th suffix
        // needs level 257.
        assertNestingTooDeepAt("int a", "[1]", ";", 255, 1);
    }

    @Test
    void functionDeclaratorSuffixes() {
        assertNestingTooDeepAt("int f", "(void)", ";", 256, 0);
    }

    @Test
    void parameterDeclarators() {
        // Each link is a function suffix and a parameter's declarator, two levels.
        assertNestingTooDeepAt("int f", "(int g", ")".repeat(CHAIN) + ";", 128, 5);
    }

    @Test
    void structNesting() {
        // Each member list is one level, entered at its '{'.
        assertNestingTooDeepAt("struct s ", "{ struct ", "{ int x; }" + " m; }".repeat(CHAIN) + ";", 257, 0);
    }

    @Test
    void nestedBlocks() {
        // The first '{' is the function body, which is not a statement, so the 258th is level 257.
        assertNestingTooDeepAt("void f(void) ", "{ ", "}".repeat(CHAIN), 258, 0);
    }

    @Test
    void elseIfChain() {
        // The k-th 'if' is level k, and the '1' in its then-branch needs level k + 4.
        assertNestingTooDeepAt("void f(int x) { ", "if (x) x = 1; else ", "x = 2; }", 253, 11);
    }

    @Test
    void elseIfChainWithBlocks() {
        // The then-branch block adds a level for the statement inside it.
        assertNestingTooDeepAt("void f(int x) { ", "if (x) { x = 1; } else ", "{ x = 2; } }", 252, 13);
    }

    @Test
    void deepStatementSkipsOutermostStatement() {
        // After the error, the rest of the function body is still checked.
        String deep = "if (x) ".repeat(300) + "x = 1;";
        ParserTestSupport.Parsed parsed = parse("void f(int x) { { " + deep + " } y = 2; }" + LATER_FUNCTION);
        List<String> errors = parsed.errors();
        assertEquals(2, errors.size(), () -> "errors: " + errors);
        assertTrue(errors.get(0).contains("nesting too deep"), errors.get(0));
        assertTrue(errors.get(1).endsWith("use of undeclared identifier 'y'"), errors.get(1));
    }

    @Test
    void chainsWithinTheLimitAreAccepted() {
        ParserTestSupport.parseClean("int f(int x) { return x" + " ? 1 : 0".repeat(200) + "; }");
        ParserTestSupport.parseClean("int a" + "[1]".repeat(200) + ";");
        ParserTestSupport.parseClean("void f(int x) { " + "if (x) x = 1; else ".repeat(100) + "x = 2; }");
    }
}
