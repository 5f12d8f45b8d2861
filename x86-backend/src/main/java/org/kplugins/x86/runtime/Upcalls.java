// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import org.kplugins.kpc.nodes.call.KpcHostFunctionCallNode;
import org.kplugins.kpc.nodes.call.KpcPrintkNode;
import org.kplugins.kpc.nodes.call.KpcVprintkNode;
import org.kplugins.kpc.runtime.FunctionTable;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.x86.ir.HostTarget;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.IrProgram;

/**
 * The one way from plugin machine code into Java: an upcall stub that every host call of every
 * plugin goes through, as {@code long dispatch(context, index, arguments)}. The context block holds
 * the stub's address, so no host address appears in plugin code or plugin memory. The index selects
 * the host call of the running program, and the arguments are 8-byte slots at {@code arguments}.
 *
 * <p>The Java side runs the same host code as the Truffle tier (printk's formatter, the plugin
 * heap, the host's functions, the checked copy) located at the call's {@link SiteNode}, so faults
 * and errors read the same. An exception must not unwind through machine code, so dispatch
 * catches every throwable, keeps it, and makes the machine code unwind to the entry trampoline,
 * after which {@link NativeProgram#call} throws it.
 */
final class Upcalls {

    /** The call from the host that runs on this thread. */
    record ActiveCall(NativeProgram program, PluginInstance instance, NativeInstance state) {
    }

    private static final ThreadLocal<ActiveCall> CURRENT = new ThreadLocal<>();
    private static final MemorySegment STUB = createStub();

    private Upcalls() {
    }

    private static MemorySegment createStub() {
        try {
            var dispatch = MethodHandles.lookup().findStatic(Upcalls.class, "dispatch",
                            MethodType.methodType(long.class, long.class, int.class, long.class));
            return Linker.nativeLinker().upcallStub(dispatch, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG),
                            Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot find the upcall method: " + e, e);
        }
    }

    /** Returns the upcall stub's native address, which each context block holds. */
    static MemorySegment stub() {
        return STUB;
    }

    /** Makes {@code call} the active call of this thread and returns the one it replaces. */
    static ActiveCall enter(ActiveCall call) {
        ActiveCall previous = CURRENT.get();
        CURRENT.set(call);
        return previous;
    }

    static void leave(ActiveCall previous) {
        CURRENT.set(previous);
    }

    /** Runs the Java side of the upcall. It catches every throwable, because none may unwind through machine code. */
    @SuppressWarnings("unused")
    static long dispatch(long context, int index, long arguments) {
        ActiveCall call = CURRENT.get();
        try {
            if (call == null || call.state().block().address() != context) {
                throw new IllegalStateException("upcall from context " + Long.toHexString(context)
                                + " while no call of that plugin instance runs on this thread");
            }
            IrProgram.HostCallSite site = call.program().ir().hostCalls().get(index);
            Instr.HostCall hostCall = site.call();
            SiteNode location = call.program().root(site.function()).site(hostCall.site());
            MemorySegment slots = MemorySegment.ofAddress(arguments).reinterpret(8L * hostCall.arguments().size());
            return run(call.program(), call.instance(), hostCall.target(), slots, location);
        } catch (Throwable e) {
            if (call != null) {
                call.state().unwindWith(e);
            }
            return 0;
        }
    }

    private static long run(NativeProgram program, PluginInstance instance, HostTarget target, MemorySegment slots,
                    SiteNode location) {
        return switch (target) {
            case HostTarget.Printk printk -> {
                long[] values = new long[printk.is64Bit().length];
                for (int i = 0; i < values.length; i++) {
                    long offset = 8L * (i + 1);
                    values[i] = printk.is64Bit()[i] ? slots.get(JAVA_LONG, offset) : slots.get(JAVA_INT, offset);
                }
                yield KpcPrintkNode.print(instance, location, slots.get(JAVA_INT, 0), values, printk.isDouble());
            }
            case HostTarget.Vprintk vprintk -> KpcVprintkNode.print(instance, location, slots.get(JAVA_INT, 0),
                            slots.get(JAVA_INT, 8));
            case HostTarget.Alloc alloc -> instance.heap().allocate(slots.get(JAVA_INT, 0));
            case HostTarget.Free free -> {
                instance.heap().free(location, slots.get(JAVA_INT, 0));
                yield 0;
            }
            case HostTarget.TableFunction function -> tableFunction(instance, function, slots, location);
            case HostTarget.IndirectHost indirect -> indirectHost(program, instance, indirect, slots, location);
            case HostTarget.MemoryCopy copy -> {
                int destination = slots.get(JAVA_INT, 0);
                instance.memory().copy(location, destination, slots.get(JAVA_INT, 8), copy.size());
                yield destination;
            }
        };
    }

