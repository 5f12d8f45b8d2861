// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.link.PluginImports;
import org.kplugins.kpc.runtime.FunctionTable;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.x86.lower.ProgramLowering;
import org.kplugins.x86.select.RuntimeAbi;
import org.kplugins.kpc.runtime.Faults;
import org.kplugins.kpc.runtime.NativeTier;
import org.kplugins.monitor.cpu.CpuState;
import org.kplugins.monitor.cpu.X86Exception;
import org.kplugins.monitor.cpu.X86Machine;
import org.kplugins.kpc.runtime.KpcNull;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.monitor.fault.FaultKind;
import org.kplugins.monitor.fault.PluginFault;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.x86.emit.NativeCode;
import org.kplugins.x86.ir.IrFunction;
import org.kplugins.x86.ir.IrProgram;
import org.kplugins.x86.ir.Width;
import org.kplugins.x86.select.FaultStub;

/**
 * A plugin compiled to machine code and installed in executable memory, shared by all its
 * instances. It runs calls from the host through the entry trampoline and turns the fault stub
 * that a call ended in back into the fault report of the Truffle tier.
 */
final class NativeProgram {

    /**
     * Bytes of the host thread's stack that plugin code leaves free, above the lowest stack
     * address. Upcalls run Java code below the deepest plugin frame, and the JVM keeps its own
     * guard and shadow pages at the bottom of the stack.
     *
     * <p>NOTE: 512 KiB is an estimate of what printk and a host function need, not a measured bound.
     */
    static final long NATIVE_STACK_RESERVE = 512 << 10;

