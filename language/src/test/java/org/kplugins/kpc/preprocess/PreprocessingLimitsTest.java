// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;

/**
 * Small files whose preprocessing grows exponentially stop at a {@link PreprocessingLimits}
 * limit, with one error, in bounded time and memory.
 */
class PreprocessingLimitsTest {

    /** Far more than any of these files needs with the limits, and far less than they need without. */
    private static final Duration TIME_LIMIT = Duration.ofSeconds(20);

    private static final String TOKEN_LIMIT_MESSAGE = " exceeds the preprocessor's limit of 1000000 tokens per translation unit";
    private static final String CHARACTER_LIMIT_MESSAGE =
            " exceeds the preprocessor's limit of 16777216 characters created by '#' and '##' per translation unit";

    private final Map<String, String> files = new HashMap<>();
    private final DiagnosticSink sink = new DiagnosticSink();

    private List<Token> preprocess(String text) {
        IncludeResolver resolver = name -> files.containsKey(name) ? new SourceFile(name, files.get(name), null) : null;
        List<Token> tokens = assertTimeoutPreemptively(TIME_LIMIT,
                () -> new Preprocessor(sink, resolver).preprocess(new SourceFile("main.kpc", text, null)));
        assertEquals(TokenKind.EOF, tokens.getLast().kind());
        return tokens;
    }

    /** Returns each diagnostic as {@code file:line:column: message}. */
    private List<String> errors() {
        return sink.diagnostics().stream().map(d -> d.location().prefix() + ": " + d.message()).toList();
    }

