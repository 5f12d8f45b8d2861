// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.nodes.call;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.nodes.NodeInfo;
import org.kplugins.kpc.builtins.PrintkFormatter;
import org.kplugins.kpc.nodes.KpcExpressionNode;
import org.kplugins.kpc.runtime.PluginInstance;

/**
 * A call of the host export {@code int vprintk(const char *fmt, va_list ap)}. The arguments are
 * not known here: the formatter reads each one from the plugin memory that {@code ap} points at,
 * as its conversion says. Yields the number of bytes written to the context's standard output.
 */
@NodeInfo(shortName = "vprintk")
public final class KpcVprintkNode extends KpcExpressionNode {

    @Child private KpcExpressionNode format;
    @Child private KpcExpressionNode argumentPointer;

    public KpcVprintkNode(KpcExpressionNode format, KpcExpressionNode argumentPointer) {
        this.format = format;
        this.argumentPointer = argumentPointer;
    }

    @Override
    public int executeInt(VirtualFrame frame) {
        int formatAddress = format.executeInt(frame);
        int pointer = argumentPointer.executeInt(frame);
        return print(instance(frame), this, formatAddress, pointer);
    }

    @Override
    public void executeVoid(VirtualFrame frame) {
        executeInt(frame);
    }

    /**
     * Formats and writes the output of a vprintk call at {@code location}, reading the arguments
     * from {@code argumentPointer}, and returns its length in bytes.
     */
    @TruffleBoundary
    public static int print(PluginInstance instance, Node location, int formatAddress, int argumentPointer) {
        byte[] text = new PrintkFormatter(instance.memory(), location, argumentPointer).format(formatAddress);
        instance.output().write(text, 0, text.length);
        instance.outputPending = true;
        return text.length;
    }
}