    /**
     * Calls the host function that a function pointer points to, as the Truffle tier's
     * {@code KpcIndirectCallNode} does. The machine code has checked that slot 0 is the token of a
     * host function's entry of the call's type; the C arguments follow it.
     */
    private static long indirectHost(NativeProgram program, PluginInstance instance, HostTarget.IndirectHost target,
                    MemorySegment slots, SiteNode location) {
        FunctionTable.Entry entry = program.functionTable().lookup(slots.get(JAVA_INT, 0));
        boolean[] is64Bit = target.is64Bit();
        long[] arguments = new long[is64Bit.length];
        for (int i = 0; i < arguments.length; i++) {
            long offset = 8L * (i + 1);
            arguments[i] = is64Bit[i] ? slots.get(JAVA_LONG, offset) : slots.get(JAVA_INT, offset);
        }
        if (entry instanceof FunctionTable.BuiltinEntry builtin) {
            return switch (builtin.export()) {
                case PRINTK -> KpcPrintkNode.print(instance, location, (int) arguments[0],
                                Arrays.copyOfRange(arguments, 1, arguments.length),
                                Arrays.copyOfRange(target.isDouble(), 1, arguments.length));
                case VPRINTK -> KpcVprintkNode.print(instance, location, (int) arguments[0], (int) arguments[1]);
                case KP_ALLOC -> instance.heap().allocate((int) arguments[0]);
                case KP_FREE -> {
                    instance.heap().free(location, (int) arguments[0]);
                    yield 0;
                }
            };
        }
        FunctionTable.ExportEntry export = (FunctionTable.ExportEntry) entry;
        FunctionType type = export.type();
        long[] values = new long[arguments.length];
        for (int i = 0; i < values.length; i++) {
            int conversion = KpcHostFunctionCallNode.conversionOf(type.parameterTypes().get(i));
            values[i] = is64Bit[i] ? arguments[i] : KpcHostFunctionCallNode.widenArgument(conversion, (int) arguments[i]);
        }
        long result = KpcHostFunctionCallNode.callHost(export.export(), instance, location, values);
        int conversion = KpcHostFunctionCallNode.conversionOf(type.returnType());
        return switch (conversion) {
            case KpcHostFunctionCallNode.VOID -> 0;
            case KpcHostFunctionCallNode.BITS_64 -> result;
            default -> KpcHostFunctionCallNode.narrowResult(conversion, result);
        };
    }

    /**
     * Calls a function of the host's symbol table with the argument and result conversions of the
     * Truffle tier's {@link KpcHostFunctionCallNode}, which also wraps an exception that is not a
     * guest error as the Truffle tier does.
     */
    private static long tableFunction(PluginInstance instance, HostTarget.TableFunction function, MemorySegment slots,
                    SiteNode location) {
        int[] conversions = function.argumentConversions();
        long[] values = new long[conversions.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = conversions[i] == KpcHostFunctionCallNode.BITS_64 ? slots.get(JAVA_LONG, 8L * i)
                            : KpcHostFunctionCallNode.widenArgument(conversions[i], slots.get(JAVA_INT, 8L * i));
        }
        long result = KpcHostFunctionCallNode.callHost(function.export(), instance, location, values);
        int conversion = function.resultConversion();
        return conversion == KpcHostFunctionCallNode.BITS_64 ? result : KpcHostFunctionCallNode.narrowResult(conversion, result);
    }
}