    /** Returns {@code #define NAME1 BODY} to {@code #define NAME<count> BODY}, where BODY uses the previous name. */
    private static String macroChain(String name, String body, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            String previous = name + (i - 1);
            text.append("#define ").append(name).append(i).append(' ').append(body.replace("PREVIOUS", previous))
                    .append('\n');
        }
        return text.toString();
    }

    @Test
    void doublingObjectLikeMacros() {
        String source = "#define A0 x\n" + macroChain("A", "PREVIOUS PREVIOUS", 30) + "int y = A30;\n";
        preprocess(source);
        assertEquals(List.of("main.kpc:32:9: macro expansion of 'A30'" + TOKEN_LIMIT_MESSAGE), errors());
    }

    @Test
    void doublingFunctionLikeMacrosInIf() {
        StringBuilder source = new StringBuilder("#define F0(x) (x + x)\n");
        for (int i = 1; i <= 30; i++) {
            source.append("#define F").append(i).append("(x) F").append(i - 1).append("(F").append(i - 1).append("(x))\n");
        }
        source.append("#if F30(1)\nint yes;\n#endif\nint after;\n");
        List<Token> tokens = preprocess(source.toString());
        assertEquals(List.of("main.kpc:32:5: macro expansion of 'F30'" + TOKEN_LIMIT_MESSAGE), errors());
        assertEquals(1, tokens.size(), "nothing is produced after the limit");
    }

    @Test
    void limitStopsRestOfFile() {
        String source = "#define A0 x\n" + macroChain("A", "PREVIOUS PREVIOUS", 30)
                + "int y = A30;\n#error not reached\n#if\n";
        preprocess(source);
        assertEquals(1, errors().size(), () -> "errors: " + errors());
    }

    @Test
    void macroInArgumentIsNamed() {
        String source = "#define A0 x\n" + macroChain("A", "PREVIOUS PREVIOUS", 30) + "#define ID(x) x\nint y = ID(A30);\n";
        preprocess(source);
        assertEquals(List.of("main.kpc:33:12: macro expansion of 'A30'" + TOKEN_LIMIT_MESSAGE), errors());
    }

    @Test
    void expansionWithinLimitIsComplete() {
        String source = "#define A0 x\n" + macroChain("A", "PREVIOUS PREVIOUS", 18) + "A18\n";
        List<Token> tokens = preprocess(source);
        assertEquals(List.of(), errors());
        assertEquals((1 << 18) + 1, tokens.size());
    }

    /** Adds headers h0.h to h{@code count}.h, where each includes the one below it twice. */
    private void addDoublingHeaders(String lowest, int count) {
        files.put("h0.h", lowest);
        for (int i = 1; i <= count; i++) {
            String below = "#include \"h" + (i - 1) + ".h\"\n";
            files.put("h" + i + ".h", below + below);
        }
    }

    @Test
    void doublingHeaders() {
        addDoublingHeaders("int x;\n", 40);
        preprocess("#include \"h40.h\"\n");
        List<String> errors = errors();
        assertEquals(1, errors.size(), () -> "errors: " + errors);
        assertTrue(errors.get(0).matches("h\\d+\\.h:[12]:2: #include \"h\\d+\\.h\"" + Pattern.quote(TOKEN_LIMIT_MESSAGE)),
                errors.get(0));
    }

    @Test
    void doublingHeadersWithLongComment() {
        // Each header is lexed once, so the comment is read once however often it is included.
        addDoublingHeaders("/*" + " ".repeat(1 << 20) + "*/\n", 40);
        preprocess("#include \"h40.h\"\n");
        assertEquals(1, errors().size(), () -> "errors: " + errors());
    }

    @Test
    void selfIncludingHeaderStops() {
        // The depth limit is reached on every path, and the token limit ends the run.
        files.put("twice.h", "#include \"twice.h\"\n#include \"twice.h\"\n");
        preprocess("#include \"twice.h\"\n");
        assertTrue(errors().getFirst().endsWith("#include nested too deeply (more than 64 levels)"), errors().getFirst());
    }

    @Test
    void stringizingItsOwnResult() {
        // Each level escapes the quotes and backslashes of the string below it, so the text
        // about doubles at each level.
        String source = "#define S(x) #x\n#define T(x) S(x)\nchar *s = " + "T(".repeat(40) + "\"q\"" + ")".repeat(40)
                + ";\n";
        preprocess(source);
        // The limit is passed inside the argument of an inner T, which the error names.
        List<String> errors = errors();
        assertEquals(1, errors.size(), () -> "errors: " + errors);
        assertTrue(errors.get(0).matches("main\\.kpc:3:\\d+: macro expansion of 'T'" + Pattern.quote(
                CHARACTER_LIMIT_MESSAGE)), errors.get(0));
    }

    @Test
    void pastingItsOwnResult() {
        String source = "#define P(a, b) a##b\n#define D(x) P(x, x)\nint " + "D(".repeat(40) + "v" + ")".repeat(40)
                + ";\n";
        preprocess(source);
        List<String> errors = errors();
        assertEquals(1, errors.size(), () -> "errors: " + errors);
        assertTrue(errors.get(0).matches("main\\.kpc:3:\\d+: macro expansion of 'D'" + Pattern.quote(
                CHARACTER_LIMIT_MESSAGE)), errors.get(0));
    }

    @Test
    void deepIfExpressionIsAnError() {
        preprocess("#if " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + "\n#endif\n");
        assertEquals(List.of("main.kpc:1:261: nesting too deep in '#if' expression: KPC allows at most 256 nested"
                + " parentheses, unary operators and conditional operators"), errors());
    }

    @Test
    void longIfConditionalChainIsAnError() {
        preprocess("#if 0" + " ? 1 : 0".repeat(100_000) + "\n#endif\n");
        List<String> errors = errors();
        assertEquals(1, errors.size(), () -> "errors: " + errors);
        assertTrue(errors.get(0).contains("nesting too deep in '#if' expression"), errors.get(0));
    }

    @Test
    void longIfUnaryChainIsAnError() {
        preprocess("#if " + "- ".repeat(100_000) + "1\n#endif\n");
        List<String> errors = errors();
        assertEquals(1, errors.size(), () -> "errors: " + errors);
        assertTrue(errors.get(0).contains("nesting too deep in '#if' expression"), errors.get(0));
    }

    @Test
    void moderateIfNestingIsAccepted() {
        List<Token> tokens = preprocess("#if " + "(".repeat(200) + "1" + ")".repeat(200) + "\nyes\n#endif\n");
        assertEquals(List.of(), errors());
        assertEquals("yes", tokens.get(0).text());
    }
}
