// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;

class PreprocessorTest {

    /** The files the resolver stub finds, by name. */
    private final Map<String, String> files = new HashMap<>();
    private final DiagnosticSink sink = new DiagnosticSink();
    private final IncludeResolver resolver = name -> files.containsKey(name) ? new SourceFile(name, files.get(name), null) : null;

    private List<Token> preprocess(String text) {
        List<Token> tokens = new Preprocessor(sink, resolver).preprocess(new SourceFile("main.kpc", text, null));
        assertEquals(TokenKind.EOF, tokens.getLast().kind());
        assertEquals(1, tokens.stream().filter(t -> t.kind() == TokenKind.EOF).count());
        return tokens;
    }

    /** Preprocesses {@code text}, which must have no errors, and returns the output spelled with single spaces. */
    private String expand(String text) {
        List<Token> tokens = preprocess(text);
        assertEquals(List.of(), errors());
        return spell(tokens);
    }

    private static String spell(List<Token> tokens) {
        StringBuilder out = new StringBuilder();
        for (Token token : tokens.subList(0, tokens.size() - 1)) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(token.text());
        }
        return out.toString();
    }

    /** Returns each diagnostic as {@code file:line:column: message}. */
    private List<String> errors() {
        return sink.diagnostics().stream().map(d -> d.location().prefix() + ": " + d.message()).toList();
    }

    /** Returns whether the {@code #if} condition holds, by preprocessing a group around it. */
    private boolean condition(String expression) {
        return expand("#if " + expression + "\nyes\n#else\nno\n#endif\n").equals("yes");
    }

    // Macros

    @Test
    void objectLikeMacro() {
        assertEquals("int x = 42 ;", expand("#define ANSWER 42\nint x = ANSWER;"));
    }

    @Test
    void functionLikeMacro() {
        assertEquals("x = ( ( a ) > ( b + 1 ) ? ( a ) : ( b + 1 ) ) ;",
                expand("#define MAX(a, b) ((a) > (b) ? (a) : (b))\nx = MAX(a, b + 1);"));
    }

    @Test
    void functionLikeNameWithoutParenthesisIsNotExpanded() {
        assertEquals("f = 1 ;", expand("#define f(x) x\nf = 1;"));
        assertEquals("( 1 ) ( 2 )", expand("#define F (1)\nF ( 2 )"));
    }

    @Test
    void objectLikeMacroNeedsSpaceBeforeParenthesis() {
        assertEquals("( x ) + 1", expand("#define F (x) + 1\nF"));
    }

    @Test
    void nestedExpansion() {
        assertEquals("( ( 1 + 2 ) * 2 )", expand("#define ONE 1\n#define SUM (ONE + 2)\n#define TWICE(x) (x * 2)\nTWICE(SUM)"));
    }

    @Test
    void argumentsAreExpandedBeforeSubstitution() {
        assertEquals("f ( 2 * ( 3 ) )", expand("#define g(x) (x)\n#define h 3\n#define f(x) f(2 * x)\nf(g(h))"));
    }

    @Test
    void rescanFindsMacroNameAfterExpansion() {
        assertEquals("( 7 )", expand("#define id(x) (x)\n#define CALL id\nCALL(7)"));
    }

    @Test
    void recursiveSelfReferenceStays() {
        assertEquals("foo + 1", expand("#define foo foo + 1\nfoo"));
        assertEquals("f ( 2 )", expand("#define f(x) f(x)\nf(2)"));
    }

    @Test
    void mutualRecursionStops() {
        assertEquals("a b", expand("#define a b\n#define b a\na b"));
    }

    @Test
    void standardExampleOfRescanning() {
        // C11 6.10.3.5 example 3, first line.
        String definitions = """
                #define x 3
                #define f(a) f(x * (a))
                #undef x
                #define x 2
                #define g f
                #define z z[0]
                """;
        assertEquals("f ( 2 * ( y + 1 ) ) + f ( 2 * ( f ( 2 * ( z [ 0 ] ) ) ) ) % f ( 2 * ( 0 ) ) + t ( 1 ) ;",
                expand(definitions + "#define t(a) a\nf(y+1) + f(f(z)) % t(t(g)(0) + t)(1);"));
    }

    @Test
    void stringizing() {
        List<Token> tokens = preprocess("#define STR(x) #x\nSTR(a  +\n b) STR( \"q\\n\" ) STR('\\'') STR()");
        assertEquals(List.of(), errors());
        assertEquals(TokenKind.STRING, tokens.get(0).kind());
        assertEquals("a + b\"q\\n\"'\\''", tokens.get(0).stringValue());
        assertEquals("\"a + b\" \"\\\"q\\\\n\\\"\" \"'\\\\''\" \"\"", tokens.get(0).text());
    }

    @Test
    void stringizingDoesNotExpandTheArgument() {
        String result = expand("#define STR(x) #x\n#define XSTR(x) STR(x)\n#define V 12\nSTR(V) XSTR(V)");
        assertEquals("\"V\" \"12\"", result);
    }

    @Test
    void tokenPasting() {
        List<Token> tokens = preprocess("#define CAT(a, b) a ## b\nCAT(x, 1) CAT(0x, 1F) CAT(<, <=) CAT(,y) CAT(z,) CAT(,)");
        assertEquals(List.of(), errors());
        assertEquals("x1 0x1F <<= y z", spell(tokens));
        assertEquals(TokenKind.IDENTIFIER, tokens.get(0).kind());
        assertEquals(TokenKind.INTEGER, tokens.get(1).kind());
        assertEquals(31, tokens.get(1).intValue());
        assertEquals(TokenKind.PUNCTUATOR, tokens.get(2).kind());
    }

    @Test
    void pastedNameIsExpandedOnRescan() {
        assertEquals("7", expand("#define AB 7\n#define CAT(a, b) a ## b\nCAT(A, B)"));
    }

    @Test
    void pastingArgumentIsNotExpandedFirst() {
        assertEquals("ONE_", expand("#define ONE 1\n#define SUFFIX(x) x ## _\nSUFFIX(ONE)"));
    }

    @Test
    void pastingChainInObjectLikeMacro() {
        assertEquals("abc", expand("#define ABC a ## b ## c\nABC"));
    }

    @Test
    void emptyArguments() {
        assertEquals("[ ] [ , ]", expand("#define B(x) [x]\n#define C(x, y) [x, y]\nB() C(,)"));
    }

    @Test
    void variadicMacro() {
        assertEquals("printk ( \"%d %d\" , 1 , ( 2 , 3 ) ) ;",
                expand("#define pr(fmt, ...) printk(fmt, __VA_ARGS__)\npr(\"%d %d\", 1, (2, 3));"));
    }

    @Test
    void commaBeforeEmptyVariableArgumentsIsRemoved() {
        String definition = "#define pr(fmt, ...) printk(fmt, ## __VA_ARGS__)\n";
        assertEquals("printk ( \"a\" ) ;", expand(definition + "pr(\"a\");"));
        assertEquals("printk ( \"a\" , 1 , 2 ) ;", expand(definition + "pr(\"a\", 1, 2);"));
    }

    @Test
    void argumentsMaySpanLines() {
        assertEquals("( 1 + 2 )", expand("#define P(x) (x)\nP(1\n+\n2)"));
    }

    @Test
    void expandedTokensTakeTheLocationOfTheUse() {
        List<Token> tokens = preprocess("#define ADD(a, b) a + b\n\n  y = ADD(x, 2);");
        Token plus = tokens.get(3);
        assertEquals("+", plus.text());
        assertEquals(3, plus.location().line());
        assertEquals(7, plus.location().column());
        assertEquals("ADD(x, 2)".length(), plus.location().length());
        Token argument = tokens.get(2);
        assertEquals("x", argument.text());
        assertEquals(11, argument.location().column(), "a token from an argument keeps its own location");
    }

    @Test
    void undefRemovesMacro() {
        assertEquals("1 X", expand("#define X 1\nX\n#undef X\nX"));
    }

    @Test
    void sameRedefinitionIsAllowed() {
        assertEquals("1", expand("#define X 1\n#define X /* same */ 1\nX"));
    }

    @Test
    void fileAndLineMacros() {
        List<Token> tokens = preprocess("\n\nint l = __LINE__; char *f = __FILE__;");
        assertEquals(List.of(), errors());
        Token line = tokens.get(3);
        assertEquals(TokenKind.INTEGER, line.kind());
        assertEquals(3, line.intValue());
        Token file = tokens.get(9);
        assertEquals(TokenKind.STRING, file.kind());
        assertEquals("main.kpc", file.stringValue());
    }

    @Test
    void lineMacroInsideMacroGivesLineOfUse() {
        List<Token> tokens = preprocess("#define HERE __LINE__\n\nHERE");
        assertEquals(3, tokens.get(0).intValue());
    }

    @Test
    void predefinedMacros() {
        assertEquals("1 1 1", expand("__KPC__ __ILP32__ __STDC__"));
    }

    @Test
    void adjacentStringsAreConcatenated() {
        List<Token> tokens = preprocess("#define GREETING \"hello, \"\nx = GREETING \"wor\" \"ld\\n\";");
        assertEquals(List.of(), errors());
        assertEquals(5, tokens.size());
        Token string = tokens.get(2);
        assertEquals(TokenKind.STRING, string.kind());
        assertEquals("hello, world\n", string.stringValue());
        assertEquals(2, string.location().line());
        assertEquals(5, string.location().column());
    }

    // Conditional inclusion

    @Test
    void ifArithmeticWithDefined() {
        String definitions = "#define X 2\n#define EMPTY\n";
        assertEquals("yes", expand(definitions + "#if defined X && X * 3 == 6 && defined(EMPTY) && !defined Y\nyes\n#endif"));
        assertEquals("", expand(definitions + "#if defined(Y) || X - 2\nno\n#endif"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1 + 2 * 3 == 7",
        "(1 + 2) * 3 == 9",
        "10 / 3 == 3 && 10 % 3 == 1",
        "-7 / 2 == -3 && -7 % 2 == -1",
        "-1 < 0",
        "!(-1 < 0u)",
        "-1 == 18446744073709551615u",
        "0xffffffffffffffff > 0",
        "9223372036854775807 + 1 < 0",
        "18446744073709551615 / 2 == 9223372036854775807",
        "(1 << 62) * 2 < 0",
        "-1 >> 1 == -1",
        "-1u >> 63 == 1",
        "1 << 64 == 0",
        "(~0 & 0xff) == 255",
        "(5 ^ 3) == 6 && (5 | 3) == 7 && (5 & 3) == 1",
        "2 >= 2 && 2 <= 2 && 3 > 2 && 2 != 3",
        "'\\xff' == -1 && 'a' == 97",
        "undefined_name == 0",
        "0 && 1 / 0 == 0 || 1",
        "1 || 1 / 0",
        "1 ? 2 : 1 / 0",
        "(0 ? 1u : -1) > 0",
        "(1 ? -1 : 0) < 0",
        "+3 == 3 && - -3 == 3",
        "2147483647 + 1 == 2147483648",
        "0x7fffffff * 2 == 4294967294",
        "(2 || 0) == 1 && (2 && 3) == 1",
    })
    void ifExpressionIsTrue(String expression) {
        assertTrue(condition(expression), expression);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1 - 1", "0u", "!1", "1 > 2", "-1 > 0u == 0", "undefined_name"})
    void ifExpressionIsFalse(String expression) {
        assertEquals(false, condition(expression), expression);
    }

    @Test
    void elifChain() {
        String chain = "#if N == 1\none\n#elif N == 2\ntwo\n#elif N == 3\nthree\n#else\nother\n#endif\n";
        assertEquals("one", expand("#define N 1\n" + chain));
        assertEquals("two", expand("#define N 2\n" + chain));
        assertEquals("three", expand("#define N 3\n" + chain));
        assertEquals("other", expand("#define N 4\n" + chain));
    }

    @Test
    void elifAfterTakenBranchIsNotEvaluated() {
        assertEquals("a", expand("#if 1\na\n#elif 1 / 0\nb\n#endif"));
    }

    @Test
    void ifdefAndIfndef() {
        assertEquals("a d", expand("#define A\n#ifdef A\na\n#endif\n#ifdef B\nb\n#endif\n#ifndef A\nc\n#endif\n#ifndef B\nd\n#endif"));
    }

    @Test
    void nestedSkippedGroupsAreSkippedWhole() {
        String text = """
                #if 0
                #if 1
                a
                #else
                b
                #endif
                #elif 1
                c
                #endif
                """;
        assertEquals("c", expand(text));
    }

    @Test
    void skippedGroupIgnoresInvalidTextAndDirectives() {
        String text = """
                #if 0
                don't 1.5 @ "unterminated
                #unknown directive
                #error not reported
                #endif
                ok
                """;
        assertEquals("ok", expand(text));
    }

    @Test
    void pragmaAndLineAreIgnored() {
        assertEquals("x", expand("#pragma once\n#line 10 \"other.kpc\"\n#\nx"));
    }

    // Include

    @Test
    void includeThroughResolver() {
        files.put("util.h", "#define TWICE(x) ((x) * 2)\nint helper;\n");
        files.put("outer.h", "#include \"util.h\"\nint outer = TWICE(3);\n");
        List<Token> tokens = preprocess("#include \"outer.h\"\nint main_var;");
        assertEquals(List.of(), errors());
        assertEquals("int helper ; int outer = ( ( 3 ) * 2 ) ; int main_var ;", spell(tokens));
        assertEquals("util.h", tokens.get(0).location().file().name());
        assertEquals(2, tokens.get(0).location().line());
        assertEquals("main.kpc", tokens.get(tokens.size() - 2).location().file().name());
    }

    @Test
    void includeNameFromMacro() {
        files.put("config.h", "config");
        assertEquals("config", expand("#define HEADER \"config.h\"\n#include HEADER"));
    }

    @Test
    void quotedIncludeFallsBackToBuiltinHeader() {
        assertEquals("1", expand("#include \"stdbool.h\"\ntrue"));
    }

    @Test
    void stdintHeader() {
        String text = """
                #include <stdint.h>
                #if INT8_MIN == -128 && INT8_MAX == 127 && UINT8_MAX == 255 \\
                    && INT16_MIN == -32768 && INT16_MAX == 32767 && UINT16_MAX == 65535 \\
                    && INT32_MIN == -2147483648 && INT32_MAX == 2147483647 && UINT32_MAX == 4294967295 \\
                    && INT64_MIN < 0 && INT64_MIN - 1 > 0 && INT64_MAX == 0x7fffffffffffffff \\
                    && UINT64_MAX == 0xffffffffffffffff && UINT64_MAX > 0 \\
                    && INTPTR_MIN == INT32_MIN && INTPTR_MAX == INT32_MAX && UINTPTR_MAX == UINT32_MAX \\
                    && SIZE_MAX == 4294967295 && INTMAX_MAX == INT64_MAX && UINTMAX_MAX == UINT64_MAX
                limits_ok
                #endif
                uint64_t a = UINT64_MAX; int32_t b = INT32_MIN; int64_t c = INT64_C(5);
                """;
        String result = expand(text);
        assertTrue(result.startsWith("typedef signed char int8_t ;"), result);
        assertTrue(result.contains("typedef unsigned long long uint64_t ;"), result);
        assertTrue(result.contains("typedef int intptr_t ;"), result);
        assertTrue(result.endsWith("limits_ok uint64_t a = 18446744073709551615ULL ; int32_t b = ( - 2147483647 - 1 ) ;"
                + " int64_t c = 5LL ;"), result);
    }

    @Test
    void stddefHeader() {
        String result = expand("#include <stddef.h>\nsize_t n = offsetof(struct s, f); void *p = NULL;");
        assertEquals("typedef unsigned int size_t ; typedef int ptrdiff_t ;"
                + " size_t n = ( ( size_t ) & ( ( struct s * ) 0 ) -> f ) ; void * p = ( ( void * ) 0 ) ;", result);
    }

    @Test
    void stdboolHeader() {
        assertEquals("_Bool b = 1 ; b = 0 ; 1", expand("#include <stdbool.h>\nbool b = true; b = false; __bool_true_false_are_defined"));
    }

    @Test
    void limitsHeader() {
        String text = """
                #include <limits.h>
                #if CHAR_BIT == 8 && SCHAR_MIN == -128 && SCHAR_MAX == 127 && UCHAR_MAX == 255 \\
                    && CHAR_MIN == SCHAR_MIN && CHAR_MAX == SCHAR_MAX \\
                    && SHRT_MIN == -32768 && SHRT_MAX == 32767 && USHRT_MAX == 65535 \\
                    && INT_MIN == -2147483648 && INT_MAX == 2147483647 && UINT_MAX == 4294967295 \\
                    && LONG_MIN == INT_MIN && LONG_MAX == INT_MAX && ULONG_MAX == UINT_MAX \\
                    && LLONG_MIN < -LLONG_MAX && LLONG_MAX == 9223372036854775807 && ULLONG_MAX == -1
                ok
                #endif
                LONG_MAX ULONG_MAX
                """;
        assertEquals("ok 2147483647L 4294967295UL", expand(text));
    }

    @Test
    void kernelHeaderDeclaresExportsAndTypedefsOnce() {
        String result = expand("#include <kernel.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <kernel.h>\n");
        assertTrue(result.contains("int printk ( const char * fmt , ... ) ;"), result);
        assertTrue(result.contains("void * kp_alloc ( size_t size ) ;"), result);
        assertTrue(result.endsWith("void kp_free ( void * ptr ) ;"), result);
        assertEquals(1, countOccurrences(result, "typedef unsigned int size_t ;"));
        assertEquals(1, countOccurrences(result, "typedef int int32_t ;"));
        assertTrue(result.indexOf("uint32_t") < result.indexOf("size_t"), "stdint.h comes first");
    }

    @Test
    void builtinHeaderTokensNameTheHeader() {
        List<Token> tokens = preprocess("#include <stdbool.h>\n#include <stdint.h>\n");
        assertEquals("<stdint.h>", tokens.get(0).location().file().name());
        assertNull(tokens.get(0).location().file().truffleSource());
    }

    private static int countOccurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    // Errors

    /** Preprocesses {@code text} and returns its diagnostics, checking that each is a preprocessor or lexical error. */
    private List<String> errorsOf(String text) {
        preprocess(text);
        assertTrue(sink.diagnostics().stream().allMatch(d -> d.kind() == Diagnostic.Kind.PREPROCESSOR || d.kind() == Diagnostic.Kind.LEXICAL));
        return errors();
    }

    @Test
    void unterminatedIf() {
        assertEquals(List.of("main.kpc:2:2: unterminated '#if'"), errorsOf("x\n#if 1\ny\n"));
    }

    @Test
    void unterminatedIfdefInSkippedGroup() {
        assertEquals(List.of("main.kpc:1:3: unterminated '#ifdef'"), errorsOf("# ifdef NOPE\ny\n"));
    }

    @Test
    void unterminatedIfInsideIncludedFile() {
        files.put("open.h", "#ifndef OPEN_H\n#define OPEN_H\n");
        assertEquals(List.of("open.h:1:2: unterminated '#ifndef'", "main.kpc:3:2: '#endif' without '#if'"),
                errorsOf("#include \"open.h\"\nx\n#endif\n"));
    }

    @Test
    void elseAndEndifWithoutIf() {
        assertEquals(List.of(
                "main.kpc:1:2: '#else' without '#if'",
                "main.kpc:2:2: '#endif' without '#if'",
                "main.kpc:3:2: '#elif' without '#if'"), errorsOf("#else\n#endif\n#elif 1\n"));
    }

    @Test
    void elseAfterElse() {
        assertEquals(List.of("main.kpc:4:2: '#else' after '#else'", "main.kpc:5:2: '#elif' after '#else'"),
                errorsOf("#if 1\n#else\nx\n#else\n#elif 1\n#endif\n"));
    }

    @Test
    void extraTokensAfterEndif() {
        assertEquals(List.of("main.kpc:2:8: extra tokens at end of '#endif' directive"), errorsOf("#if 1\n#endif X\n"));
    }

    @Test
    void wrongArgumentCount() {
        String text = """
                #define MAX(a, b) a
                #define NONE() 0
                #define pr(level, fmt, ...) fmt
                x = MAX(1) + MAX(1, 2, 3) + NONE(1) + pr(1);
                """;
        assertEquals(List.of(
                "main.kpc:4:5: macro 'MAX' requires 2 arguments, but 1 given",
                "main.kpc:4:14: macro 'MAX' requires 2 arguments, but 3 given",
                "main.kpc:4:29: macro 'NONE' requires 0 arguments, but 1 given",
                "main.kpc:4:39: macro 'pr' requires at least 2 arguments, but 1 given"), errorsOf(text));
    }

    @Test
    void emptyArgumentCountsAsOne() {
        assertEquals("x + 0 0", expand("#define ONE(a) x a + 0\n#define NONE() 0\nONE() NONE()"));
    }

    @Test
    void unterminatedArgumentList() {
        assertEquals(List.of("main.kpc:2:1: unterminated argument list invoking macro 'F'"),
                errorsOf("#define F(x) x\nF(1, (2)\n"));
    }

    @Test
    void includeNestedTooDeeply() {
        files.put("self.h", "#include \"self.h\"\n");
        assertEquals(List.of("self.h:1:2: #include nested too deeply (more than 64 levels)"), errorsOf("#include \"self.h\"\n"));
    }

    @Test
    void includeNotFound() {
        assertEquals(List.of("main.kpc:2:10: 'missing.h' file not found (only files in the plugin's directory can be included)"),
                errorsOf("int x;\n#include \"missing.h\"\n"));
    }

    @Test
    void unknownBuiltinHeader() {
        assertEquals(List.of("main.kpc:1:10: 'stdio.h' is not a KPC header; available headers: <kernel.h>, <stdint.h>,"
                + " <stddef.h>, <stdbool.h>, <limits.h>, <float.h>, <stdarg.h>"), errorsOf("#include <stdio.h>\n"));
    }

    @Test
    void includeWithoutFileName() {
        assertEquals(List.of("main.kpc:1:2: #include expects \"FILENAME\" or <FILENAME>",
                "main.kpc:2:10: #include expects \"FILENAME\" or <FILENAME>, found 'x'",
                "main.kpc:3:10: missing terminating '>' character in #include"),
                errorsOf("#include\n#include x\n#include <a.h\n"));
    }

    @Test
    void invalidDirective() {
        assertEquals(List.of("main.kpc:2:3: invalid preprocessing directive '#foo'"), errorsOf("x\n# foo bar\ny"));
    }

    @Test
    void errorDirective() {
        assertEquals(List.of("main.kpc:2:2: plugin needs \"config.h\" first"),
                errorsOf("#if 1\n#error plugin needs \"config.h\" first\n#endif\n"));
    }

    @Test
    void divisionByZeroInIf() {
        assertEquals(List.of("main.kpc:1:7: division by zero in '#if'"), errorsOf("#if 1 / 0\nx\n#endif\n"));
    }

    @Test
    void invalidIfExpressions() {
        assertEquals(List.of(
                "main.kpc:1:2: '#if' with no expression",
                "main.kpc:3:7: expected a value in '#if' expression, found end of line",
                "main.kpc:5:7: missing binary operator before '2' in '#if'",
                "main.kpc:7:10: expected ')' in '#if' expression, found end of line",
                "main.kpc:9:5: string literals are not valid in '#if' expressions",
                "main.kpc:11:9: operator 'defined' requires an identifier",
                "main.kpc:13:13: missing ')' after 'defined(X'",
                "main.kpc:16:11: expected ':' in '#elif' expression, found end of line"),
                errorsOf("#if\n#endif\n#if 1 +\n#endif\n#if 1 2\n#endif\n#if (1 + 2\n#endif\n#if \"s\"\n#endif\n"
                        + "#if 1 + defined\n#endif\n#if defined(X + 1\n#endif\n#if 0\n#elif 1 ? 2\n#endif\n"));
    }

    @Test
    void macroDefinitionErrors() {
        assertEquals(List.of(
                "main.kpc:1:2: no macro name given in '#define' directive",
                "main.kpc:2:9: macro names must be identifiers, found '3'",
                "main.kpc:3:14: '##' cannot appear at either end of a macro expansion",
                "main.kpc:4:14: '#' is not followed by a macro parameter",
                "main.kpc:5:14: duplicate macro parameter 'a'",
                "main.kpc:6:13: expected ',' or ')' in macro parameter list",
                "main.kpc:7:9: 'defined' cannot be used as a macro name",
                "main.kpc:9:9: macro 'X' redefined with a different replacement list (previous definition at main.kpc:8:9)",
                "main.kpc:10:2: no macro name given in '#undef' directive",
                "main.kpc:11:10: extra tokens at end of '#undef' directive"),
                errorsOf("#define\n#define 3 x\n#define A(x) ## x\n#define B(x) #y\n#define C(a, a) a\n#define D(a b) a\n"
                        + "#define defined 1\n#define X 1\n#define X 2\n#undef\n#undef X Y\n"));
    }

    @Test
    void badPasteIsReportedAtTheUse() {
        List<Token> tokens = preprocess("#define CAT(a, b) a ## b\n  CAT(+, /)");
        assertEquals(List.of("main.kpc:2:3: pasting '+' and '/' does not give a valid preprocessing token"), errors());
        assertEquals("+ /", spell(tokens));
    }

    @Test
    void lexicalErrorsFromActiveLinesAreReported() {
        assertEquals(List.of("main.kpc:2:3: unexpected character '@'", "main.kpc:4:5: invalid suffix 'q' on floating constant '2.5q'"),
                errorsOf("#if 1\na @\n#endif\nx = 2.5q;\n"));
    }

    @Test
    void invalidNumberInUnusedMacroIsNotReported() {
        assertEquals(List.of(), errorsOf("#define PI 3.14q\n#define STR(x) #x\nchar *s = STR(2.5q);\n"));
    }

    @Test
    void invalidNumberIsReportedOnceWhereWritten() {
        assertEquals(List.of("main.kpc:1:12: invalid suffix 'q' on floating constant '3.14q'",
                "main.kpc:3:5: invalid digit '9' in octal constant"),
                errorsOf("#define PI 3.14q\nx = PI + PI;\n#if 09\n#endif\n"));
    }

    @Test
    void floatingConstantInIfIsAnError() {
        assertEquals(List.of("main.kpc:2:9: floating constant '1.5' in '#if' expression: the preprocessor evaluates"
                + " only integer constants"), errorsOf("#define HALF 1.5\n#if 1 < HALF\n#endif\n"));
    }

    @Test
    void floatingConstantInUnevaluatedOperandIsAnError() {
        assertEquals(List.of("main.kpc:2:10: floating constant '1.5' in '#if' expression: the preprocessor evaluates"
                + " only integer constants"), errorsOf("#define HALF 1.5\n#if 0 && HALF\n#endif\n"));
    }

    @Test
    void severalErrorsInOneRun() {
        files.put("bad.h", "int ok;\n#warn x\n");
        String text = """
                #include "bad.h"
                #define MAX(a, b) a
                int x = MAX(1);
                #include <nope.h>
                #if 1 / 0
                #endif
                int y = $;
                #else
                #error stop here
                #if 1
                """;
        assertEquals(List.of(
                "bad.h:2:2: invalid preprocessing directive '#warn'",
                "main.kpc:3:9: macro 'MAX' requires 2 arguments, but 1 given",
                "main.kpc:4:10: 'nope.h' is not a KPC header; available headers: <kernel.h>, <stdint.h>, <stddef.h>,"
                        + " <stdbool.h>, <limits.h>, <float.h>, <stdarg.h>",
                "main.kpc:5:7: division by zero in '#if'",
                "main.kpc:7:9: unexpected character '$'",
                "main.kpc:8:2: '#else' without '#if'",
                "main.kpc:9:2: stop here",
                "main.kpc:10:2: unterminated '#if'"), errorsOf(text));
    }
}
