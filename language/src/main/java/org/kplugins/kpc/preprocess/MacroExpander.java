// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceFile;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Lexer;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;
import org.kplugins.kpc.preprocess.PreprocessingToken.Role;

/**
 * The macro table and the expansion of macro uses (C11 6.10.3).
 *
 * <p>An expansion replaces the macro use at the front of the {@link TokenInput} with the
 * substituted replacement list, and the preprocessor then rescans it together with the tokens that
 * follow. Tokens from the replacement list take the location of the macro use, spanning from the
 * macro name to the closing parenthesis. Tokens that come from an argument keep their own
 * location, so an error in an argument points at the argument.
 *
 * <p>Every token an expansion produces counts against the {@link PreprocessingLimits} of the
 * translation unit. Once a limit is exceeded, no macro is expanded any more.
 */
final class MacroExpander {
    private final Map<String, Macro> macros = new HashMap<>();
    private final TokenInput input;
    private final DiagnosticSink sink;
    /** The deferred lexical errors of invalid numbers read from files, by token identity (see {@link PreprocessingToken#deferredErrors}). */
    private final Map<Token, List<Diagnostic>> numberErrors;
    private final PreprocessingLimits limits;
    /**
     * The macro use written in the source, directly or as a macro argument, whose expansion is in
     * progress. A limit error names it, because the tokens that reach the limit come from it.
     */
    private PreprocessingToken sourceUse;

    MacroExpander(TokenInput input, DiagnosticSink sink, Map<Token, List<Diagnostic>> numberErrors,
            PreprocessingLimits limits) {
        this.input = input;
        this.sink = sink;
        this.numberErrors = numberErrors;
        this.limits = limits;
        macros.put("__FILE__", new Macro("__FILE__", Macro.Kind.FILE, List.of(), false, List.of(), null));
        macros.put("__LINE__", new Macro("__LINE__", Macro.Kind.LINE, List.of(), false, List.of(), null));
    }

    Macro lookup(String name) {
        return macros.get(name);
    }

    void define(Macro macro) {
        macros.put(macro.name(), macro);
    }

    void undefine(String name) {
        macros.remove(name);
    }

    /**
     * Expands {@code token} if it names a macro that may expand here: the name is not in the
     * token's hide set, and a function-like macro name is followed by {@code (}. The expansion
     * goes to the front of the input. Returns false, and reads nothing, if the token is not
     * expanded. After a limit of {@link PreprocessingLimits} is exceeded, it expands nothing.
     */
    boolean expand(PreprocessingToken token) {
        if (token.role != Role.ORDINARY || token.kind() != TokenKind.IDENTIFIER || limits.exceeded()) {
            return false;
        }
        Macro macro = macros.get(token.token.text());
        if (macro == null || token.hideSet.contains(macro.name())) {
            return false;
        }
        if (token.hideSet.isEmpty()) {
            // Every token that an expansion produces has the macro's name in its hide set, so
            // this one was written in the source.
            sourceUse = token;
        }

        SourceLocation use = token.token.location();
        switch (macro.kind()) {
            case FILE -> {
                if (!spendTokens(1)) {
                    return true;
                }
                String quoted = "\"" + escape(use.file().presumedName(use.line())) + "\"";
                input.pushFront(List.of(producedToken(relexOne(quoted, use), token)));
                return true;
            }
            case LINE -> {
                if (!spendTokens(1)) {
                    return true;
                }
                int presumed = use.file().presumedLine(use.line());
                Token line = new Token(
                        TokenKind.INTEGER, Integer.toString(presumed), use, presumed, "", true, null,
                        token.token.precededBySpace(), false);
                input.pushFront(List.of(producedToken(line, token)));
                return true;
            }
            case OBJECT_LIKE -> {
                Set<String> hideSet = PreprocessingToken.union(token.hideSet, Set.of(macro.name()));
                List<PreprocessingToken> body = substitute(macro, List.of(), token, use);
                if (body != null) {
                    input.pushFront(addHideSet(body, hideSet));
                }
                return true;
            }
            case FUNCTION_LIKE -> {
                PreprocessingToken next = input.peek();
                if (next == null || !next.is("(")) {
                    return false;
                }
                input.next();
                return expandFunctionLike(macro, token);
            }
            default -> throw new IllegalStateException("unknown macro kind " + macro.kind());
        }
    }

