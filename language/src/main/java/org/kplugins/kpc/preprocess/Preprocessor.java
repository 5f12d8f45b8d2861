// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Lexer;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;

/**
 * Runs the C preprocessor over a plugin's main file and returns the tokens the parser reads.
 *
 * <p>It handles {@code #include}, {@code #define} (object-like, function-like and variadic, with
 * {@code #} and {@code ##}), {@code #undef}, the conditional directives with {@code defined},
 * {@code #error}, {@code #line} and {@code #pragma}, which it ignores. {@code #line} changes the
 * file name and line that diagnostics, faults, {@code __FILE__} and {@code __LINE__} report; the
 * tokens keep their physical lines, so a diagnostic still quotes the right source line. {@code __FILE__},
 * {@code __LINE__}, {@code __KPC__}, {@code __ILP32__} and {@code __STDC__} are predefined.
 * Adjacent string literals are concatenated at the end.
 *
 * <p>{@code #include <name>} reads only the {@link BuiltinHeaders built-in headers}.
 * {@code #include "name"} calls the {@link IncludeResolver} first and falls back to a built-in header of
 * that name, as a C compiler falls back to the system headers.
 *
 * <p>Every error goes to the sink as a {@link Diagnostic.Kind#PREPROCESSOR} diagnostic, or a
 * {@link Diagnostic.Kind#LEXICAL} one from the lexer, and the preprocessor keeps going so that one
 * run reports them all. A directive with an error is otherwise ignored. A lexical error inside a
 * group that {@code #if} skips is not reported, because C allows any text there.
 *
 * <p>The tokens that macro expansion and {@code #include} add are bounded by
 * {@link PreprocessingLimits}. When a limit is exceeded, the preprocessor reports it and returns
 * the tokens produced so far.
 */
public final class Preprocessor {
    /** The maximum number of nested {@code #include} directives, which stops a file that includes itself. */
    public static final int MAX_INCLUDE_DEPTH = 64;

    /** A file's tokens and the lexical errors that do not belong to one number, lexed once per translation unit. */
    private record LexedFile(List<Token> tokens, List<Diagnostic> otherErrors) {
    }

    /** An {@code #if}, {@code #ifdef} or {@code #ifndef} group whose {@code #endif} has not been read yet. */
    private static final class Conditional {
        final Token directive;
        final InputFile file;
        /** Whether one of the group's branches has been taken, so later branches are skipped. */
        boolean branchTaken;
        boolean inElse;

        Conditional(Token directive, InputFile file, boolean branchTaken) {
            this.directive = directive;
            this.file = file;
            this.branchTaken = branchTaken;
        }
    }

    private final DiagnosticSink sink;
    private final IncludeResolver resolver;

    private TokenInput input;
    private MacroExpander macros;
    private PreprocessingLimits limits;
    /** The files already lexed, by identity, so that a header included many times is lexed once. */
    private final Map<SourceFile, LexedFile> lexedFiles = new IdentityHashMap<>();
    /**
     * The result of the include resolver for each name in {@code #include "name"}, including
     * null for a file not found, so that each name is looked up once.
     */
    private final Map<String, SourceFile> resolvedIncludes = new HashMap<>();
    private final Deque<Conditional> conditionals = new ArrayDeque<>();
    /** The lexer's errors for invalid numbers, held until the number is used (see {@link PreprocessingToken#deferredErrors}). */
    private final Function<String, SourceFile> headers;
    private final Map<Token, List<Diagnostic>> numberErrors = new IdentityHashMap<>();
    /** The deferred errors already reported, so that a number used twice through a macro is reported once. */
    private final Set<Diagnostic> reportedNumberErrors = new HashSet<>();
    /** The files whose line-number overflow after {@code #line} has been reported. */
    private final Set<SourceFile> lineOverflowReported = new HashSet<>();

    public Preprocessor(DiagnosticSink sink, IncludeResolver resolver) {
        this(sink, resolver, BuiltinHeaders::find);
    }

