// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.call;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.exception.AbstractTruffleException;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.graalvm.polyglot.PolyglotException;
import org.kplugins.kpc.KpcException;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.monitor.link.FunctionExport;
import org.kplugins.monitor.link.PluginMemory;

/**
 * A call of a function from the host's symbol table. The arguments are widened to longs as
 * {@link org.kplugins.monitor.link.HostFunction} defines, the Java implementation runs behind a
 * boundary with a {@link PluginMemory} located at this call, and its result is narrowed to the C
 * return type. The call costs no step of the execution budget: the host function's time is the
 * host's to bound.
 */
@NodeInfo(shortName = "host call")
public final class KpcHostFunctionCallNode extends KpcExpressionNode {

    /** Conversion codes of a value that crosses the call, by the C type's width and signedness. */
    public static final int VOID = 0;
    public static final int SIGNED_8 = 1;
    public static final int UNSIGNED_8 = 2;
    public static final int SIGNED_16 = 3;
    public static final int UNSIGNED_16 = 4;
    public static final int SIGNED_32 = 5;
    /** unsigned int, unsigned long and pointers. */
    public static final int UNSIGNED_32 = 6;
    public static final int BOOL = 7;
    /** long long and unsigned long long, which pass their 64 bits unchanged. */
    public static final int BITS_64 = 8;

    private final FunctionExport export;
    @Children private final KpcExpressionNode[] arguments;
    @CompilationFinal(dimensions = 1) private final int[] argumentConversions;
    private final int resultConversion;

    public KpcHostFunctionCallNode(FunctionExport export, KpcExpressionNode[] arguments, int[] argumentConversions,
                    int resultConversion) {
        this.export = export;
        this.arguments = arguments;
        this.argumentConversions = argumentConversions;
        this.resultConversion = resultConversion;
    }

    /** Returns the conversion of a parameter or result of {@code type}, which must be an integer, a pointer or void. */
    public static int conversionOf(CType type) {
        if (type.isVoid()) {
            return VOID;
        }
        if (type.isPointer()) {
            return UNSIGNED_32;
        }
        IntegerType integer = (IntegerType) type;
        if (integer.isBool()) {
            return BOOL;
        }
        return switch (integer.size()) {
            case 1 -> integer.isSigned() ? SIGNED_8 : UNSIGNED_8;
            case 2 -> integer.isSigned() ? SIGNED_16 : UNSIGNED_16;
            case 4 -> integer.isSigned() ? SIGNED_32 : UNSIGNED_32;
            default -> BITS_64;
        };
    }

    @ExplodeLoop
    private long call(VirtualFrame frame) {
        long[] values = new long[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            int conversion = argumentConversions[i];
            if (conversion == BITS_64) {
                values[i] = arguments[i].executeLong(frame);
            } else {
                values[i] = widenArgument(conversion, arguments[i].executeInt(frame));
            }
        }
        return callHost(export, instance(frame), this, values);
    }

    /**
     * Runs the Java implementation of {@code export} for a call at {@code location}. A fault it
     * raises through {@link PluginMemory} is the plugin's; any other exception ends the call as an
     * error that names the host function, because a host exception must not unwind through guest
     * frames as it is.
     */
    @TruffleBoundary
    public static long callHost(FunctionExport export, PluginInstance instance, Node location, long[] values) {
        try {
            return export.implementation().call(new PluginMemory(instance.memory(), location), values);
        } catch (AbstractTruffleException e) {
            throw e;
        } catch (RuntimeException e) {
            String detail = e instanceof PolyglotException ? e.getMessage() : e.toString();
            throw new KpcException("host function '" + export.name() + "' failed: " + detail, location);
        }
    }

    /** Returns the long that a host function receives for the int-valued C argument {@code value}. */
    public static long widenArgument(int conversion, int value) {
        return conversion == UNSIGNED_32 ? Integer.toUnsignedLong(value) : value;
    }

    /** Returns the int-valued C result of a host function's result {@code result}. */
    public static int narrowResult(int conversion, long result) {
        return switch (conversion) {
            case SIGNED_8 -> (byte) result;
            case UNSIGNED_8 -> (int) result & 0xFF;
            case SIGNED_16 -> (short) result;
            case UNSIGNED_16 -> (int) result & 0xFFFF;
            case BOOL -> result != 0 ? 1 : 0;
            default -> (int) result;
        };
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        return narrowResult(resultConversion, call(frame));
    }

    @Override
    public long executeLong(VirtualFrame frame) {
        return call(frame);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        call(frame);
    }
}