    /** Expands a function-like macro whose name and {@code (} have been read. */
    private boolean expandFunctionLike(Macro macro, PreprocessingToken name) {
        List<List<PreprocessingToken>> arguments = new ArrayList<>();
        List<PreprocessingToken> current = new ArrayList<>();
        int depth = 0;
        PreprocessingToken closing;
        while (true) {
            PreprocessingToken next = input.peek();
            if (next.kind() == TokenKind.EOF) {
                // An argument list does not continue past the end of its file.
                error(name.token.location(), "unterminated argument list invoking macro '" + macro.name() + "'");
                return true;
            }
            input.next();
            if (depth == 0 && next.is(")")) {
                arguments.add(current);
                closing = next;
                break;
            }
            boolean inVariableArguments = macro.variadic() && arguments.size() == macro.parameters().size();
            if (depth == 0 && next.is(",") && !inVariableArguments) {
                arguments.add(current);
                current = new ArrayList<>();
                continue;
            }
            if (next.is("(")) {
                depth++;
            } else if (next.is(")")) {
                depth--;
            }
            current.add(next);
        }

        if (!checkArgumentCount(macro, name, arguments)) {
            return true;
        }
        SourceLocation use = name.token.location().to(closing.token.location());
        Set<String> hideSet = PreprocessingToken.union(
                PreprocessingToken.intersection(name.hideSet, closing.hideSet), Set.of(macro.name()));
        List<PreprocessingToken> body = substitute(macro, arguments, name, use);
        if (body != null) {
            input.pushFront(addHideSet(body, hideSet));
        }
        return true;
    }

    /**
     * Checks the number of arguments, and adds the empty argument that {@code F()} leaves out for
     * a macro with no parameters or with only {@code ...}.
     */
    private boolean checkArgumentCount(Macro macro, PreprocessingToken name, List<List<PreprocessingToken>> arguments) {
        int named = macro.parameters().size();
        if (named == 0 && !macro.variadic() && arguments.size() == 1 && arguments.get(0).isEmpty()) {
            arguments.clear();
        }
        if (macro.variadic() && arguments.size() == named) {
            arguments.add(new ArrayList<>());
        }
        int expected = macro.variadic() ? named + 1 : named;
        if (arguments.size() == expected) {
            return true;
        }
        int given = arguments.size();
        String requirement = macro.variadic() ? "at least " + plural(named, "argument") : plural(named, "argument");
        error(name.token.location(),
                "macro '" + macro.name() + "' requires " + requirement + ", but " + given + " given");
        return false;
    }

    /**
     * Returns the replacement list of {@code macro} with its parameters replaced (C11 6.10.3.1 to
     * 6.10.3.3): {@code #param} becomes a string literal, a parameter next to {@code ##} becomes
     * the argument as written, any other parameter becomes the fully expanded argument, and then
     * {@code ##} pastes its neighbors. Returns null when the tokens or characters it produces
     * exceed a limit of {@link PreprocessingLimits}, which is then reported.
     */
    private List<PreprocessingToken> substitute(
            Macro macro, List<List<PreprocessingToken>> arguments, PreprocessingToken name, SourceLocation use) {
        List<Token> body = macro.body();
        List<PreprocessingToken> sequence = new ArrayList<>();
        Map<Integer, List<PreprocessingToken>> expandedArguments = new HashMap<>();

        for (int i = 0; i < body.size(); i++) {
            Token token = body.get(i);
            boolean nextToPaste = (i > 0 && body.get(i - 1).is("##")) || (i + 1 < body.size() && body.get(i + 1).is("##"));

            if (macro.kind() == Macro.Kind.FUNCTION_LIKE && token.is("#") && i + 1 < body.size()) {
                int parameter = macro.parameterIndex(body.get(i + 1));
                if (parameter >= 0) {
                    String spelling = stringize(arguments.get(parameter));
                    if (spelling == null || !spendTokens(1)) {
                        return null;
                    }
                    Token string = relexOne(spelling, use);
                    Token placed = PreprocessingToken.relocate(string, use, token.precededBySpace());
                    sequence.add(new PreprocessingToken(placed, Set.of(), null, Role.ORDINARY, List.of()));
                    i++;
                    continue;
                }
            }
            if (token.is("##")) {
                boolean afterComma = macro.variadic() && body.get(i - 1).is(",")
                        && macro.parameterIndex(body.get(i + 1)) == macro.parameters().size();
                sequence.add(PreprocessingToken.marker(afterComma ? Role.PASTE_AFTER_COMMA : Role.PASTE, use));
                continue;
            }
            int parameter = macro.parameterIndex(token);
            if (parameter < 0) {
                if (!spendTokens(1)) {
                    return null;
                }
                sequence.add(bodyToken(token, use, token.precededBySpace()));
            } else if (nextToPaste) {
                List<PreprocessingToken> argument = arguments.get(parameter);
                if (!spendTokens(argument.size())) {
                    return null;
                }
                if (argument.isEmpty()) {
                    sequence.add(PreprocessingToken.marker(Role.PLACEMARKER, use));
                }
                for (PreprocessingToken argumentToken : argument) {
                    sequence.add(argumentToken.expandedCopy(Set.of()));
                }
            } else {
                List<PreprocessingToken> expanded =
                        expandedArguments.computeIfAbsent(parameter, index -> expandArgument(arguments.get(index)));
                if (!spendTokens(expanded.size())) {
                    return null;
                }
                sequence.addAll(expanded);
            }
        }

        List<PreprocessingToken> result = paste(sequence, use);
        if (result == null) {
            return null;
        }
        if (!result.isEmpty()) {
            PreprocessingToken first = result.get(0);
            result.set(0, first.withToken(PreprocessingToken.relocate(
                    first.token, first.token.location(), name.token.precededBySpace())));
        }
        return result;
    }

