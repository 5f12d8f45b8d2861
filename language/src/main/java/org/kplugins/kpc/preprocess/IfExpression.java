// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.preprocess;

import java.util.List;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.kpc.lexer.Token;
import org.kplugins.kpc.lexer.TokenKind;

/**
 * Evaluates the controlling expression of {@code #if} and {@code #elif} (C11 6.10.1) after macro
 * expansion and {@code defined} have been applied.
 *
 * <p>Every value is an intmax_t or a uintmax_t, both 64 bits wide, and a floating constant is
 * an error, as C requires. An identifier that is left evaluates to 0. The usual arithmetic conversions apply, so an operation with one unsigned
 * operand is done unsigned, and comparisons and logical operators yield a signed 0 or 1. The
 * operand that {@code &&}, {@code ||} or {@code ?:} does not evaluate may divide by zero without
 * an error. A shift by a negative count or by 64 or more is undefined in C, so it follows the
 * preprocessor of gcc 12.2. A negative count shifts the other way. A count of 64 or more gives 0,
 * or -1 when a negative signed value is shifted right.
 */
final class IfExpression {
    /** A 64-bit value with its signedness. */
    private record Value(long bits, boolean unsigned) {
        static Value signed(long bits) {
            return new Value(bits, false);
        }

        boolean isTrue() {
            return bits != 0;
        }
    }

    /** Stops the evaluation at the first error, after which the directive counts as false. */
    private static final class ExpressionError extends Exception {
        private static final long serialVersionUID = 1L;
        final transient SourceLocation location;

        ExpressionError(SourceLocation location, String message) {
            super(message, null, false, false);
            this.location = location;
        }
    }

    /**
     * The deepest nesting of parentheses, unary operators and {@code ?:} that an expression may
     * have. The evaluator recurses once per level, so the limit keeps hostile input from
     * overflowing the Java stack. It matches the parser's limit for C expressions.
     */
    static final int MAX_NESTING = 256;

    private final List<Token> tokens;
    private final String directive;
    private final SourceLocation directiveLocation;
    private int position;
    private int nesting;

    private IfExpression(List<Token> tokens, String directive, SourceLocation directiveLocation) {
        this.tokens = tokens;
        this.directive = directive;
        this.directiveLocation = directiveLocation;
    }

    /**
     * Returns whether the expression is nonzero. An invalid expression is reported to
     * {@code sink} and counts as false.
     *
     * @param directive {@code #if} or {@code #elif}, for messages
     * @param directiveLocation where an error goes when the expression ends too early
     */
    static boolean evaluate(List<Token> tokens, String directive, SourceLocation directiveLocation, DiagnosticSink sink) {
        IfExpression expression = new IfExpression(tokens, directive, directiveLocation);
        try {
            Value value = expression.parseConditional(true);
            if (expression.position < tokens.size()) {
                Token extra = tokens.get(expression.position);
                throw new ExpressionError(extra.location(), "missing binary operator before " + extra + " in '" + directive + "'");
            }
            return value.isTrue();
        } catch (ExpressionError e) {
            sink.report(Diagnostic.Kind.PREPROCESSOR, e.location, e.getMessage());
            return false;
        }
    }

    private Value parseConditional(boolean evaluate) throws ExpressionError {
        Value condition = parseBinary(1, evaluate);
        if (position >= tokens.size() || !tokens.get(position).is("?")) {
            return condition;
        }
        enterNesting(tokens.get(position++).location());
        Value whenTrue = parseConditional(evaluate && condition.isTrue());
        expect(":");
        Value whenFalse = parseConditional(evaluate && !condition.isTrue());
        nesting--;
        boolean unsigned = whenTrue.unsigned() || whenFalse.unsigned();
        return new Value(condition.isTrue() ? whenTrue.bits() : whenFalse.bits(), unsigned);
    }

    /**
     * Counts one more level of nesting at {@code location}, or stops the evaluation when there
     * are too many. An error ends the whole evaluation, so the count is not unwound on errors.
     */
    private void enterNesting(SourceLocation location) throws ExpressionError {
        if (nesting >= MAX_NESTING) {
            throw new ExpressionError(location, "nesting too deep in '" + directive + "' expression: KPC allows at most "
                    + MAX_NESTING + " nested parentheses, unary operators and conditional operators");
        }
        nesting++;
    }

    /** Parses binary operators of precedence {@code minimum} and higher, by precedence climbing. */
    private Value parseBinary(int minimum, boolean evaluate) throws ExpressionError {
        Value left = parseUnary(evaluate);
        while (position < tokens.size()) {
            Token operator = tokens.get(position);
            int precedence = precedence(operator);
            if (precedence < minimum) {
                break;
            }
            position++;
            if (operator.is("&&")) {
                Value right = parseBinary(precedence + 1, evaluate && left.isTrue());
                left = Value.signed(left.isTrue() && right.isTrue() ? 1 : 0);
            } else if (operator.is("||")) {
                Value right = parseBinary(precedence + 1, evaluate && !left.isTrue());
                left = Value.signed(left.isTrue() || right.isTrue() ? 1 : 0);
            } else {
                Value right = parseBinary(precedence + 1, evaluate);
                left = apply(operator, left, right, evaluate);
            }
        }
        return left;
    }

    private static int precedence(Token operator) {
        if (operator.kind() != TokenKind.PUNCTUATOR) {
            return 0;
        }
        return switch (operator.text()) {
            case "||" -> 1;
            case "&&" -> 2;
            case "|" -> 3;
            case "^" -> 4;
            case "&" -> 5;
            case "==", "!=" -> 6;
            case "<", ">", "<=", ">=" -> 7;
            case "<<", ">>" -> 8;
            case "+", "-" -> 9;
            case "*", "/", "%" -> 10;
            default -> 0;
        };
    }

