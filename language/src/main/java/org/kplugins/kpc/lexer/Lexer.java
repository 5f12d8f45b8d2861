// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.lexer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.diagnostics.SourceLocation;

/**
 * Splits one KPC source file into raw tokens, before preprocessing.
 *
 * <p>Line splices (backslash-newline) are removed first, so a token may span lines. Its text is
 * then the spelling without the splices, while its location covers the raw characters. Keywords
 * come out as identifiers. Every lexical error goes to the sink as a {@link Diagnostic.Kind#LEXICAL}
 * diagnostic, and the lexer recovers so that one run reports all of them:
 *
 * <ul>
 *   <li>An unexpected character is reported and skipped.
 *   <li>An invalid integer constant becomes an INTEGER token with value 0, and a constant too
 *       large for 64 bits keeps its low 64 bits. An invalid floating constant becomes a FLOATING
 *       token with value 0.
 *   <li>An unterminated string or character literal ends at the end of its line.
 *   <li>An unknown escape sequence such as {@code \q} is the character after the backslash.
 * </ul>
 *
 * <p>Tokens other than INTEGER and FLOATING have intValue 0, intSuffix "" and decimal false (a CHARACTER token
 * sets intValue). Tokens other than STRING have a null stringValue.
 */
public final class Lexer {
    private static final String[] PUNCTUATORS = {
        "...", "<<=", ">>=",
        "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
        "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "##",
        "[", "]", "(", ")", "{", "}", ".", "&", "*", "+", "-", "~", "!", "/", "%",
        "<", ">", "^", "|", "?", ":", ";", "=", ",", "#",
    };

    private final SourceFile file;
    private final DiagnosticSink sink;

    /** The file's text with line splices removed. */
    private char[] chars;
    /** The offset in the file's text of each character of {@link #chars}, plus the text length. */
    private int[] rawOffsets;
    /** The offset in the file's text where each line starts. */
    private int[] lineStarts;

    private boolean startsWithByteOrderMark;
    private int pos;
    private boolean atLineStart;
    private boolean precededBySpace;

    public Lexer(SourceFile file, DiagnosticSink sink) {
        this.file = file;
        this.sink = sink;
    }

