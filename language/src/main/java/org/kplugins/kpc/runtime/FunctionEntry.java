// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CallTarget;
import java.util.List;
import org.kplugins.kpc.nodes.call.KpcHostFunctionCallNode;
import org.kplugins.kpc.types.CType;
import org.kplugins.kpc.types.FunctionType;

/**
 * A function defined in a plugin: its name, C type and call target, shared by all instances.
 * {@link #argumentConversions} and {@link #resultConversion} describe how integer values cross a
 * call from the host, in the codes of {@link KpcHostFunctionCallNode}.
 */
public record FunctionEntry(String name, FunctionType type, CallTarget callTarget, boolean isDirectlyCallable,
                int[] argumentConversions, int resultConversion) {

    public FunctionEntry(String name, FunctionType type, CallTarget callTarget) {
        this(name, type, callTarget, isIntegerSignature(type), conversions(type.parameterTypes()),
                        conversion(type.returnType()));
    }

    /** Whether every parameter is an integer and the result is an integer or void. */
    private static boolean isIntegerSignature(FunctionType type) {
        for (CType parameter : type.parameterTypes()) {
            if (!parameter.isInteger()) {
                return false;
            }
        }
        return type.returnType().isInteger() || type.returnType().isVoid();
    }

    private static int[] conversions(List<CType> types) {
        int[] conversions = new int[types.size()];
        for (int i = 0; i < conversions.length; i++) {
            conversions[i] = conversion(types.get(i));
        }
        return conversions;
    }

    /** Returns the conversion of an integer, pointer or void type, and -1 for the others (floating types included). */
    private static int conversion(CType type) {
        return type.isInteger() || type.isPointer() || type.isVoid() ? KpcHostFunctionCallNode.conversionOf(type) : -1;
    }
}