    /**
     * Creates a preprocessor whose {@code #include <name>} reads {@code headers.apply(name)}, which
     * returns null for an unknown header. The KPC front end passes the built-in headers with
     * {@code <kernel.h>} rendered from the context's symbol table.
     */
    public Preprocessor(DiagnosticSink sink, IncludeResolver resolver, Function<String, SourceFile> headers) {
        this.sink = sink;
        this.resolver = resolver;
        this.headers = headers;
    }

    /**
     * Returns the preprocessed tokens of {@code main}, ending with one EOF token. Each call starts
     * with only the predefined macros.
     */
    public List<Token> preprocess(SourceFile main) {
        input = new TokenInput(sink);
        numberErrors.clear();
        reportedNumberErrors.clear();
        lineOverflowReported.clear();
        lexedFiles.clear();
        resolvedIncludes.clear();
        limits = new PreprocessingLimits(sink);
        macros = new MacroExpander(input, sink, numberErrors, limits);
        conditionals.clear();
        InputFile mainFile = open(main, 0);
        PreprocessingToken mainEndOfFile = input.peekLast();
        open(BuiltinHeaders.PREDEFINED, 0);

        List<Token> output = new ArrayList<>();
        while (true) {
            if (limits.exceeded()) {
                // The error is reported. Reading on would only add errors caused by the tokens
                // that were not produced.
                output.add(mainEndOfFile.token);
                return concatenateStrings(output);
            }
            PreprocessingToken token = input.next();
            checkLineNumber(token);
            if (token.kind() == TokenKind.EOF) {
                closeFile(token);
                if (token.file == mainFile) {
                    output.add(token.token);
                    return concatenateStrings(output);
                }
            } else if (token.startsDirective()) {
                readDirective(token);
            } else if (!macros.expand(token)) {
                reportDeferredErrors(token);
                output.add(token.token);
            }
        }
    }

    /**
     * Reports a token on a line that a {@code #line} directive numbers past {@link Integer#MAX_VALUE},
     * once per file: its faults, diagnostics and {@code __LINE__} would have no valid line number.
     */
    private void checkLineNumber(PreprocessingToken token) {
        SourceLocation at = token.token.location();
        if (token.kind() == TokenKind.EOF || token.startsDirective() || at.file() == null
                || !at.file().presumedLineOverflows(at.line()) || !lineOverflowReported.add(at.file())) {
            return;
        }
        error(at, "line number overflows after #line: this line would be past the largest line number "
                + Integer.MAX_VALUE + "; give the '#line' directive a smaller number");
    }

    /** Puts the tokens of {@code source} in front of the input, lexing it if it was not lexed before. */
    private InputFile open(SourceFile source, int depth) {
        LexedFile lexed = lexedFiles.computeIfAbsent(source, this::lex);
        InputFile file = new InputFile(source, depth, lexed.otherErrors());
        List<PreprocessingToken> wrapped = new ArrayList<>(lexed.tokens().size());
        for (Token token : lexed.tokens()) {
            wrapped.add(PreprocessingToken.fromFile(token, file, numberErrors.getOrDefault(token, List.of())));
        }
        input.pushFront(wrapped);
        return file;
    }

    /**
     * Lexes {@code source}. An error that covers exactly one INTEGER or FLOATING token is an invalid number
     * and stays with that token in {@link #numberErrors}. The others are returned with the tokens.
     */
    private LexedFile lex(SourceFile source) {
        DiagnosticSink lexicalErrors = new DiagnosticSink();
        List<Token> tokens = new Lexer(source, lexicalErrors).tokenize();

        Map<Integer, Token> numbersByOffset = new HashMap<>();
        for (Token token : tokens) {
            if (token.kind() == TokenKind.INTEGER || token.kind() == TokenKind.FLOATING) {
                numbersByOffset.put(token.location().offset(), token);
            }
        }
        List<Diagnostic> otherErrors = new ArrayList<>();
        for (Diagnostic error : lexicalErrors.diagnostics()) {
            Token number = numbersByOffset.get(error.location().offset());
            if (number != null && number.location().length() == error.location().length()) {
                numberErrors.computeIfAbsent(number, key -> new ArrayList<>()).add(error);
            } else {
                otherErrors.add(error);
            }
        }

        return new LexedFile(tokens, List.copyOf(otherErrors));
    }

