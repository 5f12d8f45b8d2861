// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.lexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;

class LexerTest {

    private DiagnosticSink sink;

    private List<Token> lex(String text) {
        sink = new DiagnosticSink();
        return new Lexer(new SourceFile("test.kpc", text, null), sink).tokenize();
    }

    /** Lexes {@code text}, which must be one token without errors, and returns that token. */
    private Token single(String text) {
        List<Token> tokens = lex(text);
        assertEquals(List.of(), errors(), "errors for " + text);
        assertEquals(2, tokens.size(), "tokens of " + text + ": " + tokens);
        return tokens.get(0);
    }

    /** Returns each diagnostic as {@code line:column: message}. */
    private List<String> errors() {
        return sink.diagnostics().stream()
                .map(d -> d.location().line() + ":" + d.location().column() + ": " + d.message())
                .toList();
    }

    @Test
    void sampleLineKindsValuesAndColumns() {
        List<Token> tokens = lex("int x = 0x1F + 'a'; // done");
        assertEquals(List.of(), errors());
        assertEquals(List.of("int", "x", "=", "0x1F", "+", "'a'", ";", ""), tokens.stream().map(Token::text).toList());
        assertEquals(
                List.of(TokenKind.IDENTIFIER, TokenKind.IDENTIFIER, TokenKind.PUNCTUATOR, TokenKind.INTEGER,
                        TokenKind.PUNCTUATOR, TokenKind.CHARACTER, TokenKind.PUNCTUATOR, TokenKind.EOF),
                tokens.stream().map(Token::kind).toList());
        assertEquals(List.of(1, 5, 7, 9, 14, 16, 19, 28), tokens.stream().map(t -> t.location().column()).toList());
        assertEquals(31, tokens.get(3).intValue());
        assertFalse(tokens.get(3).decimal());
        assertEquals(97, tokens.get(5).intValue());
        assertEquals(4, tokens.get(3).location().length());
        assertEquals(8, tokens.get(3).location().offset());
    }

