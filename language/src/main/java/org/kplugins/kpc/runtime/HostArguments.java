// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.TruffleLanguage.Env;
import com.oracle.truffle.api.interop.ArityException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.InvalidArrayIndexException;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.kplugins.kpc.KpcContext;
import org.kplugins.kpc.nodes.call.KpcHostFunctionCallNode;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FloatingArithmetic;
import org.kplugins.kpc.types.FloatingType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;

/**
 * Converts between host values and the C values of an exported function's parameters and result.
 *
 * <p>Arguments, by parameter type:
 * <ul>
 *   <li>integer: a number that fits in 64 bits, or a boolean (1 or 0), converted to the parameter
 *       type as a C cast does; _Bool takes any nonzero number as 1. An interop pointer is rejected,
 *       because the host passes an address for an integer as a number;
 *   <li>float and double: a number. A Java float or double, and an integer that the type
 *       represents exactly, keeps its value; another integer, BigInteger included, is rounded to
 *       nearest as C converts a long long, and a double passed for a float is rounded to float as
 *       a C cast does. A floating value that is not a whole number is not accepted for an integer
 *       parameter: the host converts it first;
 *   <li>pointer: null is NULL, and a number or an interop pointer (such as a {@link KpcPointer} that
 *       a function returned) is a plugin address. A buffer (a host
 *       {@code ByteBuffer}, a host {@code byte[]} or any interop buffer) is mapped for the call,
 *       read-only when the pointee is const or the buffer is read-only, and a writable mapping is
 *       copied back after the call. A string, for a pointer to char, is mapped as NUL-terminated
 *       UTF-8 bytes. An array of strings, for {@code char **}, is mapped as a NULL-terminated
 *       argv array. An array of numbers, for a pointer to an integer type, is mapped as an array
 *       of that type and copied back like a buffer.
 * </ul>
 * {@code main(int argc, char **argv)} may be called without arguments, as {@code main(0, NULL)}.
 *
 * <p>Results: integer types up to 32 bits as Integer, except unsigned int and unsigned long,
 * which are Long so that values above INT_MAX stay positive; long long and unsigned long long as
 * Long (the latter in two's complement); float as Float and double as Double, with the same bits
 * (NaN payloads included); pointers as {@link KpcPointer}, whose {@code asPointer} is the plugin
 * address and which is also an interop null for NULL; void as an interop null.
 */
final class HostArguments {

    private HostArguments() {
    }

    static Object[] toFrameArguments(PluginInstance instance, FunctionEntry entry, Object[] arguments,
                    HostMappings mappings) throws ArityException, UnsupportedTypeException {
        List<CType> parameters = entry.type().parameterTypes();
        if (arguments.length == 0 && isMainWithArguments(entry)) {
            return new Object[]{instance, 0, 0};
        }
        if (arguments.length != parameters.size()) {
            throw ArityException.create(parameters.size(), parameters.size(), arguments.length);
        }
        Object[] frameArguments = new Object[arguments.length + 1];
        frameArguments[0] = instance;
        for (int i = 0; i < arguments.length; i++) {
            try {
                frameArguments[i + 1] = toCValue(parameters.get(i), arguments[i], mappings);
            } catch (UnsupportedMessageException e) {
                throw UnsupportedTypeException.create(arguments, "argument " + (i + 1) + " of " + entry.name()
                                + "() cannot be read as '" + parameters.get(i).spelling() + "'");
            } catch (UnsupportedTypeException e) {
                // Names the argument, and lists every argument of the call, not only the rejected one.
                throw UnsupportedTypeException.create(arguments, "argument " + (i + 1) + " of " + entry.name() + "(): "
                                + e.getMessage());
            }
        }
        return frameArguments;
    }

    private static boolean isMainWithArguments(FunctionEntry entry) {
        List<CType> parameters = entry.type().parameterTypes();
        return entry.name().equals("main") && parameters.size() == 2 && parameters.get(0).isInteger()
                        && parameters.get(1).isPointer();
    }

    private static Object toCValue(CType type, Object value, HostMappings mappings)
                    throws UnsupportedTypeException, UnsupportedMessageException {
        InteropLibrary interop = InteropLibrary.getUncached(value);
        if (type instanceof IntegerType integer) {
            return toInteger(integer, value, interop);
        }
        if (type instanceof FloatingType floating) {
            return toFloating(floating, value, interop);
        }
        if (type instanceof PointerType pointer) {
            return toPointer(pointer, value, interop, mappings);
        }
        throw UnsupportedTypeException.create(new Object[]{value},
                        "parameters of type '" + type.spelling() + "' cannot be passed from the host");
    }