    private void reportDeferredErrors(PreprocessingToken token) {
        for (Diagnostic error : token.deferredErrors) {
            if (reportedNumberErrors.add(error)) {
                sink.report(error.kind(), error.location(), error.message());
            }
        }
    }

    /** Reports the conditional groups that a file leaves open at its end. */
    private void closeFile(PreprocessingToken endOfFile) {
        while (!conditionals.isEmpty() && conditionals.peek().file == endOfFile.file) {
            Token directive = conditionals.pop().directive;
            error(directive.location(), "unterminated '#" + directive.text() + "'");
        }
    }

    private void readDirective(PreprocessingToken hash) {
        PreprocessingToken name = input.peek();
        if (name.token.atLineStart() || name.kind() == TokenKind.EOF) {
            return; // A lone '#' is the null directive.
        }
        input.next();
        switch (name.token.text()) {
            case "include" -> readInclude(name);
            case "define" -> readDefine(name);
            case "undef" -> readUndef(name);
            case "if" -> readIf(name);
            case "ifdef", "ifndef" -> readIfdef(name);
            case "elif" -> readElif(name);
            case "else" -> readElse(name);
            case "endif" -> readEndif(name);
            case "error" -> {
                List<PreprocessingToken> line = readLine();
                String message = spell(line);
                error(name.token.location(), message.isEmpty() ? "#error" : message);
            }
            case "line" -> readLineDirective(name);
            case "pragma" -> readLine();
            default -> {
                error(name.token.location(), "invalid preprocessing directive '#" + name.token.text() + "'");
                readLine();
            }
        }
    }

    /**
     * Reads {@code #line digit-sequence ["file"]}, after macro expansion as C allows, and records it
     * in the directive's file: the next physical line is reported as that line number.
     */
    private void readLineDirective(PreprocessingToken directive) {
        List<PreprocessingToken> line = readLine();
        int lastLine = directive.token.location().line();
        for (PreprocessingToken token : line) {
            lastLine = Math.max(lastLine, token.token.location().line());
        }
        line = macros.expandAll(line);
        if (limits.exceeded()) {
            return;
        }
        SourceLocation at = directive.token.location();
        if (line.isEmpty() || line.get(0).kind() != TokenKind.INTEGER || !line.get(0).token.text().matches("[0-9]+")) {
            error(line.isEmpty() ? at : line.get(0).token.location(),
                    "#line directive requires a simple digit sequence, as in '#line 42 \"file.kpc\"'");
            return;
        }
        Token number = line.get(0).token;
        long value = number.intValue();
        if (number.text().length() > 10 || value < 1 || value > Integer.MAX_VALUE) {
            error(number.location(), "line number " + number.text() + " in '#line' directive is out of range: it must be 1 to "
                    + Integer.MAX_VALUE);
            return;
        }
        SourceFile file = at.file();
        String name = file.presumedName(at.line());
        if (line.size() > 1) {
            Token nameToken = line.get(1).token;
            if (nameToken.kind() != TokenKind.STRING || !nameToken.text().startsWith("\"")) {
                error(nameToken.location(), "invalid filename for #line directive: expected a string literal such as \"file.kpc\"");
                return;
            }
            name = nameToken.stringValue() != null ? nameToken.stringValue()
                    : nameToken.text().substring(1, nameToken.text().length() - 1);
            if (line.size() > 2) {
                error(line.get(2).token.location(), "extra tokens at end of #line directive");
                return;
            }
        }
        file.addLineDirective(lastLine + 1, (int) value, name);
    }

