// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.call;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.builtins.PrintkFormatter;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.runtime.PluginInstance;

/**
 * A call of the host export {@code int printk(const char *fmt, ...)}. The variadic arguments are
 * already promoted to int, long long or double, so each one's kind is known here. Yields the
 * number of bytes written to the context's standard output.
 */
@NodeInfo(shortName = "printk")
public final class KpcPrintkNode extends KpcExpressionNode {

    @Child private KpcExpressionNode format;
    @Children private final KpcExpressionNode[] arguments;
    @CompilationFinal(dimensions = 1) private final boolean[] argumentIsLong;
    /** For each argument, whether it is a double, carried as its bits in a long. */
    @CompilationFinal(dimensions = 1) private final boolean[] argumentIsDouble;

    public KpcPrintkNode(KpcExpressionNode format, KpcExpressionNode[] arguments, boolean[] argumentIsLong,
                    boolean[] argumentIsDouble) {
        this.format = format;
        this.arguments = arguments;
        this.argumentIsLong = argumentIsLong;
        this.argumentIsDouble = argumentIsDouble;
    }

    @Override
    @ExplodeLoop
    public int executeInt(VirtualFrame frame) {
        int formatAddress = format.executeInt(frame);
        long[] values = new long[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            values[i] = argumentIsLong[i] ? arguments[i].executeLong(frame) : arguments[i].executeInt(frame);
        }
        return print(instance(frame), this, formatAddress, values, argumentIsDouble);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        executeInt(frame);
    }

    /** Formats and writes the output of a printk call at {@code location}, and returns its length in bytes. */
    @TruffleBoundary
    public static int print(PluginInstance instance, Node location, int formatAddress, long[] values,
                    boolean[] argumentIsDouble) {
        byte[] text = new PrintkFormatter(instance.memory(), location, values, argumentIsDouble).format(formatAddress);
        instance.output().write(text, 0, text.length);
        instance.outputPending = true;
        return text.length;
    }
}
