// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
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
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kplugins.kpc.KpcContext;
import org.kplugins.kpc.KpcException;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.monitor.fault.PluginFault;
import org.kplugins.monitor.link.DataExport;
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
    /** kpc.RetainedHostBytes: the bytes of a call's mappings that the instance keeps after the call. */
    private final long retainedHostBytes;
    /** The buffers the host keeps mapped across calls, at the bottom of the host region. */
    private final HostBuffers hostBuffers;
    /** Address of each data window the program imports, in the order of {@link PluginProgram#dataImports()}. */
    @CompilationFinal(dimensions = 1) private final int[] dataImportAddresses;
    /** Execution budget of each host call, in steps; 0 disables it. */
    private final long budget;
    /**
     * Steps each host call starts with: the budget, or Long.MAX_VALUE without one, so that code
     * built to count steps for the auto tier counts without ever running out.
     */
    private final long stepsPerCall;
    private final Map<String, KpcFunction> functions = new LinkedHashMap<>();
    /** The call timeout of kpc.CallTimeout, or null without one. */
    private final CallWatch callWatch;
    /** The program's stack top, where each call from the host starts; kept here to save two loads per call. */
    private final int stackTop;

    /**
     * The stack pointer that a function called from the host starts its frame below: the stack
     * top. Calls inside the plugin pass the stack pointer as a frame argument and leave this alone.
     */
    public int stackPointer;
    /** Steps left in the current host call. Only counted by code built with step counting. */
    private long remainingBudget;
    private int faultCount;
    private boolean faulted;
    private volatile boolean released;
    /** Whether a call from the host is running; an instance runs on one thread at a time. */
    private boolean running;
    /** Whether printk wrote since the output was last flushed, so calls that print nothing skip the flush. */
    public boolean outputPending;
    /**
     * The per-instance state of the tier that compiled the program, such as the native tier's
     * context block; null for the Truffle tier. Volatile because the call timer reads it.
     */
    private volatile Object tierState;
    /** Whether the running call is in machine code on the host processor, which Truffle's thread-local actions cannot stop. */
    private boolean runningNativeCode;

    private PluginInstance(PluginProgram program, KpcContext context, AddressSpace memory, PluginHeap heap,
                    int[] dataImportAddresses, int hostRegionStart) {
        this.program = program;
        this.context = context;
        this.memory = memory;
        this.heap = heap;
        this.dataImportAddresses = dataImportAddresses;
        this.hostRegionStart = hostRegionStart;
        this.hostBuffers = new HostBuffers(memory, hostRegionStart);
        this.retainedHostBytes = Math.min(context.retainedHostBytes(), Integer.MAX_VALUE);
        this.budget = context.budget();
        this.stepsPerCall = budget == 0 ? Long.MAX_VALUE : budget;
        this.stackTop = program.layout().stackTop();
        this.stackPointer = stackTop;
        this.callWatch = context.callTimeoutMillis() == 0 ? null : new CallWatch(this, context, context.callTimeoutMillis());
        for (FunctionEntry entry : program.exports().values()) {
            functions.put(entry.name(), new KpcFunction(this, entry));
        }
    }

    /**
     * Creates an instance: maps the stack and the static data, writes the initial data, protects
     * the read-only pages, and maps the host data windows the program imports above the heap.
     *
     * @throws KpcException if the layout does not fit under kpc.MemoryLimit
     */
    @TruffleBoundary
    public static PluginInstance create(PluginProgram program, KpcContext context) {
        PluginLayout layout = program.layout();
        // The data windows sit between the static data and the heap, so that mapping them does
        // not grow the backing store over the whole heap range.
        long windowsStart = layout.dataEnd();
        long[] windowAddresses = new long[program.dataImports().size()];
        long windowsEnd = windowsStart;
        for (int i = 0; i < windowAddresses.length; i++) {
            windowAddresses[i] = windowsEnd;
            windowsEnd += PluginLayout.pageAligned(program.dataImports().get(i).export().buffer().capacity());
        }
        long heapBase = windowsEnd;
        long hostRegionStart = heapBase + context.heapSize();
        long required = hostRegionStart + PluginLayout.PAGE_SIZE;
        if (required > context.memoryLimit()) {
            String windows = windowAddresses.length == 0 ? ""
                            : ", " + (windowsEnd - windowsStart) + " bytes of host data windows";
            throw new KpcException("plugin '" + program.name() + "' needs a memory limit of at least " + required
                            + " bytes (stack, static data, a " + context.heapSize() + "-byte heap" + windows
                            + " and one page for host buffers), but kpc.MemoryLimit is " + context.memoryLimit()
                            + "; raise kpc.MemoryLimit or lower kpc.StackSize or kpc.HeapSize", null);
        }

        AddressSpace memory = program.memoryFactory().create(program.name(), context.memoryLimit());
        // The host buffers of a call take their exact size above the heap, so that what a call
        // leaves behind is the buffers' size and not a doubled array.
        memory.limitDoubling((int) hostRegionStart);
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
        PluginHeap heap = new PluginHeap(memory, (int) heapBase, context.heapSize());
        int[] dataImportAddresses = new int[windowAddresses.length];
        for (int i = 0; i < windowAddresses.length; i++) {
            DataExport window = program.dataImports().get(i).export();
            dataImportAddresses[i] = (int) windowAddresses[i];
            int flags = window.writable() ? PageFlags.PRESENT | PageFlags.WRITABLE : PageFlags.PRESENT;
            memory.map(dataImportAddresses[i], (int) PluginLayout.pageAligned(window.buffer().capacity()), flags);
        }
        return new PluginInstance(program, context, memory, heap, dataImportAddresses, (int) hostRegionStart);
    }

    /** Returns the address at which this instance maps the data window {@code index} of its program. */
    public int dataImportAddress(int index) {
        return dataImportAddresses[index];
    }

    /** Copies each imported data window's host bytes into plugin memory, as a call from the host starts. */
    private void copyInDataWindows() {
        for (int i = 0; i < dataImportAddresses.length; i++) {
            ByteBuffer buffer = program.dataImports().get(i).export().buffer();
            int address = dataImportAddresses[i];
            int length = buffer.capacity();
            if (buffer.hasArray()) {
                memory.hostWrite(address, buffer.array(), buffer.arrayOffset(), length);
            } else {
                // A window is the buffer from 0 to its capacity, whatever its position and limit.
                byte[] bytes = new byte[length];
                buffer.duplicate().clear().get(0, bytes, 0, length);
                memory.hostWrite(address, bytes, 0, length);
            }
        }
    }

    /** Copies each writable data window back to its host buffer, as a call from the host returns. */
    private void copyBackDataWindows() {
        for (int i = 0; i < dataImportAddresses.length; i++) {
            DataExport window = program.dataImports().get(i).export();
            if (window.writable()) {
                ByteBuffer whole = window.buffer().duplicate().clear();
                memory.hostRead(dataImportAddresses[i], whole, whole.capacity());
            }
        }
    }

    /**
     * Returns the steps left in the current host call, as the last function that counts steps
     * stored them. Such a function keeps its count in a frame slot while it runs
     * ({@code StepBudget}) and stores it here before each call and on its exit.
     */
    public static long budgetOf(PluginInstance instance) {
        return instance.remainingBudget;
    }

    /** Stores the steps left in the current host call, which {@link #budgetOf} returns. */
    public static void setBudget(PluginInstance instance, long steps) {
        instance.remainingBudget = steps;
    }

    /**
     * Runs an exported function for the host: converts and maps the arguments, resets the stack
     * pointer and the budget, calls, copies writable buffers back, and releases the mappings.
     */
    @TruffleBoundary
    Object callFromHost(FunctionEntry entry, Object[] arguments) throws ArityException, UnsupportedTypeException {
        checkOpen();
        if (running) {
            throw reentrantCall();
        }
        running = true;
        if (callWatch != null) {
            callWatch.begin();
        }
        HostMappings mappings = new HostMappings(memory, hostBuffers.top(), hostBuffers.top() - hostBuffers.regionStart());
        try {
            Object[] frameArguments = HostArguments.toFrameArguments(this, entry, arguments, mappings);
            stackPointer = stackTop;
            remainingBudget = stepsPerCall;
            copyInDataWindows();
            Object result;
            try {
                result = entry.callTarget().call(frameArguments);
            } catch (PluginFault fault) {
                recordFault();
                throw fault;
            } finally {
                // The host sees what the plugin wrote before a fault too, as with shared memory.
                mappings.copyBack();
                copyBackDataWindows();
            }
            return HostArguments.toHostValue(entry.type().returnType(), result);
        } finally {
            running = false;
            if (callWatch != null) {
                callWatch.end();
            }
            mappings.release();
            if (memory.residentBytes() > trimAbove()) {
                memory.trim();
            }
            flushOutput();
        }
    }

    /**
     * Builds the error for a call from the host while a call of this instance runs on the same
     * thread, which a host function calling back into its plugin makes. The inner call would start
     * at the top of the stack the outer call is using and overwrite its frames.
     */
    @TruffleBoundary
    private KpcException reentrantCall() {
        return new KpcException("plugin '" + name() + "' is already running on this thread: a host function called back"
                        + " into it, and re-entrant calls are not supported", null);
    }

    /**
     * Starts a call from the host whose arguments need no mapping (the fast path of
     * {@link KpcFunction}): checks the instance is open, resets the stack pointer and the budget,
     * and copies the data windows in. Pair with {@link #endDirectCall}.
     */
    void beginDirectCall() {
        if (released) {
            CompilerDirectives.transferToInterpreter();
            checkOpen();
        }
        if (running) {
            CompilerDirectives.transferToInterpreter();
            throw reentrantCall();
        }
        stackPointer = stackTop;
        remainingBudget = stepsPerCall;
        if (dataImportAddresses.length != 0) {
            copyInDataWindowsBoundary();
        }
        // Set last: a failure above leaves the instance callable.
        running = true;
        if (callWatch != null) {
            callWatch.begin();
        }
    }

    /** Ends a call started by {@link #beginDirectCall}: copies writable data windows back and flushes printk output. */
    void endDirectCall() {
        running = false;
        if (callWatch != null) {
            callWatch.end();
        }
        if (dataImportAddresses.length != 0) {
            copyBackDataWindowsBoundary();
        }
        if (outputPending) {
            flushOutput();
        }
    }

    @TruffleBoundary
    private void copyInDataWindowsBoundary() {
        copyInDataWindows();
    }

    @TruffleBoundary
    private void copyBackDataWindowsBoundary() {
        copyBackDataWindows();
    }

    @TruffleBoundary
    void recordFault() {
        faultCount++;
        faulted = true;
    }

    @TruffleBoundary
    private void flushOutput() {
        outputPending = false;
        context.flushOutput();
    }

    /**
     * Releases the instance's memory: the address space, heap and mappings become unreachable from
     * it, and every later call from the host fails. Hosts call it through the member
     * {@value #RELEASE_MEMBER} once no call of the instance runs.
     */
    @TruffleBoundary
    public void release() {
        released = true;
        memory.release();
    }

    /** Returns whether {@link #release} has run. */
    public boolean isReleased() {
        return released;
    }

    private void checkOpen() {
        if (released) {
            throw new KpcException("plugin '" + name() + "' was unloaded and its memory released; load it again"
                            + " to call it", null);
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

    /** Returns what the program's tier keeps for this instance, or null before it stores anything. */
    public Object tierState() {
        return tierState;
    }

    public void setTierState(Object state) {
        this.tierState = state;
    }

    /**
     * Marks whether the running call has entered machine code on the host processor. The native
     * tier sets it around each entry. Code on the emulated CPU does not count, because the
     * emulated CPU polls Truffle safepoints.
     */
    public void setRunningNativeCode(boolean inNativeCode) {
        this.runningNativeCode = inNativeCode;
    }

    boolean isRunningNativeCode() {
        return runningNativeCode;
    }

    /** Returns kpc.CallTimeout in milliseconds, 0 without a call timeout. */
    public long callTimeoutMillis() {
        return callWatch == null ? 0 : callWatch.timeoutMillis();
    }

    /** Returns whether the running call from the host has passed its kpc.CallTimeout deadline. */
    public boolean isCallExpired() {
        return callWatch != null && callWatch.isExpired();
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

    /**
     * Returns the steps left in the current host call. It falls by one for each loop iteration,
     * goto and plugin call of code built with step counting, from kpc.Budget, or from
     * Long.MAX_VALUE when kpc.Budget is 0.
     */
    public long remainingSteps() {
        return remainingBudget;
    }

    /** The member that releases the instance: not a C identifier, so no plugin function can take the name. */
    public static final String RELEASE_MEMBER = "kpc:release";
    /** The member that returns {@link #footprint()}. */
    public static final String FOOTPRINT_MEMBER = "kpc:footprint";
    /** The member that returns the bytes of the program's static data image, which the engine keeps once per program. */
    public static final String STATIC_DATA_MEMBER = "kpc:static-data-bytes";
    /** The member that returns the size of the instance's backing store now, {@link AddressSpace#residentBytes()}. */
    public static final String RESIDENT_MEMBER = "kpc:resident-bytes";

    /** The member that maps a host buffer: arguments size and read-only, result its address. */
    public static final String MAP_BUFFER_MEMBER = "kpc:map-buffer";
    /** The member that unmaps the host buffer at the address it takes. */
    public static final String UNMAP_BUFFER_MEMBER = "kpc:unmap-buffer";
    /** The member that copies host bytes into a host buffer: address, offset, byte[], array offset, length. */
    public static final String WRITE_BUFFER_MEMBER = "kpc:write-buffer";
    /** The member that copies a host buffer's bytes out: address, offset, byte[], array offset, length. */
    public static final String READ_BUFFER_MEMBER = "kpc:read-buffer";

    /**
     * Returns the most memory the instance uses between calls from the host, in bytes: everything
     * below the host region (stack, static data, data windows and the whole heap range), the host
     * buffers and the retained bytes of a call's mappings, at most the segment limit. During a
     * call it uses up to the segment limit.
     */
    public long footprint() {
        return Math.min(trimAbove(), memory.segmentLimit());
    }

    /**
     * Returns the size of the backing store above which a call from the host trims it when it
     * returns: the end of the host buffers plus kpc.RetainedHostBytes.
     */
    private long trimAbove() {
        return hostBuffers.top() + retainedHostBytes;
    }

    /**
     * The member that returns the tier the next call from the host runs in, as
     * {@link PluginProgram#currentTier} names it. Hosts of the auto tier call it after each call
     * to see whether, and at which call, the plugin moved to machine code.
     */
    public static final String TIER_MEMBER = "kpc:tier";

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
        return functions.containsKey(member) || member.equals(RELEASE_MEMBER) || member.equals(TIER_MEMBER)
                        || member.equals(FOOTPRINT_MEMBER) || member.equals(STATIC_DATA_MEMBER) || member.equals(RESIDENT_MEMBER)
                        || member.equals(MAP_BUFFER_MEMBER) || member.equals(UNMAP_BUFFER_MEMBER)
                        || member.equals(WRITE_BUFFER_MEMBER) || member.equals(READ_BUFFER_MEMBER);
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
        if (arguments.length == 0) {
            switch (member) {
                case RELEASE_MEMBER -> {
                    release();
                    return KpcNull.INSTANCE;
                }
                case FOOTPRINT_MEMBER -> {
                    return footprint();
                }
                case STATIC_DATA_MEMBER -> {
                    return (long) program.layout().readOnlyData().length + program.layout().writableData().length;
                }
                case RESIDENT_MEMBER -> {
                    return memory.residentBytes();
                }
                case TIER_MEMBER -> {
                    return program.currentTier().get();
                }
                default -> {
                }
            }
        }
        switch (member) {
            case MAP_BUFFER_MEMBER -> {
                checkArity(arguments, 2);
                return mapHostBuffer(intArgument(arguments, 0), InteropLibrary.getUncached().asBoolean(arguments[1]));
            }
            case UNMAP_BUFFER_MEMBER -> {
                checkArity(arguments, 1);
                return unmapHostBuffer(intArgument(arguments, 0));
            }
            case WRITE_BUFFER_MEMBER, READ_BUFFER_MEMBER -> {
                checkArity(arguments, 5);
                checkOpen();
                if (!(HostArguments.hostObject(arguments[2]) instanceof byte[] bytes)) {
                    throw UnsupportedTypeException.create(arguments, "invalid argument 3 of " + member + ": expected a byte[]");
                }
                int address = intArgument(arguments, 0);
                int offset = intArgument(arguments, 1);
                int arrayOffset = intArgument(arguments, 3);
                int length = intArgument(arguments, 4);
                if (member.equals(WRITE_BUFFER_MEMBER)) {
                    hostBuffers.write(address, offset, bytes, arrayOffset, length);
                } else {
                    hostBuffers.read(address, offset, bytes, arrayOffset, length);
                }
                return KpcNull.INSTANCE;
            }
            default -> {
            }
        }
        KpcFunction function = functions.get(member);
        if (function == null) {
            throw UnknownIdentifierException.create(member);
        }
        return callFromHost(function.entry(), arguments);
    }

    private static void checkArity(Object[] arguments, int expected) throws ArityException {
        if (arguments.length != expected) {
            throw ArityException.create(expected, expected, arguments.length);
        }
    }

    private static int intArgument(Object[] arguments, int index) throws UnsupportedMessageException {
        return (int) InteropLibrary.getUncached().asLong(arguments[index]);
    }

    /**
     * Maps a host buffer of {@code size} bytes that stays mapped across calls until
     * {@link #unmapHostBuffer}, and returns its address.
     */
    private long mapHostBuffer(int size, boolean readOnly) {
        checkOpen();
        if (running) {
            throw new KpcException("plugin '" + name() + "' is running on this thread: map host buffers between calls,"
                            + " not from a host function the plugin calls", null);
        }
        return Integer.toUnsignedLong(hostBuffers.map(name(), size, readOnly));
    }

    private boolean unmapHostBuffer(int address) {
        if (released) {
            // The release unmapped everything.
            return false;
        }
        boolean unmapped = hostBuffers.unmap(address);
        if (!running && memory.residentBytes() > trimAbove()) {
            memory.trim();
        }
        return unmapped;
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