    /** Reads the rest of the directive line. */
    private List<PreprocessingToken> readLine() {
        List<PreprocessingToken> line = new ArrayList<>();
        while (!input.peek().token.atLineStart() && input.peek().kind() != TokenKind.EOF) {
            line.add(input.next());
        }
        return line;
    }

    // Include

    private void readInclude(PreprocessingToken directive) {
        // A header name is not made of ordinary tokens, so errors the lexer found in it (an escape
        // in "dir\file.h", say) do not apply. They are dropped while its line is read.
        PreprocessingToken first = input.peek();
        boolean headerName = first.kind() == TokenKind.STRING || first.is("<");
        input.setSkipping(headerName);
        List<PreprocessingToken> line = readLine();
        input.setSkipping(false);
        if (!line.isEmpty() && !headerName) {
            line = macros.expandAll(line);
            if (limits.exceeded()) {
                return;
            }
        }

        if (line.isEmpty()) {
            error(directive.token.location(), "#include expects \"FILENAME\" or <FILENAME>");
            return;
        }
        Token start = line.get(0).token;
        String name;
        int end;
        boolean angled;
        if (start.kind() == TokenKind.STRING) {
            name = start.text().substring(1, Math.max(1, start.text().length() - 1));
            end = 1;
            angled = false;
        } else if (start.is("<")) {
            StringBuilder spelled = new StringBuilder();
            end = 1;
            while (end < line.size() && !line.get(end).is(">")) {
                Token part = line.get(end).token;
                if (end > 1 && part.precededBySpace()) {
                    spelled.append(' ');
                }
                spelled.append(part.text());
                end++;
            }
            if (end == line.size()) {
                error(start.location(), "missing terminating '>' character in #include");
                return;
            }
            end++;
            name = spelled.toString();
            angled = true;
        } else {
            error(start.location(), "#include expects \"FILENAME\" or <FILENAME>, found " + start);
            return;
        }
        if (end < line.size()) {
            error(line.get(end).token.location(), "extra tokens at end of '#include' directive");
        }

        if (directive.file.depth + 1 > MAX_INCLUDE_DEPTH) {
            error(directive.token.location(), "#include nested too deeply (more than " + MAX_INCLUDE_DEPTH + " levels)");
            return;
        }
        SourceFile file;
        if (angled) {
            file = headers.apply(name);
            if (file == null) {
                error(start.location(), "'" + name + "' is not a KPC header; available headers: " + BuiltinHeaders.names());
                return;
            }
        } else {
            if (!resolvedIncludes.containsKey(name)) {
                try {
                    resolvedIncludes.put(name, resolver.resolve(name));
                } catch (IncludeResolver.AccessDenied e) {
                    error(start.location(), "cannot include '" + name + "': " + e.getMessage());
                    return;
                }
            }
            file = resolvedIncludes.get(name);
            if (file == null) {
                file = headers.apply(name);
            }
            if (file == null) {
                error(start.location(),
                        "'" + name + "' file not found (only files in the plugin's directory can be included)");
                return;
            }
        }
        LexedFile lexed = lexedFiles.computeIfAbsent(file, this::lex);
        long size = lexed.tokens().size() + (long) lexed.otherErrors().size();
        String spelled = angled ? "<" + name + ">" : "\"" + name + "\"";
        if (limits.spendTokens(size, directive.token.location(), () -> "#include " + spelled)) {
            open(file, directive.file.depth + 1);
        }
    }

    // Macro definitions