    /**
     * Applies the {@code ##} operators in {@code sequence} from left to right and removes
     * placemarkers. Returns null when the pasted text exceeds a limit of {@link PreprocessingLimits}.
     */
    private List<PreprocessingToken> paste(List<PreprocessingToken> sequence, SourceLocation use) {
        List<PreprocessingToken> result = new ArrayList<>();
        for (int i = 0; i < sequence.size(); i++) {
            PreprocessingToken token = sequence.get(i);
            if (token.role != Role.PASTE && token.role != Role.PASTE_AFTER_COMMA) {
                result.add(token);
                continue;
            }
            // The definition check guarantees an operand on each side of every ##.
            PreprocessingToken left = result.removeLast();
            PreprocessingToken right = sequence.get(++i);
            if (token.role == Role.PASTE_AFTER_COMMA) {
                if (right.role != Role.PLACEMARKER) {
                    result.add(left);
                    result.add(right);
                }
            } else if (left.role == Role.PLACEMARKER) {
                result.add(right);
            } else if (right.role == Role.PLACEMARKER) {
                result.add(left);
            } else {
                List<PreprocessingToken> pasted = pasteTwo(left, right, use);
                if (pasted == null) {
                    return null;
                }
                result.addAll(pasted);
            }
        }
        result.removeIf(token -> token.role == Role.PLACEMARKER);
        return result;
    }

    /**
     * Pastes two tokens into one. If the result is not one valid token, it reports an error and
     * keeps both. Returns null when the pasted text exceeds a limit of {@link PreprocessingLimits}.
     */
    private List<PreprocessingToken> pasteTwo(PreprocessingToken left, PreprocessingToken right, SourceLocation use) {
        if (!spendCreatedCharacters(left.token.text().length() + (long) right.token.text().length())) {
            return null;
        }
        String text = left.token.text() + right.token.text();
        DiagnosticSink scratchSink = new DiagnosticSink();
        List<Token> tokens = new Lexer(new SourceFile("<paste>", text, null), scratchSink).tokenize();
        if (tokens.size() != 2) {
            error(use, "pasting '" + left.token.text() + "' and '" + right.token.text()
                    + "' does not give a valid preprocessing token");
            return List.of(left, right);
        }
        for (Diagnostic diagnostic : scratchSink.diagnostics()) {
            sink.report(diagnostic.kind(), use, diagnostic.message());
        }
        Token pasted = PreprocessingToken.relocate(tokens.get(0), use, left.token.precededBySpace());
        return List.of(new PreprocessingToken(
                pasted, PreprocessingToken.intersection(left.hideSet, right.hideSet), null, Role.ORDINARY, List.of()));
    }