    /** The byte order mark that some editors write at the start of a UTF-8 file. */
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    /**
     * Returns the tokens of the whole file, ending with one EOF token. A byte order mark at the
     * start of the file is skipped, as gcc and clang do; anywhere else it is an unexpected
     * character. Columns on the first line do not count it, because it is invisible, but offsets do.
     */
    public List<Token> tokenize() {
        removeLineSplices();
        startsWithByteOrderMark = chars.length > 0 && chars[0] == BYTE_ORDER_MARK;
        pos = startsWithByteOrderMark ? 1 : 0;
        atLineStart = true;
        precededBySpace = false;
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipWhiteSpaceAndComments();
            if (pos >= chars.length) {
                tokens.add(plainToken(TokenKind.EOF, pos, pos));
                return tokens;
            }
            Token token = readToken();
            if (token != null) {
                tokens.add(token);
                atLineStart = false;
                precededBySpace = false;
            }
        }
    }

    private void removeLineSplices() {
        String text = file.text();
        int length = text.length();
        chars = new char[length];
        rawOffsets = new int[length + 1];
        int count = 0;
        int lines = 1;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                lines++;
            }
            if (c == '\\' && i + 1 < length && text.charAt(i + 1) == '\n') {
                i++;
                lines++;
                continue;
            }
            if (c == '\\' && i + 2 < length && text.charAt(i + 1) == '\r' && text.charAt(i + 2) == '\n') {
                i += 2;
                lines++;
                continue;
            }
            chars[count] = c;
            rawOffsets[count] = i;
            count++;
        }
        rawOffsets[count] = length;
        if (count < length) {
            chars = Arrays.copyOf(chars, count);
        }

        lineStarts = new int[lines];
        int line = 1;
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) == '\n') {
                lineStarts[line++] = i + 1;
            }
        }
    }

    private void skipWhiteSpaceAndComments() {
        while (pos < chars.length) {
            char c = chars[pos];
            if (c == '\n') {
                pos++;
                atLineStart = true;
                precededBySpace = true;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0B) {
                pos++;
                precededBySpace = true;
            } else if (c == '/' && peek(1) == '/') {
                while (pos < chars.length && chars[pos] != '\n') {
                    pos++;
                }
                precededBySpace = true;
            } else if (c == '/' && peek(1) == '*') {
                skipBlockComment();
                precededBySpace = true;
            } else {
                return;
            }
        }
    }

    private void skipBlockComment() {
        int start = pos;
        pos += 2;
        while (pos < chars.length) {
            if (chars[pos] == '*' && peek(1) == '/') {
                pos += 2;
                return;
            }
            pos++;
        }
        error(start, start + 2, "unterminated comment: '/*' has no matching '*/'");
    }

    /** Reads the token at {@link #pos}, or reports and skips an unexpected character and returns null. */
    private Token readToken() {
        int start = pos;
        char c = chars[pos];
        if (isIdentifierStart(c)) {
            while (pos < chars.length && isIdentifierPart(chars[pos])) {
                pos++;
            }
            return plainToken(TokenKind.IDENTIFIER, start, pos);
        }
        if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
            return readNumber();
        }
        if (c == '\'') {
            return readCharacterConstant();
        }
        if (c == '"') {
            return readStringLiteral();
        }
        for (String punctuator : PUNCTUATORS) {
            if (startsWith(punctuator)) {
                pos += punctuator.length();
                return plainToken(TokenKind.PUNCTUATOR, start, pos);
            }
        }

        int codePoint = Character.codePointAt(chars, pos);
        pos += Character.charCount(codePoint);
        error(start, pos, "unexpected character " + describeCharacter(codePoint));
        return null;
    }

    /**
     * Reads a preprocessing number (C11 6.4.8: digits, letters, '_', '.' and an exponent sign) and
     * converts it to an integer or floating constant, so that a malformed constant is one error,
     * not several.
     */
    private Token readNumber() {
        int start = pos;
        while (pos < chars.length) {
            char c = chars[pos];
            char next = peek(1);
            if ((c == 'e' || c == 'E' || c == 'p' || c == 'P') && (next == '+' || next == '-')) {
                pos += 2;
            } else if (isIdentifierPart(c) || c == '.') {
                pos++;
            } else {
                break;
            }
        }
        String text = new String(chars, start, pos - start);
        if (FloatingConstant.isFloating(text)) {
            FloatingConstant constant = FloatingConstant.parse(text);
            if (constant.error() != null) {
                error(start, pos, constant.error());
            }
            return new Token(TokenKind.FLOATING, text, location(start, pos), constant.bits(),
                    constant.isFloat() ? "f" : "", false, null, precededBySpace, atLineStart);
        }
        IntegerConstant constant = IntegerConstant.parse(text);
        if (constant.error() != null) {
            error(start, pos, constant.error());
        }
        return new Token(
                TokenKind.INTEGER,
                text,
                location(start, pos),
                constant.value(),
                constant.suffix(),
                constant.decimal(),
                null,
                precededBySpace,
                atLineStart);
    }

    private Token readCharacterConstant() {
        int start = pos;
        pos++;
        List<Integer> bytes = new ArrayList<>();
        boolean nonAscii = false;
        boolean terminated = false;
        while (pos < chars.length && chars[pos] != '\n') {
            char c = chars[pos];
            if (c == '\'') {
                pos++;
                terminated = true;
                break;
            }
            if (c == '\\') {
                bytes.add(readEscapeSequence());
            } else {
                nonAscii |= c > 0x7F;
                bytes.add((int) c);
                pos++;
            }
        }

        long value = 0;
        if (!terminated) {
            error(start, start + 1, "missing terminating ' character");
        } else if (bytes.isEmpty()) {
            error(start, pos, "empty character constant");
        } else if (nonAscii) {
            error(start, pos, "character constant contains a non-ASCII character, which does not fit in one byte");
        } else if (bytes.size() > 1) {
            error(start, pos, "multi-character character constants are not supported in KPC");
        } else {
            // char is signed in KPC, so a constant such as '\xff' has the int value -1.
            value = (byte) (int) bytes.get(0);
        }
        return new Token(
                TokenKind.CHARACTER, text(start, pos), location(start, pos), value, "", false, null,
                precededBySpace, atLineStart);
    }

    /** Reads a string literal. Source characters above U+007F are stored as their UTF-8 bytes. */
    private Token readStringLiteral() {
        int start = pos;
        pos++;
        StringBuilder value = new StringBuilder();
        boolean terminated = false;
        while (pos < chars.length && chars[pos] != '\n') {
            char c = chars[pos];
            if (c == '"') {
                pos++;
                terminated = true;
                break;
            }
            if (c == '\\') {
                value.append((char) readEscapeSequence());
            } else if (c <= 0x7F) {
                value.append(c);
                pos++;
            } else {
                int codePoint = Character.codePointAt(chars, pos);
                pos += Character.charCount(codePoint);
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    value.append((char) (b & 0xFF));
                }
            }
        }
        if (!terminated) {
            error(start, start + 1, "missing terminating '\"' character");
        }
        return new Token(
                TokenKind.STRING, text(start, pos), location(start, pos), 0, "", false, value.toString(),
                precededBySpace, atLineStart);
    }

    /** Reads the escape sequence at {@link #pos} (a backslash) and returns its byte value, 0-255. */
    private int readEscapeSequence() {
        int start = pos;
        pos++;
        if (pos >= chars.length || chars[pos] == '\n') {
            return '\\';
        }
        char c = chars[pos++];
        switch (c) {
            case 'n': return '\n';
            case 't': return '\t';
            case 'r': return '\r';
            case 'a': return 0x07;
            case 'b': return '\b';
            case 'f': return '\f';
            case 'v': return 0x0B;
            case '\\', '\'', '"', '?': return c;
            default: break;
        }
        if (c >= '0' && c <= '7') {
            int value = c - '0';
            for (int digits = 1; digits < 3 && pos < chars.length && chars[pos] >= '0' && chars[pos] <= '7'; digits++) {
                value = value * 8 + (chars[pos++] - '0');
            }
            if (value > 0xFF) {
                error(start, pos, "octal escape sequence out of range: '" + text(start, pos) + "' is above \\377");
                return value & 0xFF;
            }
            return value;
        }
        if (c == 'x') {
            int value = 0;
            boolean outOfRange = false;
            int digitsStart = pos;
            while (pos < chars.length && Character.digit(chars[pos], 16) >= 0 && chars[pos] < 0x80) {
                value = value * 16 + Character.digit(chars[pos++], 16);
                outOfRange |= value > 0xFF;
                value &= 0xFFF;
            }
            if (pos == digitsStart) {
                error(start, pos, "\\x used with no following hex digits");
            } else if (outOfRange) {
                error(start, pos, "hex escape sequence out of range: '" + text(start, pos) + "' is above \\xff");
            }
            return value & 0xFF;
        }
        error(start, pos, "unknown escape sequence '\\" + c + "'");
        return c & 0xFF;
    }

    private Token plainToken(TokenKind kind, int start, int end) {
        return new Token(kind, text(start, end), location(start, end), 0, "", false, null, precededBySpace, atLineStart);
    }

    private void error(int start, int end, String message) {
        sink.report(Diagnostic.Kind.LEXICAL, location(start, end), message);
    }

    /** Returns the location of the characters {@code [start, end)} of {@link #chars}. */
    private SourceLocation location(int start, int end) {
        int rawStart = rawOffsets[start];
        int rawEnd = end > start ? rawOffsets[end - 1] + 1 : rawStart;
        int line = lineOf(rawStart);
        int column = rawStart - lineStarts[line - 1] + 1;
        if (line == 1 && startsWithByteOrderMark && rawStart > 0) {
            column--;
        }
        return new SourceLocation(file, line, column, rawStart, rawEnd - rawStart);
    }

    private int lineOf(int rawOffset) {
        int low = 0;
        int high = lineStarts.length - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (lineStarts[middle] <= rawOffset) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low + 1;
    }

    private String text(int start, int end) {
        return new String(chars, start, end - start);
    }

    private char peek(int ahead) {
        int index = pos + ahead;
        return index < chars.length ? chars[index] : '\0';
    }

    private boolean startsWith(String spelling) {
        if (pos + spelling.length() > chars.length) {
            return false;
        }
        for (int i = 0; i < spelling.length(); i++) {
            if (chars[pos + i] != spelling.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }

    /** Returns a character for a message: {@code 'X'}, {@code '\x01'} or {@code 'é' (U+00E9)}. */
    private static String describeCharacter(int codePoint) {
        if (codePoint >= 0x21 && codePoint <= 0x7E) {
            return "'" + (char) codePoint + "'";
        }
        if (codePoint < 0x80) {
            return String.format("'\\x%02x'", codePoint);
        }
        return String.format("'%s' (U+%04X)", new String(Character.toChars(codePoint)), codePoint);
    }
}
