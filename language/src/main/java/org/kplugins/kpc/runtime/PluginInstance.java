// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.ArityException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.interop.UnsupportedTypeException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;
import com.oracle.truffle.api.nodes.Node;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kplugins.kpc.KpcContext;
import org.kplugins.kpc.KpcException;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.monitor.fault.PluginFault;
import org.kplugins.monitor.memory.AddressSpace;
import org.kplugins.monitor.memory.PageFlags;
import org.kplugins.monitor.memory.PluginHeap;

/**
 * One instance of a plugin: its own address space laid out as {@link PluginLayout} describes,
 * heap, stack pointer, execution budget and fault count. It is the object that evaluating a KPC
 * source returns to the host, and its members are the plugin's exported functions.
 *
 * <p>Each call from the host starts at the top of the stack with the full budget. A call that
 * faults ends with its {@link PluginFault}; the instance counts it and is marked faulted, and
 * stays callable.
 */
@ExportLibrary(InteropLibrary.class)
public final class PluginInstance implements TruffleObject {

    private final PluginProgram program;
    private final KpcContext context;
    private final AddressSpace memory;
    private final PluginHeap heap;
    /** Start of the region where host buffers are mapped for the duration of one call. */
    private final int hostRegionStart;
    /** Execution budget of each host call, in steps; 0 disables it. */
    private final long budget;
    private final Map<String, KpcFunction> functions = new LinkedHashMap<>();

    /**
     * The stack pointer that a function called from the host starts its frame below: the stack
     * top. Calls inside the plugin pass the stack pointer as a frame argument and leave this alone.
     */
    public int stackPointer;
    /** Steps left in the current host call. Only counted when the budget is enabled. */
    private long remainingBudget;
    private int faultCount;
    private boolean faulted;

    private PluginInstance(PluginProgram program, KpcContext context, AddressSpace memory, PluginHeap heap,
                    int hostRegionStart) {
        this.program = program;
        this.context = context;
        this.memory = memory;
        this.heap = heap;
        this.hostRegionStart = hostRegionStart;
        this.budget = context.budget();
        this.stackPointer = program.layout().stackTop();
        for (FunctionEntry entry : program.exports().values()) {
            functions.put(entry.name(), new KpcFunction(this, entry));
        }
    }

    /**
     * Creates an instance: maps the stack and the static data, writes the initial data, and
     * protects the read-only pages.
     *
     * @throws KpcException if the layout does not fit under kpc.MemoryLimit
     */
    @TruffleBoundary
    public static PluginInstance create(PluginProgram program, KpcContext context) {
        PluginLayout layout = program.layout();
        int heapBase = layout.dataEnd();
        long hostRegionStart = (long) heapBase + context.heapSize();
        long required = hostRegionStart + PluginLayout.PAGE_SIZE;
        if (required > context.memoryLimit()) {
            throw new KpcException("plugin '" + program.name() + "' needs a memory limit of at least " + required
                            + " bytes (stack, static data, a " + context.heapSize() + "-byte heap and one page for host"
                            + " buffers), but kpc.MemoryLimit is " + context.memoryLimit()
                            + "; raise kpc.MemoryLimit or lower kpc.StackSize or kpc.HeapSize", null);
        }

        AddressSpace memory = new AddressSpace(program.name(), context.memoryLimit());
        memory.map(PluginLayout.STACK_BOTTOM, layout.stackSize(), PageFlags.PRESENT | PageFlags.WRITABLE);
        byte[] readOnly = layout.readOnlyData();
        if (readOnly.length > 0) {
            memory.mapWithData(layout.readOnlyStart(), readOnly.length, PageFlags.PRESENT, readOnly, 0, readOnly.length);
        }
        byte[] writable = layout.writableData();
        if (writable.length > 0) {
            memory.mapWithData(layout.writableStart(), writable.length, PageFlags.PRESENT | PageFlags.WRITABLE,
                            writable, 0, writable.length);
        }
        PluginHeap heap = new PluginHeap(memory, heapBase, context.heapSize());
        return new PluginInstance(program, context, memory, heap, (int) hostRegionStart);
    }

    /**
     * Charges one step of the budget: a loop iteration or a call.
     *
     * @throws PluginFault WATCHDOG at {@code location} when the budget is used up
     */
    public static void consumeStep(PluginInstance instance, Node location) {
        if (--instance.remainingBudget < 0) {
            CompilerDirectives.transferToInterpreter();
            throw Faults.budgetUsedUp(location, instance);
        }
    }

    /**
     * Runs an exported function for the host: converts and maps the arguments, resets the stack
     * pointer and the budget, calls, copies writable buffers back, and releases the mappings.
     */
    @TruffleBoundary
    Object callFromHost(FunctionEntry entry, Object[] arguments) throws ArityException, UnsupportedTypeException {
        HostMappings mappings = new HostMappings(memory, hostRegionStart);
        try {
            Object[] frameArguments = HostArguments.toFrameArguments(this, entry, arguments, mappings);
            stackPointer = program.layout().stackTop();
            remainingBudget = budget;
            Object result;
            try {
                result = entry.callTarget().call(frameArguments);
            } catch (PluginFault fault) {
                faultCount++;
                faulted = true;
                throw fault;
            } finally {
                // The host sees what the plugin wrote before a fault too, as with shared memory.
                mappings.copyBack();
            }
            return HostArguments.toHostValue(entry.type().returnType(), result);
        } finally {
            mappings.release();
            context.flushOutput();
        }
    }

    public PluginProgram program() {
        return program;
    }

    public String name() {
        return program.name();
    }

    public AddressSpace memory() {
        return memory;
    }

    public PluginHeap heap() {
        return heap;
    }

    public PrintStream output() {
        return context.output();
    }

    public int stackSize() {
        return program.layout().stackSize();
    }

    /** The execution budget of each host call in steps, 0 when unlimited. */
    public long budget() {
        return budget;
    }

    public int faultCount() {
        return faultCount;
    }

    /** Whether a call of this instance has faulted. */
    public boolean hasFaulted() {
        return faulted;
    }

    /** Returns the exported function {@code name}, or null. */
    public KpcFunction function(String name) {
        return functions.get(name);
    }

    // ---- Interop: the exported functions are the members ----

    @ExportMessage
    boolean hasMembers() {
        return true;
    }

    @ExportMessage
    @TruffleBoundary
    Object getMembers(@SuppressWarnings("unused") boolean includeInternal) {
        return new KpcMemberNames(program.exportNames());
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberReadable(String member) {
        return functions.containsKey(member);
    }

    @ExportMessage
    @TruffleBoundary
    boolean isMemberInvocable(String member) {
        return functions.containsKey(member);
    }

    @ExportMessage
    @TruffleBoundary
    Object readMember(String member) throws UnknownIdentifierException {
        KpcFunction function = functions.get(member);
        if (function == null) {
            throw UnknownIdentifierException.create(member);
        }
        return function;
    }

    @ExportMessage
    @TruffleBoundary
    Object invokeMember(String member, Object[] arguments)
                    throws UnknownIdentifierException, ArityException, UnsupportedTypeException, UnsupportedMessageException {
        KpcFunction function = functions.get(member);
        if (function == null) {
            throw UnknownIdentifierException.create(member);
        }
        return callFromHost(function.entry(), arguments);
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<KpcLanguage> getLanguage() {
        return KpcLanguage.class;
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(@SuppressWarnings("unused") boolean allowSideEffects) {
        return "plugin " + name() + " (" + faultCount + (faultCount == 1 ? " fault)" : " faults)");
    }
}