    private static Object toInteger(IntegerType type, Object value, InteropLibrary interop)
                    throws UnsupportedTypeException, UnsupportedMessageException {
        long number;
        if (interop.isBoolean(value)) {
            number = interop.asBoolean(value) ? 1 : 0;
        } else if (interop.fitsInLong(value)) {
            number = interop.asLong(value);
        } else if (interop.fitsInBigInteger(value)) {
            number = interop.asBigInteger(value).longValue();
        } else if (interop.isPointer(value)) {
            throw UnsupportedTypeException.create(new Object[]{value}, "expected an integer or a boolean for a"
                            + " parameter of type '" + type.spelling() + "', got a pointer; to pass an address as an"
                            + " integer, pass it as a number, such as PluginBuffer.address()");
        } else {
            throw UnsupportedTypeException.create(new Object[]{value},
                            "expected an integer or a boolean for a parameter of type '" + type.spelling() + "'");
        }
        if (type.isBool()) {
            return number != 0 ? 1 : 0;
        }
        if (type.is64Bit()) {
            return number;
        }
        return switch (type.size()) {
            case 1 -> type.isSigned() ? (int) (byte) number : (int) number & 0xFF;
            case 2 -> type.isSigned() ? (int) (short) number : (int) number & 0xFFFF;
            default -> (int) number;
        };
    }

    /** Returns the bits of a float as Integer, or of a double as Long, the frame representation of these types. */
    private static Object toFloating(FloatingType type, Object value, InteropLibrary interop)
                    throws UnsupportedTypeException, UnsupportedMessageException {
        if (type.isDouble()) {
            double number;
            if (interop.fitsInDouble(value)) {
                number = interop.asDouble(value);
            } else if (interop.fitsInLong(value)) {
                number = interop.asLong(value);
            } else if (interop.fitsInBigInteger(value)) {
                number = interop.asBigInteger(value).doubleValue();
            } else {
                throw notANumber(type, value);
            }
            return Double.doubleToRawLongBits(number);
        }
        if (interop.fitsInFloat(value)) {
            return Float.floatToRawIntBits(interop.asFloat(value));
        }
        if (interop.fitsInDouble(value)) {
            return FloatingArithmetic.doubleToFloat(Double.doubleToRawLongBits(interop.asDouble(value)));
        }
        if (interop.fitsInLong(value)) {
            return Float.floatToRawIntBits(interop.asLong(value));
        }
        if (interop.fitsInBigInteger(value)) {
            return Float.floatToRawIntBits(interop.asBigInteger(value).floatValue());
        }
        throw notANumber(type, value);
    }

    private static UnsupportedTypeException notANumber(FloatingType type, Object value) {
        return UnsupportedTypeException.create(new Object[]{value},
                        "expected a number for a parameter of type '" + type.spelling() + "'");
    }

    private static Object toPointer(PointerType type, Object value, InteropLibrary interop, HostMappings mappings)
                    throws UnsupportedTypeException, UnsupportedMessageException {
        CType pointee = type.pointee();
        boolean writable = !pointee.isConst();
        if (interop.isNull(value)) {
            return 0;
        }
        if (interop.fitsInLong(value)) {
            return (int) interop.asLong(value);
        }
        if (interop.isPointer(value)) {
            return (int) interop.asPointer(value);
        }
        if (interop.isString(value) && isChar(pointee)) {
            return mappings.mapBytes(cString(interop.asString(value)), writable);
        }
        Object host = hostObject(value);
        if (interop.hasBufferElements(value) || host instanceof byte[] || host instanceof ByteBuffer) {
            // A ByteBuffer or byte[] the host passes itself is mapped even where its host access
            // policy hides buffer elements: passing it is the host's request to share it.
            return mappings.mapBuffer(value, host, interop, writable);
        }
        if (interop.hasArrayElements(value)) {
            if (pointee instanceof PointerType inner && isChar(inner.pointee())) {
                return mapArgv(value, interop, mappings, writable);
            }
            if (pointee instanceof IntegerType element) {
                return mappings.mapNumberArray(value, interop, element.size(), element.isSigned(), writable);
            }
        }
        String hint = host != null && host.getClass().isArray()
                        ? "; a Java array is readable only in a context built with"
                                        + " allowHostAccess(HostAccess.newBuilder().allowArrayAccess(true).build())"
                        : "";
        throw UnsupportedTypeException.create(new Object[]{value}, "expected NULL, an address, a pointer, a buffer,"
                        + " a string or an array for a parameter of type '" + type.spelling() + "'" + hint);
    }