    @Test
    void lineStartAndSpaceFlags() {
        List<Token> tokens = lex("a b(c)\n  d/**/e");
        assertEquals(List.of(true, false, false, false, false, true, false), tokens.subList(0, 7).stream().map(Token::atLineStart).toList());
        assertEquals(List.of(false, true, false, false, false, true, true), tokens.subList(0, 7).stream().map(Token::precededBySpace).toList());
        assertEquals(2, tokens.get(5).location().line());
        assertEquals(3, tokens.get(5).location().column());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0, '', false",
        "42, 42, '', true",
        "017, 15, '', false",
        "0x7fffFFFF, 2147483647, '', false",
        "0XAb, 171, '', false",
        "0b1011, 11, '', false",
        "10u, 10, u, true",
        "10U, 10, u, true",
        "10l, 10, l, true",
        "10L, 10, l, true",
        "10ll, 10, ll, true",
        "10LL, 10, ll, true",
        "10ul, 10, ul, true",
        "10Lu, 10, ul, true",
        "10uLL, 10, ull, true",
        "10llU, 10, ull, true",
        "0x10ULL, 16, ull, false",
        "4294967295, 4294967295, '', true",
        "9223372036854775807, 9223372036854775807, '', true",
    })
    void integerConstants(String text, long value, String suffix, boolean decimal) {
        Token token = single(text);
        assertEquals(TokenKind.INTEGER, token.kind());
        assertEquals(value, token.intValue());
        assertEquals(suffix, token.intSuffix());
        assertEquals(decimal, token.decimal());
        assertNull(token.stringValue());
    }

    @Test
    void largestIntegerConstants() {
        assertEquals(-1L, single("18446744073709551615").intValue());
        assertEquals(-1L, single("0xffffffffffffffff").intValue());
        assertEquals(-1L, single("01777777777777777777777").intValue());
        assertEquals(Long.MIN_VALUE, single("9223372036854775808u").intValue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "'a'       | 97",
        "'\\n'     | 10",
        "'\\t'     | 9",
        "'\\r'     | 13",
        "'\\0'     | 0",
        "'\\\\'    | 92",
        "'\\''     | 39",
        "'\\\"'    | 34",
        "'\"'      | 34",
        "'\\a'     | 7",
        "'\\b'     | 8",
        "'\\f'     | 12",
        "'\\v'     | 11",
        "'\\?'     | 63",
        "'\\101'   | 65",
        "'\\177'   | 127",
        "'\\x41'   | 65",
        "'\\x7F'   | 127",
        "'\\xff'   | -1",
        "'\\x80'   | -128",
        "'\\377'   | -1",
    })
    void characterConstants(String text, long value) {
        Token token = single(text);
        assertEquals(TokenKind.CHARACTER, token.kind());
        assertEquals(value, token.intValue(), text);
    }

    @Test
    void stringLiteralEscapes() {
        Token token = single("\"a\\n\\t\\r\\0\\\\\\'\\\"\\a\\b\\f\\v\\?\\101\\x42\\xff\\377z\"");
        assertEquals(TokenKind.STRING, token.kind());
        assertEquals("a\n\t\r\0\\'\"\u0007\b\f\u000B?AB\u00ff\u00ffz", token.stringValue());
    }

    @Test
    void stringLiteralStoresUtf8Bytes() {
        Token token = single("\"é€\"");
        assertEquals("\u00c3\u00a9\u00e2\u0082\u00ac", token.stringValue());
    }

    @Test
    void emptyStringAndSpelling() {
        Token token = single("\"\"");
        assertEquals("", token.stringValue());
        assertEquals("\"\"", token.text());
    }

    @Test
    void punctuatorsUseLongestMatch() {
        List<Token> tokens = lex("...<<=>>=->++--<<>><=>===!=&&||+=-=*=/=%=&=|=^=###[](){}.&*+-~!/%<>^|?:;=,..");
        assertEquals(List.of(), errors());
        List<String> expected = List.of(
                "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=",
                "*=", "/=", "%=", "&=", "|=", "^=", "##", "#", "[", "]", "(", ")", "{", "}", ".", "&", "*", "+", "-",
                "~", "!", "/", "%", "<", ">", "^", "|", "?", ":", ";", "=", ",", ".", ".", "");
        assertEquals(expected, tokens.stream().map(Token::text).toList());
        assertTrue(tokens.subList(0, expected.size() - 1).stream().allMatch(t -> t.kind() == TokenKind.PUNCTUATOR));
    }

    @Test
    void keywordsAreIdentifiers() {
        List<Token> tokens = lex("while _Bool __x9");
        assertEquals(List.of(TokenKind.IDENTIFIER, TokenKind.IDENTIFIER, TokenKind.IDENTIFIER, TokenKind.EOF),
                tokens.stream().map(Token::kind).toList());
    }

    @Test
    void commentsAreWhiteSpace() {
        List<Token> tokens = lex("a/* x\n y */b // c\nc");
        assertEquals(List.of("a", "b", "c", ""), tokens.stream().map(Token::text).toList());
        assertTrue(tokens.get(1).precededBySpace());
        assertFalse(tokens.get(1).atLineStart());
        assertEquals(2, tokens.get(1).location().line());
        assertEquals(6, tokens.get(1).location().column());
        assertTrue(tokens.get(2).atLineStart());
    }

    @Test
    void lineContinuationJoinsTokens() {
        List<Token> tokens = lex("ab\\\ncd \"x\\\r\ny\" e");
        assertEquals(List.of(), errors());
        assertEquals("abcd", tokens.get(0).text());
        assertEquals(6, tokens.get(0).location().length());
        assertEquals("xy", tokens.get(1).stringValue());
        assertEquals(2, tokens.get(1).location().line());
        assertEquals(4, tokens.get(1).location().column());
        assertEquals(3, tokens.get(2).location().line());
        assertEquals(4, tokens.get(2).location().column());
        assertFalse(tokens.get(2).atLineStart());
    }

    @Test
    void lineCommentContinuesAfterBackslash() {
        List<Token> tokens = lex("// one \\\ntwo\nthree");
        assertEquals(List.of("three", ""), tokens.stream().map(Token::text).toList());
    }

    @Test
    void endOfFileToken() {
        List<Token> tokens = lex("a\n");
        Token eof = tokens.getLast();
        assertEquals(TokenKind.EOF, eof.kind());
        assertEquals(2, eof.location().line());
        assertEquals(1, eof.location().column());
        assertEquals(0, eof.location().length());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "x @ y              | 1:3: unexpected character '@'",
        "x ` y              | 1:3: unexpected character '`'",
        "x \u0001 y         | 1:3: unexpected character '\\x01'",
        "x é y              | 1:3: unexpected character 'é' (U+00E9)",
        "a 1.5q b           | 1:3: invalid suffix 'q' on floating constant '1.5q'",
        "a 1.5ff b          | 1:3: invalid suffix 'ff' on floating constant '1.5ff'",
        "a 1.2.3 b          | 1:3: invalid suffix '.3' on floating constant '1.2.3'",
        "a 1e b             | 1:3: exponent has no digits in floating constant '1e'",
        "a 1e+f b           | 1:3: exponent has no digits in floating constant '1e+f'",
        "a 0x1.8 b          | 1:3: hexadecimal floating constant '0x1.8' requires an exponent, such as 'p0'",
        "a 0x.p1 b          | 1:3: no digits in floating constant '0x.p1'",
        "a 1.5L b           | 1:3: long double is not supported in KPC: remove the 'L' suffix of '1.5L' to make it a double",
        "a 1e309 b          | 1:3: floating constant '1e309' is too large for type 'double': the largest double is 0x1.fffffffffffffp+1023",
        "a 3.5e38f b        | 1:3: floating constant '3.5e38f' is too large for type 'float': the largest float is 0x1.fffffep+127f",
        "a 18446744073709551616 | 1:3: integer constant is too large",
        "a 0x10000000000000000  | 1:3: integer constant is too large",
        "a 12abc            | 1:3: invalid suffix 'abc' on integer constant",
        "a 1lL              | 1:3: invalid suffix 'lL' on integer constant",
        "a 1uu              | 1:3: invalid suffix 'uu' on integer constant",
        "a 1lul             | 1:3: invalid suffix 'lul' on integer constant",
        "a 09               | 1:3: invalid digit '9' in octal constant",
        "a 0b102            | 1:3: invalid digit '2' in binary constant",
        "a 0x               | 1:3: no digits after '0x' in hexadecimal constant '0x'",
        "a /* open          | 1:3: unterminated comment: '/*' has no matching '*/'",
        "a \"open           | 1:3: missing terminating '\"' character",
        "a 'b               | 1:3: missing terminating ' character",
        "a ''               | 1:3: empty character constant",
        "a 'ab'             | 1:3: multi-character character constants are not supported in KPC",
        "a 'é'              | 1:3: character constant contains a non-ASCII character, which does not fit in one byte",
        "a \"x\\qy\"        | 1:5: unknown escape sequence '\\q'",
        "a '\\x100'         | 1:4: hex escape sequence out of range: '\\x100' is above \\xff",
        "a '\\x'            | 1:4: \\x used with no following hex digits",
        "a \"\\400\"        | 1:4: octal escape sequence out of range: '\\400' is above \\377",
    })
    void lexicalErrors(String text, String expected) {
        lex(text);
        assertEquals(List.of(expected), errors());
        assertTrue(sink.diagnostics().stream().allMatch(d -> d.kind() == Diagnostic.Kind.LEXICAL));
    }

    @Test
    void invalidConstantBecomesZero() {
        List<Token> tokens = lex("1.5q 18446744073709551617 0x");
        assertEquals(TokenKind.FLOATING, tokens.get(0).kind());
        assertEquals(0, tokens.get(0).intValue());
        assertEquals("1.5q", tokens.get(0).text());
        assertEquals(1, tokens.get(1).intValue(), "a constant that is too large keeps its low 64 bits");
        assertEquals(TokenKind.INTEGER, tokens.get(2).kind());
        assertEquals(0, tokens.get(2).intValue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.5        | 0x1.8p0   | ''",
        ".5         | 0x1p-1    | ''",
        "1.         | 0x1p0     | ''",
        "1e10       | 0x1.2a05f2p33 | ''",
        "2.5E-3     | 0x1.47ae147ae147bp-9 | ''",
        "0.1        | 0x1.999999999999ap-4 | ''",
        "0.1f       | 0x1.99999ap-4 | f",
        "0.1F       | 0x1.99999ap-4 | f",
        "0x1p3      | 0x1p3     | ''",
        "0x1.8P+1   | 0x1.8p1   | ''",
        "0xA.8p-2f  | 0x1.5p1   | f",
        "0x.1p4     | 0x1p0     | ''",
        "1e-400     | 0x0p0     | ''",
        "4.9e-324   | 0x0.0000000000001p-1022 | ''",
        "16777217.f | 0x1p24    | f",
    })
    void floatingConstants(String text, String expectedHex, String expectedSuffix) {
        List<Token> tokens = lex(text);
        assertEquals(List.of(), errors());
        assertEquals(TokenKind.FLOATING, tokens.get(0).kind());
        assertEquals(Double.parseDouble(expectedHex), Double.longBitsToDouble(tokens.get(0).intValue()), text);
        assertEquals(expectedSuffix, tokens.get(0).intSuffix());
    }

    @Test
    void floatConstantRoundsOnceToFloat() {
        // 1 + 2^-24 + 2^-60 rounds up to float directly, but through double it would first lose
        // the 2^-60 and then tie to even, down to 1.
        Token token = lex("0x1.000001000000001p0f").get(0);
        assertEquals(1.0f + 0x1p-23f, Double.longBitsToDouble(token.intValue()));
    }

    @Test
    void hexadecimalIntegerWithDigitE() {
        Token token = lex("0x1e3").get(0);
        assertEquals(TokenKind.INTEGER, token.kind());
        assertEquals(0x1e3, token.intValue());
    }

    @Test
    void severalErrorsWithRecovery() {
        List<Token> tokens = lex("int a = 1.0x;\nint $b = 'xy';\n  char *s = \"\\z\" @ 08;\n/* never closed");
        assertEquals(List.of(
                "1:9: invalid suffix 'x' on floating constant '1.0x'",
                "2:5: unexpected character '$'",
                "2:10: multi-character character constants are not supported in KPC",
                "3:14: unknown escape sequence '\\z'",
                "3:18: unexpected character '@'",
                "3:20: invalid digit '8' in octal constant",
                "4:1: unterminated comment: '/*' has no matching '*/'"), errors());
        assertEquals(List.of("int", "a", "=", "1.0x", ";", "int", "b", "=", "'xy'", ";", "char", "*", "s", "=", "\"\\z\"", "08", ";", ""),
                tokens.stream().map(Token::text).toList());
    }

    @Test
    void errorLocationAfterLineContinuation() {
        lex("a \\\n  @");
        assertEquals(List.of("2:3: unexpected character '@'"), errors());
    }

    @Test
    void diagnosticRendersSourceLineWithCaret() {
        lex("int x = 1.5q;");
        assertEquals("test.kpc:1:9: error: invalid suffix 'q' on floating constant '1.5q'\n"
                + "    int x = 1.5q;\n"
                + "            ^", sink.diagnostics().get(0).render());
    }

    @Test
    void byteOrderMarkAtStartIsSkipped() {
        List<Token> tokens = lex("\uFEFF#define X 1\nint x;");
        assertEquals(List.of(), errors());
        assertEquals("#", tokens.get(0).text());
        assertTrue(tokens.get(0).atLineStart(), "a directive can start right after the byte order mark");
        assertEquals(1, tokens.get(0).location().column(), "the byte order mark takes no column");
        assertEquals(1, tokens.get(0).location().offset(), "offsets count the byte order mark");
        assertEquals(9, tokens.get(2).location().column(), "column of X");
        assertEquals(1, tokens.get(4).location().column(), "column of int on line 2");
    }

    @Test
    void byteOrderMarkAloneIsAnEmptyFile() {
        List<Token> tokens = lex("\uFEFF");
        assertEquals(List.of(), errors());
        assertEquals(1, tokens.size());
    }

    @Test
    void byteOrderMarkElsewhereIsRejected() {
        lex("int x;\uFEFF\n");
        assertEquals(List.of("1:7: unexpected character '\uFEFF' (U+FEFF)"), errors());
        lex("\uFEFF\uFEFFint x;");
        assertEquals(List.of("1:1: unexpected character '\uFEFF' (U+FEFF)"), errors());
    }
}