    private void readDefine(PreprocessingToken directive) {
        List<PreprocessingToken> line = readLine();
        Token name = macroName(line, directive, "#define");
        if (name == null) {
            return;
        }
        if (name.text().equals("defined")) {
            error(name.location(), "'defined' cannot be used as a macro name");
            return;
        }

        int bodyStart = 1;
        List<String> parameters = new ArrayList<>();
        boolean variadic = false;
        boolean functionLike = line.size() > 1 && line.get(1).is("(") && !line.get(1).token.precededBySpace();
        if (functionLike) {
            bodyStart = readParameters(line, parameters);
            if (bodyStart < 0) {
                return;
            }
            variadic = line.get(bodyStart - 2).is("...");
        }

        List<Token> body = new ArrayList<>();
        for (int i = bodyStart; i < line.size(); i++) {
            body.add(line.get(i).token);
        }
        Macro macro = new Macro(
                name.text(), functionLike ? Macro.Kind.FUNCTION_LIKE : Macro.Kind.OBJECT_LIKE,
                List.copyOf(parameters), variadic, List.copyOf(body), name.location());
        if (!checkBody(macro)) {
            return;
        }

        Macro previous = macros.lookup(name.text());
        if (previous != null && !previous.sameDefinition(macro)) {
            String where = previous.location() == null ? "a predefined macro" : "previous definition at " + previous.location();
            error(name.location(), "macro '" + name.text() + "' redefined with a different replacement list (" + where + ")");
        }
        macros.define(macro);
    }

    /**
     * Reads the parameter list of a function-like macro, which starts at {@code line[1]}, into
     * {@code parameters}. Returns the index where the body starts, or -1 after reporting an error.
     */
    private int readParameters(List<PreprocessingToken> line, List<String> parameters) {
        Set<String> seen = new HashSet<>();
        int i = 2;
        if (i < line.size() && line.get(i).is(")")) {
            return i + 1;
        }
        while (true) {
            if (i >= line.size()) {
                error(line.getLast().token.location(), "missing ')' in macro parameter list");
                return -1;
            }
            Token parameter = line.get(i).token;
            if (parameter.is("...")) {
                if (i + 1 >= line.size() || !line.get(i + 1).is(")")) {
                    error(parameter.location(), "expected ')' after '...' in macro parameter list");
                    return -1;
                }
                return i + 2;
            }
            if (parameter.kind() != TokenKind.IDENTIFIER) {
                error(parameter.location(), "expected a parameter name in macro parameter list, found " + parameter);
                return -1;
            }
            if (parameter.text().equals("__VA_ARGS__") || !seen.add(parameter.text())) {
                error(parameter.location(), parameter.text().equals("__VA_ARGS__")
                        ? "'__VA_ARGS__' can only be used in the body of a variadic macro"
                        : "duplicate macro parameter '" + parameter.text() + "'");
                return -1;
            }
            parameters.add(parameter.text());
            i++;
            if (i < line.size() && line.get(i).is(")")) {
                return i + 1;
            }
            if (i >= line.size() || !line.get(i).is(",")) {
                SourceLocation where = i < line.size() ? line.get(i).token.location() : parameter.location();
                error(where, "expected ',' or ')' in macro parameter list");
                return -1;
            }
            i++;
        }
    }

    /** Checks the rules on {@code #} and {@code ##} in a replacement list (C11 6.10.3.2 and 6.10.3.3). */
    private boolean checkBody(Macro macro) {
        List<Token> body = macro.body();
        if (!body.isEmpty() && (body.getFirst().is("##") || body.getLast().is("##"))) {
            Token paste = body.getFirst().is("##") ? body.getFirst() : body.getLast();
            error(paste.location(), "'##' cannot appear at either end of a macro expansion");
            return false;
        }
        if (macro.kind() == Macro.Kind.FUNCTION_LIKE) {
            for (int i = 0; i < body.size(); i++) {
                if (body.get(i).is("#") && (i + 1 >= body.size() || macro.parameterIndex(body.get(i + 1)) < 0)) {
                    error(body.get(i).location(), "'#' is not followed by a macro parameter");
                    return false;
                }
            }
        }
        return true;
    }

    private void readUndef(PreprocessingToken directive) {
        List<PreprocessingToken> line = readLine();
        Token name = macroName(line, directive, "#undef");
        if (name != null) {
            macros.undefine(name.text());
        }
    }

