// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.builtins;

import java.util.List;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.kpc.types.IntegerType;
import org.kplugins.kpc.types.PointerType;
import org.kplugins.kpc.types.VoidType;

/**
 * The functions the host exports to plugins. A plugin's declaration of one must match the
 * prototype here, which is also the one in the built-in header {@code <kernel.h>}; size_t is
 * unsigned int under ILP32.
 */
public enum HostExport {
    /** {@code int printk(const char *fmt, ...)}: formatted output to the context's standard output. */
    PRINTK("printk", new FunctionType(IntegerType.INT, List.of(new PointerType(IntegerType.CHAR.withConst(true))), true)),
    /**
     * {@code int vprintk(const char *fmt, va_list ap)}: printk with the arguments that {@code ap}
     * points at, read from plugin memory; {@code va_list} is {@code char *}.
     */
    VPRINTK("vprintk", new FunctionType(IntegerType.INT, List.of(new PointerType(IntegerType.CHAR.withConst(true)),
                    new PointerType(IntegerType.CHAR)), false)),
    /** {@code void *kp_alloc(size_t size)}: a block from the plugin heap, or NULL. */
    KP_ALLOC("kp_alloc", new FunctionType(new PointerType(VoidType.VOID), List.of(IntegerType.UINT), false)),
    /** {@code void kp_free(void *ptr)}: releases a block; a bad pointer faults. */
    KP_FREE("kp_free", new FunctionType(VoidType.VOID, List.of(new PointerType(VoidType.VOID)), false));

    private final String symbol;
    private final FunctionType type;

    HostExport(String symbol, FunctionType type) {
        this.symbol = symbol;
        this.type = type;
    }

    public String symbol() {
        return symbol;
    }

    public FunctionType type() {
        return type;
    }

    /** Returns the C prototype, for example {@code int printk(const char *, ...)}. */
    public String prototype() {
        return type.prototype(symbol);
    }

    /** Returns the export named {@code symbol}, or null when the host exports no such function. */
    public static HostExport find(String symbol) {
        for (HostExport export : values()) {
            if (export.symbol.equals(symbol)) {
                return export;
            }
        }
        return null;
    }
}