    /** Maps an array of strings as C's argv: pointers to NUL-terminated strings, then a NULL pointer. */
    private static int mapArgv(Object value, InteropLibrary interop, HostMappings mappings, boolean writable)
                    throws UnsupportedTypeException, UnsupportedMessageException {
        long count = interop.getArraySize(value);
        if (count > 1 << 20) {
            throw UnsupportedTypeException.create(new Object[]{value}, "argv array of " + count + " strings is too large");
        }
        int[] addresses = new int[(int) count + 1];
        for (int i = 0; i < count; i++) {
            Object element;
            try {
                element = interop.readArrayElement(value, i);
            } catch (InvalidArrayIndexException e) {
                throw UnsupportedTypeException.create(new Object[]{value}, "array changed size while it was read");
            }
            InteropLibrary elementInterop = InteropLibrary.getUncached(element);
            if (!elementInterop.isString(element)) {
                throw UnsupportedTypeException.create(new Object[]{value}, "argv element " + i + " is not a string");
            }
            addresses[i] = mappings.mapBytes(cString(elementInterop.asString(element)), writable);
        }
        byte[] table = new byte[addresses.length * 4];
        for (int i = 0; i < addresses.length; i++) {
            for (int b = 0; b < 4; b++) {
                table[4 * i + b] = (byte) (addresses[i] >>> (8 * b));
            }
        }
        return mappings.mapBytes(table, writable);
    }

    private static boolean isChar(CType type) {
        return type instanceof IntegerType integer && integer.size() == 1 && !integer.isBool();
    }

    private static byte[] cString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, bytes, 0, utf8.length);
        return bytes;
    }

    /** Returns the Java object behind a host value, or null when the value is not a host object. */
    static Object hostObject(Object value) {
        Env env = KpcContext.get(null).env();
        return env.isHostObject(value) ? env.asHostObject(value) : null;
    }

    /**
     * Builds the frame arguments of a call whose arguments are all Integer or Long, converting each
     * to its parameter's type as a C cast does (codes of {@link KpcHostFunctionCallNode}). The caller
     * has checked that there are as many arguments as conversions.
     */
    @ExplodeLoop
    static Object[] toDirectFrameArguments(PluginInstance instance, Object[] arguments, int[] conversions) {
        // Sized by the compilation-final conversions, not by the host's array, so that the length
        // is a constant for the compiler, which can then keep the array and the boxed arguments
        // out of the heap when it inlines the callee.
        Object[] frameArguments = new Object[conversions.length + 1];
        frameArguments[0] = instance;
        for (int i = 0; i < conversions.length; i++) {
            Object argument = arguments[i];
            long number = argument instanceof Integer value ? value : (Long) argument;
            frameArguments[i + 1] = switch (conversions[i]) {
                case KpcHostFunctionCallNode.SIGNED_8 -> (int) (byte) number;
                case KpcHostFunctionCallNode.UNSIGNED_8 -> (int) number & 0xFF;
                case KpcHostFunctionCallNode.SIGNED_16 -> (int) (short) number;
                case KpcHostFunctionCallNode.UNSIGNED_16 -> (int) number & 0xFFFF;
                case KpcHostFunctionCallNode.BOOL -> number != 0 ? 1 : 0;
                case KpcHostFunctionCallNode.BITS_64 -> number;
                default -> (int) number;
            };
        }
        return frameArguments;
    }

    /** Converts the result of a direct call as {@link #toHostValue} does. */
    static Object toDirectHostValue(Object result, int conversion) {
        if (conversion == KpcHostFunctionCallNode.VOID) {
            return KpcNull.INSTANCE;
        }
        if (conversion == KpcHostFunctionCallNode.UNSIGNED_32) {
            return Integer.toUnsignedLong((Integer) result);
        }
        return result;
    }

    /** Converts a function's result from its frame representation to the value the host receives. */
    static Object toHostValue(CType returnType, Object result) {
        if (returnType.isVoid()) {
            return KpcNull.INSTANCE;
        }
        if (returnType instanceof IntegerType integer && !integer.isSigned() && integer.size() == 4) {
            return Integer.toUnsignedLong((Integer) result);
        }
        if (returnType instanceof FloatingType floating) {
            return floating.isDouble() ? (Object) Double.longBitsToDouble((Long) result)
                            : (Object) Float.intBitsToFloat((Integer) result);
        }
        if (returnType instanceof PointerType) {
            return new KpcPointer((Integer) result, null);
        }
        return result;
    }
}
