// SPDX-License-Identifier: Apache-2.0
package org.kplugins.tck;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.tck.ResultVerifier;
import org.graalvm.polyglot.tck.TypeDescriptor;

/** Result verifiers of the KPC snippets. Each one rethrows every exception it does not expect. */
final class Verifiers {

    private Verifiers() {
    }

    /**
     * Checks the result type as the TCK's default verifier does. An exception passes through,
     * as the TCK expects, when an argument lies outside its parameter's declared type. Otherwise
     * the verifier hides an exception only when an argument is one that KPC rejects for its
     * parameter, or when the exception is a plugin fault whose kind {@code allowedFaults} accepts
     * (such as a division by zero).
     *
     * @param types the declared parameter types
     * @param rules one rule per parameter: whether KPC converts the value
     */
    static ResultVerifier arguments(List<TypeDescriptor> types, List<Predicate<Value>> rules,
                    Predicate<String> allowedFaults) {
        return run -> {
            PolyglotException exception = run.getException();
            if (exception == null) {
                ResultVerifier.getDefaultResultVerifier().accept(run);
                return;
            }
            List<? extends Value> values = run.getParameters();
            for (int i = 0; i < values.size(); i++) {
                if (!types.get(i).isAssignable(declaredType(values.get(i)))) {
                    throw exception;
                }
            }
            for (int i = 0; i < values.size(); i++) {
                if (!rules.get(i).test(values.get(i))) {
                    return;
                }
            }
            String kind = faultKind(exception);
            if (kind != null && allowedFaults.test(kind)) {
                return;
            }
            throw exception;
        };
    }

    /**
     * The identity function's verifier. A number that fits in 64 bits comes back unchanged and
     * passes the TCK's identity check. A larger integral number, such as a BigInteger beyond
     * 64 bits, comes back as its low 64 bits, as C converts it to long long, so only the result's
     * type is checked for it. A number that is not integral, such as 0.1, NaN or -0.0, is
     * rejected with an argument error, as for every integer parameter.
     */
    static ResultVerifier identity() {
        return run -> {
            Value argument = run.getParameters().get(0);
            if (run.getException() != null && !ArgumentRules.acceptsInteger(argument)) {
                return;
            }
            if (run.getException() != null || argument.fitsInLong()) {
                ResultVerifier.getIdentityFunctionDefaultResultVerifier().accept(run);
                if (run.getResult().asLong() != argument.asLong()) {
                    throw new AssertionError("identity returned " + run.getResult() + " for " + argument);
                }
            } else if (!run.getResult().fitsInLong()) {
                throw new AssertionError("identity returned " + run.getResult() + " for " + argument
                                + ", expected its low 64 bits");
            }
        };
    }

    /**
     * A script's verifier: the script returns exactly {@code expected}, a Long or a Double (compared
     * bit for bit), or null when it is null.
     */
    static ResultVerifier scriptResult(Number expected) {
        return run -> {
            if (run.getException() != null) {
                throw run.getException();
            }
            Value result = run.getResult();
            boolean matches = switch (expected) {
                case null -> result.isNull();
                case Double d -> result.fitsInDouble()
                                && Double.doubleToRawLongBits(result.asDouble()) == Double.doubleToRawLongBits(d);
                default -> result.fitsInLong() && result.asLong() == expected.longValue();
            };
            if (!matches) {
                throw new AssertionError("script returned " + result + ", expected " + expected);
            }
        };
    }

    /**
     * Returns the type that the TCK gives {@code value} when it picks the values for a parameter.
     * That is the type its provider declared, which is the type of the value itself except for a
     * host Java array: the host provider declares it as an array of its elements, while the value
     * also has members (such as {@code length}), which makes it an object too.
     */
    static TypeDescriptor declaredType(Value value) {
        if (!value.isHostObject() || !value.asHostObject().getClass().isArray()) {
            return TypeDescriptor.forValue(value);
        }
        Set<TypeDescriptor> elementTypes = new LinkedHashSet<>();
        for (long i = 0; i < value.getArraySize(); i++) {
            elementTypes.add(TypeDescriptor.forValue(value.getArrayElement(i)));
        }
        TypeDescriptor element = switch (elementTypes.size()) {
            case 0 -> TypeDescriptor.ANY;
            case 1 -> elementTypes.iterator().next();
            default -> TypeDescriptor.union(elementTypes.toArray(new TypeDescriptor[0]));
        };
        return TypeDescriptor.array(element);
    }

    /** Returns the fault kind of a plugin fault, such as {@code DIVIDE_ERROR}, or null for another exception. */
    static String faultKind(PolyglotException exception) {
        if (!exception.isGuestException()) {
            return null;
        }
        Value guest = exception.getGuestObject();
        if (guest == null || !guest.hasMember("kind")) {
            return null;
        }
        return guest.getMember("kind").asString();
    }
}