    /**
     * Returns the macro name that starts a {@code #define}, {@code #undef}, {@code #ifdef} or
     * {@code #ifndef} line, or null after reporting an error. A name alone is required on all but
     * {@code #define}.
     */
    private Token macroName(List<PreprocessingToken> line, PreprocessingToken directive, String directiveName) {
        if (line.isEmpty()) {
            error(directive.token.location(), "no macro name given in '" + directiveName + "' directive");
            return null;
        }
        Token name = line.get(0).token;
        if (name.kind() != TokenKind.IDENTIFIER) {
            error(name.location(), "macro names must be identifiers, found " + name);
            return null;
        }
        if (!directiveName.equals("#define") && line.size() > 1) {
            error(line.get(1).token.location(), "extra tokens at end of '" + directiveName + "' directive");
        }
        return name;
    }

    // Conditional inclusion

    private void readIf(PreprocessingToken directive) {
        boolean value = evaluateCondition(directive, readLine());
        conditionals.push(new Conditional(directive.token, directive.file, value));
        if (!value) {
            skipGroup();
        }
    }

    private void readIfdef(PreprocessingToken directive) {
        String directiveName = "#" + directive.token.text();
        Token name = macroName(readLine(), directive, directiveName);
        boolean defined = name != null && macros.lookup(name.text()) != null;
        boolean value = directiveName.equals("#ifdef") == defined && name != null;
        conditionals.push(new Conditional(directive.token, directive.file, value));
        if (!value) {
            skipGroup();
        }
    }

    private void readElif(PreprocessingToken directive) {
        List<PreprocessingToken> line = readLine();
        Conditional group = currentGroup(directive);
        if (group == null) {
            return;
        }
        if (group.inElse) {
            error(directive.token.location(), "'#elif' after '#else'");
        }
        // A later branch is not evaluated once one is taken, so it may use undefined macros freely.
        if (group.branchTaken) {
            skipGroup();
            return;
        }
        if (evaluateCondition(directive, line)) {
            group.branchTaken = true;
        } else {
            skipGroup();
        }
    }

    private void readElse(PreprocessingToken directive) {
        checkNoExtraTokens(directive, readLine());
        Conditional group = currentGroup(directive);
        if (group == null) {
            return;
        }
        if (group.inElse) {
            error(directive.token.location(), "'#else' after '#else'");
        }
        group.inElse = true;
        if (group.branchTaken) {
            skipGroup();
        } else {
            group.branchTaken = true;
        }
    }

    private void readEndif(PreprocessingToken directive) {
        checkNoExtraTokens(directive, readLine());
        if (currentGroup(directive) != null) {
            conditionals.pop();
        }
    }

    /** Returns the innermost open group of the directive's file, or null after reporting that there is none. */
    private Conditional currentGroup(PreprocessingToken directive) {
        Conditional group = conditionals.peek();
        if (group == null || group.file != directive.file) {
            error(directive.token.location(), "'#" + directive.token.text() + "' without '#if'");
            return null;
        }
        return group;
    }

    private void checkNoExtraTokens(PreprocessingToken directive, List<PreprocessingToken> line) {
        if (!line.isEmpty()) {
            error(line.get(0).token.location(), "extra tokens at end of '#" + directive.token.text() + "' directive");
        }
    }

    /**
     * Skips the tokens of a group whose condition is false, up to the {@code #elif}, {@code #else}
     * or {@code #endif} that ends it, which is left to be read next. Nested conditional groups are
     * skipped whole, and other directives are not interpreted.
     */
    private void skipGroup() {
        input.setSkipping(true);
        int depth = 0;
        while (input.peek().kind() != TokenKind.EOF) {
            PreprocessingToken token = input.peek();
            PreprocessingToken name = token.startsDirective() ? input.peekSecond() : null;
            if (name != null && !name.token.atLineStart()) {
                String directive = name.token.text();
                if (directive.equals("if") || directive.equals("ifdef") || directive.equals("ifndef")) {
                    depth++;
                } else if (depth == 0 && (directive.equals("elif") || directive.equals("else") || directive.equals("endif"))) {
                    break;
                } else if (directive.equals("endif")) {
                    depth--;
                }
            }
            input.next();
        }
        input.setSkipping(false);
    }