    /**
     * Returns {@code tokens} fully macro-expanded on their own, as C expands the line of an
     * {@code #if} or {@code #include}. A function-like macro name at the end does not reach past
     * the list for its arguments. When a limit of {@link PreprocessingLimits} is exceeded, the
     * rest of the list is returned unexpanded.
     */
    List<PreprocessingToken> expandAll(List<PreprocessingToken> tokens) {
        ArrayDeque<PreprocessingToken> isolated = new ArrayDeque<>();
        for (PreprocessingToken token : tokens) {
            isolated.addLast(token.expandedCopy(Set.of()));
        }
        SourceLocation end = tokens.isEmpty() ? null : tokens.getLast().token.location();
        isolated.addLast(PreprocessingToken.marker(Role.END_OF_LIST, end));

        ArrayDeque<PreprocessingToken> saved = input.swap(isolated);
        List<PreprocessingToken> result = new ArrayList<>();
        while (true) {
            PreprocessingToken token = input.next();
            if (token.role == Role.END_OF_LIST) {
                break;
            }
            if (!expand(token)) {
                result.add(token);
            }
        }
        input.swap(saved);
        return result;
    }

    /**
     * Returns a macro argument fully macro-expanded, as C expands it before substitution. A macro
     * use written in the argument is named in a limit error only while the argument is expanded.
     */
    private List<PreprocessingToken> expandArgument(List<PreprocessingToken> argument) {
        PreprocessingToken enclosingUse = sourceUse;
        List<PreprocessingToken> expanded = expandAll(argument);
        sourceUse = enclosingUse;
        return expanded;
    }

    /**
     * Returns the spelling of the string literal that {@code #} makes of an argument (C11
     * 6.10.3.2), or null when its length exceeds a limit of {@link PreprocessingLimits}.
     */
    private String stringize(List<PreprocessingToken> argument) {
        StringBuilder text = new StringBuilder("\"");
        for (int i = 0; i < argument.size(); i++) {
            Token token = argument.get(i).token;
            boolean literal = token.kind() == TokenKind.STRING || token.kind() == TokenKind.CHARACTER;
            String part = literal ? escape(token.text()) : token.text();
            if (!spendCreatedCharacters(part.length() + 1L)) {
                return null;
            }
            if (i > 0 && token.precededBySpace()) {
                text.append(' ');
            }
            text.append(part);
        }
        return text.append('"').toString();
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Lexes text that is known to form one token, such as a stringized argument, and places it at {@code use}. */
    private Token relexOne(String text, SourceLocation use) {
        DiagnosticSink scratchSink = new DiagnosticSink();
        Token token = new Lexer(new SourceFile("<macro>", text, null), scratchSink).tokenize().get(0);
        for (Diagnostic diagnostic : scratchSink.diagnostics()) {
            sink.report(diagnostic.kind(), use, diagnostic.message());
        }
        return PreprocessingToken.relocate(token, use, false);
    }

    private PreprocessingToken bodyToken(Token token, SourceLocation use, boolean precededBySpace) {
        Token placed = PreprocessingToken.relocate(token, use, precededBySpace);
        return new PreprocessingToken(placed, Set.of(), null, Role.ORDINARY, numberErrors.getOrDefault(token, List.of()));
    }

    private static PreprocessingToken producedToken(Token token, PreprocessingToken use) {
        Token placed = PreprocessingToken.relocate(token, token.location(), use.token.precededBySpace());
        return new PreprocessingToken(placed, use.hideSet, null, Role.ORDINARY, List.of());
    }

    private static List<PreprocessingToken> addHideSet(List<PreprocessingToken> tokens, Set<String> hideSet) {
        List<PreprocessingToken> result = new ArrayList<>(tokens.size());
        for (PreprocessingToken token : tokens) {
            result.add(token.expandedCopy(hideSet));
        }
        return result;
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private boolean spendTokens(long count) {
        return limits.spendTokens(count, sourceUse.token.location(), this::describeSourceUse);
    }

    private boolean spendCreatedCharacters(long count) {
        return limits.spendCreatedCharacters(count, sourceUse.token.location(), this::describeSourceUse);
    }

    private String describeSourceUse() {
        return "macro expansion of '" + sourceUse.token.text() + "'";
    }

    private void error(SourceLocation location, String message) {
        sink.report(Diagnostic.Kind.PREPROCESSOR, location, message);
    }
}