    private static final MethodHandle ENTER = Linker.nativeLinker()
                    .downcallHandle(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final ThreadLocal<Long> NATIVE_STACK_LIMIT = ThreadLocal
                    .withInitial(() -> Posix.threadStackLow() + NATIVE_STACK_RESERVE);

    private final String name;
    private final NativeCode code;
    private final IrProgram ir;
    /** The place the code runs: installed in executable memory, or on the emulated CPU. */
    private final NativeTier.Mode mode;
    /** The installed code, or null on the emulated CPU. */
    private final MemorySegment installed;
    /** The entry trampoline of installed code, or null on the emulated CPU. */
    private final MemorySegment entry;
    /** The emulated CPU's view of the code, or null for installed code. */
    private final X86Machine machine;
    /** Address of code offset 0: in executable memory, or in the emulated code segment. */
    private final long codeBase;
    private final Map<String, NativeFunctionRootNode> roots = new HashMap<>();
    private final Map<String, Long> functionAddresses = new HashMap<>();
    private final int maxParameters;
    /** Whether the code calls the host anywhere, through {@link Upcalls}. */
    private final boolean hasHostCalls;
    private final FunctionTable functionTable;
    /** The native function table that indirect calls read, laid out as {@link RuntimeAbi#FUNCTION_TABLE} describes. */
    private final MemorySegment nativeFunctionTable;

    NativeProgram(KpcLanguage language, String name, IrProgram ir, NativeCode code, FunctionTable functionTable,
                    PluginImports imports, NativeTier.Mode mode) {
        this.name = name;
        this.code = code;
        this.ir = ir;
        this.mode = mode;
        if (mode == NativeTier.Mode.NATIVE) {
            this.installed = Posix.installCode(code.code());
            this.entry = installed.asSlice(code.entryOffset());
            this.machine = null;
            this.codeBase = installed.address();
        } else {
            this.installed = null;
            this.entry = null;
            this.machine = new X86Machine(language, code.code());
            this.codeBase = machine.codeBase();
        }
        int parameters = 0;
        Sections sections = new Sections();
        for (IrFunction function : ir.functions()) {
            long address = codeBase + code.functionOffsets().get(function.name());
            roots.put(function.name(), new NativeFunctionRootNode(language, this, function, address, sections));
            functionAddresses.put(function.name(), address);
            parameters = Math.max(parameters, function.parameterCount());
        }
        this.maxParameters = parameters;
        this.hasHostCalls = !ir.hostCalls().isEmpty();
        this.functionTable = functionTable;
        this.nativeFunctionTable = fillFunctionTable(functionTable, imports);
    }

    /**
     * Gives the function table its entries, for the runtime's lookups, and builds the native table
     * that indirect calls read: signature number, frame size and code address of each plugin
     * function, and address 0 for a host function.
     */
    private MemorySegment fillFunctionTable(FunctionTable table, PluginImports imports) {
        List<Function> functions = table.functions();
        List<FunctionType> signatures = new ArrayList<>(ir.signatures());
        FunctionTable.Entry[] entries = new FunctionTable.Entry[functions.size()];
        MemorySegment nativeTable = Arena.ofAuto().allocate(Math.max(1, functions.size()) * (long) RuntimeAbi.TABLE_ENTRY_BYTES, 16);
        for (int i = 0; i < entries.length; i++) {
            Function function = functions.get(i);
            FunctionType type = function.type();
            int signature = ProgramLowering.signatureNumber(signatures, type);
            long entry = (long) i * RuntimeAbi.TABLE_ENTRY_BYTES;
            nativeTable.set(JAVA_INT, entry, signature);
            NativeFunctionRootNode root = roots.get(function.name());
            if (function.isDefined() && root != null) {
                int frameSize = root.function().stackFrameSize();
                entries[i] = new FunctionTable.PluginEntry(function.name(), type, signature, root.getCallTarget(), frameSize);
                nativeTable.set(JAVA_INT, entry + 4, frameSize);
                nativeTable.set(JAVA_LONG, entry + 8, functionAddresses.get(function.name()));
            } else if (imports.builtins().get(function) != null) {
                entries[i] = new FunctionTable.BuiltinEntry(function.name(), type, signature, imports.builtins().get(function));
            } else {
                entries[i] = new FunctionTable.ExportEntry(function.name(), type, signature, imports.functions().get(function));
            }
        }
        table.setEntries(entries);
        return nativeTable;
    }

    /** Returns the emulated CPU's view of the code, or null when the code runs natively. */
    X86Machine machine() {
        return machine;
    }

    /** Returns whether the code is hardware-isolation code, which reaches plugin memory through GS. */
    boolean hardwareIsolation() {
        return mode == NativeTier.Mode.EMULATED_HARDWARE;
    }

    MemorySegment nativeFunctionTable() {
        return nativeFunctionTable;
    }

    FunctionTable functionTable() {
        return functionTable;
    }

    String name() {
        return name;
    }

    NativeCode code() {
        return code;
    }

    IrProgram ir() {
        return ir;
    }

    /** Returns the root node of a function, or null when the program does not define it. */
    NativeFunctionRootNode root(String function) {
        return roots.get(function);
    }

    /**
     * Creates the address space of an instance, the program's memory factory. The memory and the
     * page table are native reservations, so an instance commits only the pages it touches: about
     * one page of the 1 MiB page table for a small address space.
     */
    static AddressSpace newAddressSpace(String pluginName, int segmentLimit) {
        return AddressSpace.withNativeMemory(pluginName, segmentLimit, Posix.reserve(segmentLimit, "plugin memory"),
                        Posix.reserve(AddressSpace.NATIVE_PAGE_TABLE_ENTRIES, "page table"), Posix::discard);
    }

    /**
     * Runs a function for the host from {@code stackPointer}: writes the argument block, enters the machine code, and then
     * returns the result as Integer, Long or {@link KpcNull}, or throws the fault or exception the
     * call ended with.
     */
    @TruffleBoundary
    Object call(NativeFunctionRootNode root, PluginInstance instance, Object[] frameArguments, int stackPointer) {
        NativeInstance state = NativeInstance.of(instance, this);
        ContextBlock block = state.block();
        long budget = instance.budget();
        EmulatedCpu cpu = state.cpu();
        block.prepare(budget == 0 ? Long.MAX_VALUE : budget, cpu == null ? state.nativeStackLimit() : cpu.stackLimit());
        block.setArguments(stackPointer, frameArguments);

        long function = root.address();
        long result;
        // Only host calls enter Upcalls.dispatch, which finds the running call through the thread's
        // active call, so a program without them skips the thread-local accesses.
        Upcalls.ActiveCall previous = hasHostCalls ? Upcalls.enter(state.activeCall()) : null;
        instance.setRunningNativeCode(cpu == null);
        try {
            if (cpu == null) {
                result = (long) ENTER.invokeExact(entry, block.address(), function, block.argumentsAddress());
            } else {
                result = emulate(cpu, block, function);
            }
        } catch (X86Exception e) {
            throw hardwareFault(root, instance, e);
        } catch (PluginFault fault) {
            if (fault.kind() == FaultKind.TIMEOUT) {
                // The call timer stopped the emulated CPU at a backward jump, which has no source
                // location, so the report names the function the host called.
                throw Faults.callTimedOut(root, instance);
            }
            throw fault;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("entering the machine code of " + root + " failed: " + e, e);
        } finally {
            instance.setRunningNativeCode(false);
            if (hasHostCalls) {
                Upcalls.leave(previous);
            }
        }

        long faultPc = block.faultPc();
        if (faultPc != 0) {
            throw fault(root, instance, state, faultPc - codeBase);
        }
        Width width = root.function().result();
        if (width == null) {
            return KpcNull.INSTANCE;
        }
        return width == Width.I64 ? (Object) result : (Object) (int) result;
    }

    /**
     * Runs the entry trampoline on the emulated CPU with the System V arguments the native call
     * passes: the context block, the function's code address and the argument block.
     */
    private long emulate(EmulatedCpu cpu, ContextBlock block, long function) {
        CpuState registers = cpu.state();
        registers.setRegister(CpuState.RDI, block.address());
        registers.setRegister(CpuState.RSI, function);
        registers.setRegister(CpuState.RDX, block.argumentsAddress());
        registers.setRegister(CpuState.RSP, cpu.stackTop());
        return machine.run(registers, codeBase + code.entryOffset());
    }

    /**
     * Turns an exception of the emulated CPU into the fault report the other tiers give. In
     * hardware-isolation code, a page fault or general-protection fault at a plugin access and a
     * divide error at a division are the plugin's faults. Their report comes from the same address
     * space check and fault builders as in the Truffle tier. Any other exception means the
     * machine code did something the backend never emits, and the MMU stopped it.
     */
    private RuntimeException hardwareFault(NativeFunctionRootNode entered, PluginInstance instance, X86Exception e) {
        FaultStub stub = code.hardwareSites().get((int) e.instructionOffset());
        if (stub != null && stub.site() == null) {
            // The backend proved this access or division safe, so a fault there is the backend's error.
            return new IllegalStateException("the machine code of " + stub.function() + "() faulted at an access or division"
                            + " that the backend proved safe: " + e.getMessage());
        }
        if (stub != null) {
            NativeFunctionRootNode root = roots.get(stub.function());
            SiteNode site = root.site(stub.site());
            switch (stub.reason()) {
                case READ, WRITE -> {
                    if (e.vector() == X86Exception.PAGE_FAULT || e.vector() == X86Exception.GENERAL_PROTECTION) {
                        int address = (int) e.accessOffset();
                        if (stub.reason() == FaultStub.Reason.READ) {
                            instance.memory().checkRead(site, address, stub.size());
                        } else {
                            instance.memory().checkWrite(site, address, stub.size());
                        }
                        // The address space allows the access the plugin asked for, so the code
                        // addressed something else, and the MMU stopped it.
                        return Faults.machineException(site, instance, false, false, "the emulated CPU stopped the machine"
                                        + " code of plugin " + name + " at an access the plugin did not make: " + e.getMessage());
                    }
                }
                case DIVIDE_BY_ZERO -> {
                    if (e.vector() == X86Exception.DIVIDE_ERROR) {
                        return e.divisor() == 0 ? Faults.divisionByZero(site, instance)
                                        : Faults.divisionOverflow(site, instance, stub.operator(), stub.is64Bit());
                    }
                }
                default -> {
                }
            }
        }
        return Faults.machineException(entered, instance, e.vector() == X86Exception.INVALID_OPCODE,
                        e.vector() == X86Exception.PAGE_FAULT && (e.errorCode() & X86Exception.PF_FETCH) != 0,
                        "the emulated CPU stopped the machine code of plugin " + name + ": " + e.getMessage());
    }

    /**
     * Returns the lowest RSP that plugin code may use on this thread. A platform thread keeps its
     * stack, so the limit is computed once per thread. A virtual thread runs native code on the
     * stack of the carrier thread it is mounted on, which can change whenever it blocks, so the
     * limit is computed for each call (no blocking operation lies between here and the downcall).
     */
    static long nativeStackLimit() {
        if (Thread.currentThread().isVirtual()) {
            return Posix.threadStackLow() + NATIVE_STACK_RESERVE;
        }
        return NATIVE_STACK_LIMIT.get();
    }

    /** Builds the exception of the fault stub at {@code stubOffset}, which the call just took. */
    private RuntimeException fault(NativeFunctionRootNode entered, PluginInstance instance, NativeInstance state,
                    long stubOffset) {
        FaultStub stub = code.faultStubs().get((int) stubOffset);
        if (stub == null) {
            return new IllegalStateException("plugin " + name + " stopped at code offset " + stubOffset
                            + ", but no fault stub is at that offset; the code-offset map is incomplete");
        }
        NativeFunctionRootNode root = roots.get(stub.function());
        ContextBlock block = state.block();
        switch (stub.reason()) {
            case READ -> {
                instance.memory().checkRead(root.site(stub.site()), block.faultAddress(), stub.size());
                return disagreement(stub, block.faultAddress());
            }
            case WRITE -> {
                instance.memory().checkWrite(root.site(stub.site()), block.faultAddress(), stub.size());
                return disagreement(stub, block.faultAddress());
            }
            case DIVIDE_BY_ZERO -> {
                return Faults.divisionByZero(root.site(stub.site()), instance);
            }
            case DIVIDE_OVERFLOW -> {
                return Faults.divisionOverflow(root.site(stub.site()), instance, stub.operator(), stub.is64Bit());
            }
            case WATCHDOG -> {
                return Faults.budgetUsedUp(root.site(stub.site()), instance);
            }
            case STACK_OVERFLOW -> {
                return Faults.stackOverflow(root.site(stub.site()), instance);
            }
            case NATIVE_STACK_OVERFLOW -> {
                // Reported at the call whose callee found the stack used up, or at the function the host called.
                FaultStub call = code.callReturns().get((int) (block.faultReturnAddress() - codeBase));
                return call == null ? Faults.hostStackOverflow(entered, instance)
                                : Faults.hostStackOverflow(roots.get(call.function()).site(call.site()), instance);
            }
            case INVALID_FUNCTION_POINTER -> {
                return Faults.invalidFunctionPointer(root.site(stub.site()), instance, block.faultAddress(), stub.callType());
            }
            case FUNCTION_TYPE_MISMATCH -> {
                int token = block.faultAddress();
                return Faults.functionTypeMismatch(root.site(stub.site()), instance, token, functionTable.lookup(token),
                                stub.callType());
            }
            case UNWIND -> {
                Throwable pending = state.takePending();
                if (pending instanceof RuntimeException exception) {
                    return exception;
                }
                if (pending instanceof Error error) {
                    throw error;
                }
                return new IllegalStateException("an upcall of plugin " + name + " requested an unwind without an exception",
                                pending);
            }
        }
        throw new IllegalStateException("unknown fault stub " + stub);
    }

    private IllegalStateException disagreement(FaultStub stub, int address) {
        return new IllegalStateException("the machine code of " + stub.function() + "() rejected a " + stub.size() + "-byte "
                        + stub.reason().name().toLowerCase(java.util.Locale.ROOT) + " at " + Integer.toHexString(address)
                        + " that the address space allows");
    }

    /** Returns the most parameters of any function, which sizes the argument block of the context. */
    int maxParameters() {
        return maxParameters;
    }
}