    /** Evaluates the condition of {@code #if} or {@code #elif}: {@code defined} first, then macros, then the expression. */
    private boolean evaluateCondition(PreprocessingToken directive, List<PreprocessingToken> line) {
        String directiveName = "#" + directive.token.text();
        if (line.isEmpty()) {
            error(directive.token.location(), "'" + directiveName + "' with no expression");
            return false;
        }
        List<PreprocessingToken> replaced = replaceDefined(line);
        if (replaced == null) {
            return false;
        }
        List<PreprocessingToken> expandedLine = macros.expandAll(replaced);
        if (limits.exceeded()) {
            // The line may be cut short, so evaluating it would report errors that are not there.
            return false;
        }
        List<Token> expanded = new ArrayList<>();
        for (PreprocessingToken token : expandedLine) {
            reportDeferredErrors(token);
            expanded.add(token.token);
        }
        return IfExpression.evaluate(expanded, directiveName, directive.token.location(), sink);
    }

    /** Replaces {@code defined X} and {@code defined(X)} with 1 or 0, or returns null after reporting an error. */
    private List<PreprocessingToken> replaceDefined(List<PreprocessingToken> line) {
        List<PreprocessingToken> result = new ArrayList<>();
        for (int i = 0; i < line.size(); i++) {
            PreprocessingToken token = line.get(i);
            if (!token.is("defined")) {
                result.add(token);
                continue;
            }
            boolean parenthesized = i + 1 < line.size() && line.get(i + 1).is("(");
            int nameIndex = parenthesized ? i + 2 : i + 1;
            if (nameIndex >= line.size() || line.get(nameIndex).kind() != TokenKind.IDENTIFIER) {
                error(token.token.location(), "operator 'defined' requires an identifier");
                return null;
            }
            Token name = line.get(nameIndex).token;
            i = nameIndex;
            if (parenthesized) {
                if (i + 1 >= line.size() || !line.get(i + 1).is(")")) {
                    error(name.location(), "missing ')' after 'defined(" + name.text() + "'");
                    return null;
                }
                i++;
            }
            boolean defined = macros.lookup(name.text()) != null;
            Token value = new Token(
                    TokenKind.INTEGER, defined ? "1" : "0", token.token.location(), defined ? 1 : 0, "", true, null,
                    token.token.precededBySpace(), false);
            result.add(token.withToken(value));
        }
        return result;
    }

    // Output

    /** Joins adjacent string literals into one (C11 5.1.1.2, translation phase 6), located at the first. */
    private static List<Token> concatenateStrings(List<Token> tokens) {
        List<Token> result = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            Token first = tokens.get(i);
            if (first.kind() != TokenKind.STRING || i + 1 >= tokens.size() || tokens.get(i + 1).kind() != TokenKind.STRING) {
                result.add(first);
                continue;
            }
            StringBuilder text = new StringBuilder(first.text());
            StringBuilder value = new StringBuilder(first.stringValue());
            Token last = first;
            while (i + 1 < tokens.size() && tokens.get(i + 1).kind() == TokenKind.STRING) {
                last = tokens.get(++i);
                text.append(' ').append(last.text());
                value.append(last.stringValue());
            }
            result.add(new Token(
                    TokenKind.STRING, text.toString(), first.location().to(last.location()), 0, "", false,
                    value.toString(), first.precededBySpace(), first.atLineStart()));
        }
        return result;
    }

    /** Returns the spelling of {@code tokens}, with one space where the source had white space. */
    private static String spell(List<PreprocessingToken> tokens) {
        StringBuilder text = new StringBuilder();
        for (PreprocessingToken token : tokens) {
            if (!text.isEmpty() && token.token.precededBySpace()) {
                text.append(' ');
            }
            text.append(token.token.text());
        }
        return text.toString();
    }

    private void error(SourceLocation location, String message) {
        sink.report(Diagnostic.Kind.PREPROCESSOR, location, message);
    }
}