    private Value apply(Token operator, Value left, Value right, boolean evaluate) throws ExpressionError {
        boolean unsigned = left.unsigned() || right.unsigned();
        long a = left.bits();
        long b = right.bits();
        return switch (operator.text()) {
            case "|" -> new Value(a | b, unsigned);
            case "^" -> new Value(a ^ b, unsigned);
            case "&" -> new Value(a & b, unsigned);
            case "==" -> Value.signed(a == b ? 1 : 0);
            case "!=" -> Value.signed(a != b ? 1 : 0);
            case "<" -> Value.signed(compare(a, b, unsigned) < 0 ? 1 : 0);
            case ">" -> Value.signed(compare(a, b, unsigned) > 0 ? 1 : 0);
            case "<=" -> Value.signed(compare(a, b, unsigned) <= 0 ? 1 : 0);
            case ">=" -> Value.signed(compare(a, b, unsigned) >= 0 ? 1 : 0);
            case "<<" -> new Value(shift(left, right, true), left.unsigned());
            case ">>" -> new Value(shift(left, right, false), left.unsigned());
            case "+" -> new Value(a + b, unsigned);
            case "-" -> new Value(a - b, unsigned);
            case "*" -> new Value(a * b, unsigned);
            case "/", "%" -> divide(operator, a, b, unsigned, evaluate);
            default -> throw new IllegalStateException("not a binary operator: " + operator.text());
        };
    }

    private Value divide(Token operator, long a, long b, boolean unsigned, boolean evaluate) throws ExpressionError {
        if (b == 0) {
            if (evaluate) {
                throw new ExpressionError(operator.location(), "division by zero in '" + directive + "'");
            }
            return new Value(0, unsigned);
        }
        boolean quotient = operator.is("/");
        if (unsigned) {
            return new Value(quotient ? Long.divideUnsigned(a, b) : Long.remainderUnsigned(a, b), true);
        }
        // Java defines Long.MIN_VALUE / -1 as Long.MIN_VALUE, the wrapped two's complement result,
        // and the remainder as 0 (JLS 15.17.2 and 15.17.3), so neither throws.
        return Value.signed(quotient ? a / b : a % b);
    }

    private static int compare(long a, long b, boolean unsigned) {
        return unsigned ? Long.compareUnsigned(a, b) : Long.compare(a, b);
    }

    private static long shift(Value value, Value count, boolean left) {
        long amount = count.bits();
        if (!count.unsigned() && amount < 0) {
            left = !left;
            amount = -amount;
        }
        // A count that is still negative here is at least 2^63 as an unsigned value.
        if (amount < 0 || amount >= 64) {
            return left || value.unsigned() || value.bits() >= 0 ? 0 : -1;
        }
        if (left) {
            return value.bits() << amount;
        }
        return value.unsigned() ? value.bits() >>> amount : value.bits() >> amount;
    }

    /** Parses a unary expression. Each call is one nesting level, because parentheses and unary operators recurse through it. */
    private Value parseUnary(boolean evaluate) throws ExpressionError {
        enterNesting(position < tokens.size() ? tokens.get(position).location() : endLocation());
        Value value;
        if (accept("+")) {
            value = parseUnary(evaluate);
        } else if (accept("-")) {
            Value operand = parseUnary(evaluate);
            value = new Value(-operand.bits(), operand.unsigned());
        } else if (accept("~")) {
            Value operand = parseUnary(evaluate);
            value = new Value(~operand.bits(), operand.unsigned());
        } else if (accept("!")) {
            value = Value.signed(parseUnary(evaluate).isTrue() ? 0 : 1);
        } else {
            value = parsePrimary(evaluate);
        }
        nesting--;
        return value;
    }

    private Value parsePrimary(boolean evaluate) throws ExpressionError {
        if (position >= tokens.size()) {
            throw new ExpressionError(endLocation(), "expected a value in '" + directive + "' expression, found end of line");
        }
        Token token = tokens.get(position++);
        switch (token.kind()) {
            case INTEGER -> {
                // A constant that does not fit in intmax_t is a uintmax_t, as are u-suffixed ones.
                boolean unsigned = token.intSuffix().contains("u") || token.intValue() < 0;
                return new Value(token.intValue(), unsigned);
            }
            case CHARACTER -> {
                return Value.signed(token.intValue());
            }
            case FLOATING -> throw new ExpressionError(token.location(), "floating constant '" + token.text()
                    + "' in '" + directive + "' expression: the preprocessor evaluates only integer constants");
            case IDENTIFIER -> {
                return Value.signed(0);
            }
            case STRING -> throw new ExpressionError(
                    token.location(), "string literals are not valid in '" + directive + "' expressions");
            default -> {
                if (token.is("(")) {
                    Value value = parseConditional(evaluate);
                    expect(")");
                    return value;
                }
                throw new ExpressionError(
                        token.location(), "expected a value in '" + directive + "' expression, found " + token);
            }
        }
    }

    private boolean accept(String spelling) {
        if (position < tokens.size() && tokens.get(position).is(spelling)) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(String spelling) throws ExpressionError {
        if (accept(spelling)) {
            return;
        }
        if (position < tokens.size()) {
            Token found = tokens.get(position);
            throw new ExpressionError(found.location(),
                    "expected '" + spelling + "' in '" + directive + "' expression, found " + found);
        }
        throw new ExpressionError(endLocation(),
                "expected '" + spelling + "' in '" + directive + "' expression, found end of line");
    }

    /** Returns the location of the last token, or of the directive if there are no tokens. */
    private SourceLocation endLocation() {
        return tokens.isEmpty() ? directiveLocation : tokens.getLast().location();
    }
}
