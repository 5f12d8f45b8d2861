// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.expression;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.types.FloatingArithmetic;
import org.kplugins.kpc.types.FloatingConversions;

/**
 * A conversion to or from a floating type: integer to float or double, float to double and back,
 * and float or double to a 32- or 64-bit integer, with the results that
 * {@link FloatingConversions} and {@link FloatingArithmetic} define. Floats and doubles are carried
 * as their bits. A conversion to an integer type narrower than 32 bits converts to int first and
 * truncates after, so it is built from this node and a {@link KpcTruncateNode}.
 */
public final class KpcFloatingConversionNode extends KpcExpressionNode {

    /** A source or target of the conversion and the Java carrier of its values. */
    public enum Kind {
        /** int, and every integer type narrower than 32 bits (their values fit in int): Java int. */
        INT32,
        /** unsigned int and unsigned long: Java int of the same bits. */
        UINT32,
        /** long long: Java long. */
        INT64,
        /** unsigned long long: Java long of the same bits. */
        UINT64,
        /** float: Java int of its binary32 bits. */
        FLOAT,
        /** double: Java long of its binary64 bits. */
        DOUBLE;

        boolean isFloating() {
            return this == FLOAT || this == DOUBLE;
        }
    }

    @Child private KpcExpressionNode operand;
    private final Kind from;
    private final Kind to;

    public KpcFloatingConversionNode(KpcExpressionNode operand, Kind from, Kind to) {
        if (from == to || !from.isFloating() && !to.isFloating()) {
            throw new IllegalArgumentException("not a floating conversion: " + from + " to " + to);
        }
        this.operand = operand;
        this.from = from;
        this.to = to;
    }

    /** Converts to int, unsigned int or float. */
    @Override
    public int executeInt(VirtualFrame frame) {
        return switch (to) {
            case INT32 -> FloatingConversions.toInt32(floatingSource(frame));
            case UINT32 -> FloatingConversions.toUint32(floatingSource(frame));
            case FLOAT -> toFloatBits(frame);
            default -> throw CompilerDirectives.shouldNotReachHere("a conversion to " + to + " has no int value");
        };
    }

    /** Converts to long long, unsigned long long or double. */
    @Override
    public long executeLong(VirtualFrame frame) {
        return switch (to) {
            case INT64 -> FloatingConversions.toInt64(floatingSource(frame));
            case UINT64 -> FloatingConversions.toUint64(floatingSource(frame));
            case DOUBLE -> toDoubleBits(frame);
            default -> throw CompilerDirectives.shouldNotReachHere("a conversion to " + to + " has no long value");
        };
    }

    /** Reads a float or double source as a double, which represents every float value exactly. */
    private double floatingSource(VirtualFrame frame) {
        if (from == Kind.FLOAT) {
            return Float.intBitsToFloat(operand.executeInt(frame));
        }
        return Double.longBitsToDouble(operand.executeLong(frame));
    }

    private int toFloatBits(VirtualFrame frame) {
        return switch (from) {
            case INT32 -> Float.floatToRawIntBits(operand.executeInt(frame));
            case UINT32 -> Float.floatToRawIntBits(FloatingConversions.uint32ToFloat(operand.executeInt(frame)));
            case INT64 -> Float.floatToRawIntBits(operand.executeLong(frame));
            case UINT64 -> Float.floatToRawIntBits(FloatingConversions.uint64ToFloat(operand.executeLong(frame)));
            case DOUBLE -> FloatingArithmetic.doubleToFloat(operand.executeLong(frame));
            default -> throw CompilerDirectives.shouldNotReachHere("no conversion from " + from + " to float");
        };
    }

    private long toDoubleBits(VirtualFrame frame) {
        return switch (from) {
            case INT32 -> Double.doubleToRawLongBits(operand.executeInt(frame));
            case UINT32 -> Double.doubleToRawLongBits(FloatingConversions.uint32ToDouble(operand.executeInt(frame)));
            case INT64 -> Double.doubleToRawLongBits(operand.executeLong(frame));
            case UINT64 -> Double.doubleToRawLongBits(FloatingConversions.uint64ToDouble(operand.executeLong(frame)));
            case FLOAT -> FloatingArithmetic.floatToDouble(operand.executeInt(frame));
            default -> throw CompilerDirectives.shouldNotReachHere("no conversion from " + from + " to double");
        };
    }
}
