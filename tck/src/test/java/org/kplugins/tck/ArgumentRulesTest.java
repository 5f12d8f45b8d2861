// SPDX-License-Identifier: Apache-2.0
package org.kplugins.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;
import org.kplugins.tck.ArgumentRules.Pointee;

/**
 * The TCK verifiers hide an argument error only where {@link ArgumentRules} says KPC rejects the
 * value, so the rules must match what KPC does. This runs KPC functions with each kind of
 * parameter on host values of every shape and compares.
 */
class ArgumentRulesTest {

    private static final String PLUGIN = """
            struct opaque { int x; };
            int integer(long long a) { return 0; }
            int any_pointer(const struct opaque *p) { return 0; }
            int char_pointer(const char *p) { return 0; }
            int int_pointer(const int *p) { return 0; }
            int floating(double a) { return 0; }
            int single(float a) { return 0; }
            int function_pointer(int (*f)(int)) { return 0; }
            """;

    private static final List<Object> VALUES = List.of(true, (byte) 1, 42, -7L, 1.0, 1.5, Double.NaN,
                    Double.NEGATIVE_INFINITY, -0.0, 0.1f, Double.MIN_VALUE, BigInteger.ONE.shiftLeft(70),
                    BigInteger.ONE.shiftLeft(1100), "text", 'c', new int[]{1, 2}, new Object[]{1, "x"},
                    List.of(1, 2), ByteBuffer.wrap(new byte[]{1, 2}), new byte[]{3}, Map.of("a", 1), new Object());

    @Test
    void rulesMatchKpc() {
        try (Context context = Context.newBuilder().allowAllAccess(true)
                        .option("engine.WarnInterpreterOnly", "false").build()) {
            Value plugin = context.eval("kpc", PLUGIN);
            for (Object host : VALUES) {
                Value value = context.asValue(host);
                String name = host.getClass().getSimpleName() + " " + value;
                assertEquals(ArgumentRules.acceptsInteger(value), accepts(plugin, "integer", value), "long long: " + name);
                assertEquals(ArgumentRules.acceptsPointer(value, Pointee.OTHER), accepts(plugin, "any_pointer", value),
                                "struct pointer: " + name);
                assertEquals(ArgumentRules.acceptsPointer(value, Pointee.CHAR), accepts(plugin, "char_pointer", value),
                                "char pointer: " + name);
                assertEquals(ArgumentRules.acceptsPointer(value, Pointee.INTEGER), accepts(plugin, "int_pointer", value),
                                "int pointer: " + name);
                assertEquals(ArgumentRules.acceptsFloating(value), accepts(plugin, "floating", value), "double: " + name);
                assertEquals(ArgumentRules.acceptsFloating(value), accepts(plugin, "single", value), "float: " + name);
                assertEquals(ArgumentRules.acceptsPointer(value, Pointee.OTHER), accepts(plugin, "function_pointer", value),
                                "function pointer: " + name);
            }
        }
    }

    private static boolean accepts(Value plugin, String function, Value argument) {
        try {
            plugin.invokeMember(function, argument);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        } catch (PolyglotException e) {
            throw new AssertionError(function + " faulted on " + argument, e);
        }
    }
}
