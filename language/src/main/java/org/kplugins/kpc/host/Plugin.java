// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.link.Prototypes;
import org.kplugins.kpc.runtime.KpcPointer;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.monitor.fault.FaultKind;
import org.kplugins.monitor.link.CallGate;

/**
 * A loaded plugin: compiled, its imports linked against the kernel's symbol table, callable
 * directly or through the hooks it is linked to.
 *
 * <p>Each host thread that calls the plugin gets an instance of its own, in a polyglot context of
 * its own on the kernel's engine, created on the thread's first call. {@link #unload} unlinks the
 * plugin from every hook and stops new calls; calls already running finish, and the last one to
 * return releases the memory of every instance.
 *
 * <p>Every call enters the plugin's {@link CallGate} through its thread's instance, which is the
 * thread's slot in the gate, and exits it when the call returns.
 */
public final class Plugin {

    private final Kernel kernel;
    private final String name;
    private final Source source;
    private final PluginLimits limits;
    private final CallGate gate = new CallGate(this::release);
    /** Each thread's instance, found by thread id: a {@link ThreadTable}. */
    private volatile ThreadTable.Entry[] threadInstances = ThreadTable.empty();
    /**
     * Every instance with a context, so that the release releases the ones of other threads too.
     * Also the lock under which {@link #threadInstances} is replaced.
     */
    private final List<ThreadInstance> instances = new ArrayList<>();
    /** Prototypes of the functions linked so far, by name. */
    private final Map<String, FunctionType> prototypes = new ConcurrentHashMap<>();
    /** The exported functions used so far, by name, each with its value in every thread's instance. */
    private final Map<String, ExportedFunction> exports = new ConcurrentHashMap<>();
    /** The symbol table reference every instance's context uses: the table's id and generation at load. */
    private final String tableReference;
    /** Calls made on instances that were released. */
    private long releasedCalls;
    private final AtomicInteger faults = new AtomicInteger();
    private final long compileNanos;
    private volatile String lastFault;
    private volatile boolean quarantined;
    private volatile boolean released;

    private Plugin(Kernel kernel, Source source, PluginLimits limits) {
        this.kernel = kernel;
        this.source = source;
        this.name = source.getName().endsWith(".kpc") ? source.getName().substring(0, source.getName().length() - 4)
                        : source.getName();
        this.limits = limits;
        this.tableReference = kernel.symbolTable().id() + "/" + kernel.symbolTable().generation();
        long start = System.nanoTime();
        // Nothing can unload the plugin before its constructor returns, so the first context is
        // created without entering the gate.
        createContext(addInstance(Thread.currentThread().threadId()));
        this.compileNanos = System.nanoTime() - start;
    }

    static Plugin load(Kernel kernel, Source source, PluginLimits limits) {
        return new Plugin(kernel, source, limits);
    }

    /**
     * Creates the context of a thread's instance: a context with the plugin's limits, and the
     * plugin evaluated in it.
     */
    private void createContext(ThreadInstance instance) {
        Context context;
        try {
            context = Context.newBuilder(KpcLanguage.ID)
                            .engine(kernel.engine())
                            .option("kpc.SymbolTable", tableReference)
                            .option("kpc.MemoryLimit", Integer.toString(limits.memoryLimit()))
                            .option("kpc.StackSize", Integer.toString(limits.stackSize()))
                            .option("kpc.HeapSize", Integer.toString(limits.heapSize()))
                            .option("kpc.Budget", Long.toString(limits.budget()))
                            .option("kpc.CallTimeout", Long.toString(limits.callTimeoutMillis()))
                            .option("kpc.RetainedHostBytes", Long.toString(limits.retainedHostBytes()))
                            .allowHostAccess(HostAccess.newBuilder().allowBufferAccess(true).allowArrayAccess(true).build())
                            .allowIO(IOAccess.newBuilder().fileSystem(
                                            org.graalvm.polyglot.io.FileSystem.newReadOnlyFileSystem(
                                                            org.graalvm.polyglot.io.FileSystem.newDefaultFileSystem()))
                                            .build())
                            .build();
        } catch (IllegalArgumentException e) {
            throw new PluginLoadException("invalid limits for plugin '" + name + "': " + e.getMessage(), e);
        }
        try {
            Value plugin = context.eval(source);
            instance.context = context;
            instance.plugin = plugin;
            synchronized (instances) {
                instances.add(instance);
            }
        } catch (PolyglotException e) {
            context.close();
            throw new PluginLoadException(e.getMessage(), e);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public PluginLimits limits() {
        return limits;
    }

    /** Returns the time the first load took to compile, link and instantiate, in nanoseconds. */
    public long compileNanos() {
        return compileNanos;
    }

    /**
     * Returns the calls made so far, through hooks and directly, including the ones that faulted.
     * While calls run on other threads, the count may lag behind by the calls those threads made
     * most recently.
     */
    public long calls() {
        synchronized (instances) {
            long sum = releasedCalls;
            for (ThreadInstance instance : instances) {
                sum += instance.calls;
            }
            return sum;
        }
    }

    /** Returns the faults so far in all instances. */
    public int faults() {
        return faults.get();
    }

    /** Returns the report of the last fault, or null. */
    public String lastFault() {
        return lastFault;
    }

    /** Returns whether the plugin reached its fault limit and was unloaded for it. */
    public boolean isQuarantined() {
        return quarantined;
    }

    /** Returns whether the plugin can still be called and linked: it is neither unloaded nor quarantined. */
    public boolean isLoaded() {
        return !gate.isRetired();
    }

    /** Returns whether the plugin's memory has been released, which happens once it is unloaded and no call of it runs. */
    public boolean isReleased() {
        return released;
    }

    /** Returns the number of calls of this plugin running now on all threads. */
    public long runningCalls() {
        return gate.runningCalls();
    }

    /**
     * Returns the C prototype of the exported function {@code function}, with typedef names
     * resolved and without parameter names.
     *
     * @throws LinkException if the plugin exports no such function
     */
    public String prototype(String function) {
        return type(function).prototype(function);
    }

    FunctionType type(String function) {
        FunctionType cached = prototypes.get(function);
        if (cached != null) {
            return cached;
        }
        ThreadInstance instance = enter();
        if (instance == null) {
            throw new LinkException("plugin '" + name + "' is " + (quarantined ? "quarantined" : "unloaded"));
        }
        try {
            Value value = instance.plugin.getMember(function);
            if (value == null || !value.canExecute()) {
                throw new LinkException("plugin '" + name + "' exports no function '" + function + "'");
            }
            FunctionType type;
            try {
                type = (FunctionType) Prototypes.function(value.toString()).type();
            } catch (IllegalArgumentException e) {
                // Display strings of parameters such as pointers to arrays are not C declarations.
                throw new LinkException("function '" + function + "' of plugin '" + name + "' has the prototype '"
                                + value + "', which hooks cannot take: use integer and pointer parameters");
            }
            prototypes.put(function, type);
            return type;
        } finally {
            gate.exit(instance);
        }
    }

    /**
     * Returns the most memory one instance of the plugin uses between calls, in bytes: its stack,
     * static data, data windows and whole kp_alloc heap range, plus the host-buffer memory it keeps
     * ({@link PluginLimits#retainedHostBytes}), at most {@link PluginLimits#memoryLimit}. During
     * a call an instance uses up to the memory limit.
     *
     * @throws IllegalStateException if the plugin is unloaded or quarantined
     */
    public long instanceFootprint() {
        return memoryMember(PluginInstance.FOOTPRINT_MEMBER);
    }

    /**
     * Returns the bytes of the plugin's initial static data, a copy of which the engine keeps for
     * the plugin's code besides the copy in each instance.
     *
     * @throws IllegalStateException if the plugin is unloaded or quarantined
     */
    public long staticDataBytes() {
        return memoryMember(PluginInstance.STATIC_DATA_MEMBER);
    }

    /**
     * Returns the memory that this thread's instance uses now, in bytes, creating the instance if
     * the thread has none.
     *
     * @throws IllegalStateException if the plugin is unloaded or quarantined
     */
    public long residentBytes() {
        return memoryMember(PluginInstance.RESIDENT_MEMBER);
    }

    private long memoryMember(String member) {
        ThreadInstance instance = enter();
        if (instance == null) {
            throw new IllegalStateException("plugin '" + name + "' is " + (quarantined ? "quarantined" : "unloaded"));
        }
        try {
            return instance.plugin.invokeMember(member).asLong();
        } finally {
            gate.exit(instance);
        }
    }

    /**
     * Calls the exported function {@code function} on this thread's instance. Arguments are Java
     * numbers, booleans, strings, byte arrays and ByteBuffers, as docs/embedding.md lists.
     *
     * @throws PolyglotException    the plugin's fault, whose message is the fault report
     * @throws IllegalStateException if the plugin is unloaded or quarantined
     * @throws LinkException         if the plugin exports no such function
     */
    public Value call(String function, Object... arguments) {
        ExportedFunction exported = exports.get(function);
        if (exported == null) {
            // The first call by this name checks the name inside the gate.
            ThreadInstance instance = enter();
            if (instance == null) {
                throw unloadedCallError();
            }
            try {
                exported = exported(function);
            } finally {
                gate.exit(instance);
            }
        }
        Value result = exported.call(arguments);
        if (result == null) {
            throw unloadedCallError();
        }
        return result;
    }

    private IllegalStateException unloadedCallError() {
        return new IllegalStateException("plugin '" + name + "' is " + (quarantined ? "quarantined" : "unloaded")
                        + "; load it again to call it");
    }

    /**
     * Returns the exported function {@code function}, which hooks link to.
     *
     * @throws LinkException if the plugin exports no such function, or is unloaded or quarantined
     *                       before its first use of the name
     */
    ExportedFunction exported(String function) {
        ExportedFunction exported = exports.get(function);
        if (exported != null) {
            return exported;
        }
        type(function);
        return exports.computeIfAbsent(function, name -> new ExportedFunction(this, gate, name));
    }

    /**
     * Enters the gate through this thread's instance and returns the instance, creating it and its
     * context on the thread's first call. Returns null, entering nothing, when the plugin is
     * unloaded or quarantined. The caller exits the gate through the instance when its call ends.
     */
    ThreadInstance enter() {
        ThreadInstance instance = ThreadTable.get(threadInstances, Thread.currentThread().threadId());
        if (instance != null && instance.context != null) {
            return gate.enter(instance) ? instance : null;
        }
        return enterFirstTime(instance);
    }

    /**
     * Enters the gate through {@code instance} if it is still this thread's instance with a
     * context, and returns whether it did. Unlike {@link #enter}, it never creates an instance.
     */
    boolean enterExisting(ThreadInstance instance) {
        return ThreadTable.get(threadInstances, instance.threadId()) == instance && instance.context != null
                        && gate.enter(instance);
    }

    /** Enters the gate for a thread that has no instance yet, or whose instance has no context. */
    private ThreadInstance enterFirstTime(ThreadInstance existing) {
        ThreadInstance instance = existing != null ? existing : addInstance(Thread.currentThread().threadId());
        if (!gate.enter(instance)) {
            return null;
        }
        // Inside the gate, so that no context is created after the release.
        if (instance.context == null) {
            try {
                createContext(instance);
            } catch (RuntimeException | Error e) {
                gate.exit(instance);
                throw e;
            }
        }
        return instance;
    }

    /** Adds an instance without a context for the thread with id {@code threadId}, and its slot in the gate. */
    private ThreadInstance addInstance(long threadId) {
        ThreadInstance instance = new ThreadInstance(threadId);
        gate.add(instance);
        synchronized (instances) {
            threadInstances = ThreadTable.with(threadInstances, instance);
        }
        return instance;
    }

    /**
     * Calls {@code function}, the value of an exported function in {@code instance}, counting the
     * call and its fault; the caller has entered the gate through the instance.
     */
    Value execute(ThreadInstance instance, Value function, Object[] arguments) {
        instance.calls++;
        try {
            return function.execute(withBufferPointers(instance, arguments));
        } catch (PolyglotException e) {
            if (faultKind(e) != null) {
                recordFault(e);
            }
            throw e;
        }
    }

    /**
     * Returns {@code arguments} with each {@link PluginBuffer} replaced by a pointer to it, copied
     * only if it has one. A pointer, unlike a number, fits only a pointer parameter.
     */
    private Object[] withBufferPointers(ThreadInstance instance, Object[] arguments) {
        Object[] converted = arguments;
        for (int i = 0; i < arguments.length; i++) {
            if (arguments[i] instanceof PluginBuffer buffer) {
                if (converted == arguments) {
                    // Not clone(): the host may pass a PluginBuffer[] as the varargs array.
                    converted = Arrays.copyOf(arguments, arguments.length, Object[].class);
                }
                converted[i] = new KpcPointer((int) buffer.addressIn(this, instance), null);
            }
        }
        return converted;
    }

    /**
     * Maps a zero-filled buffer of {@code size} bytes in this thread's instance, which the plugin
     * may read and write, and which stays mapped across calls until it is closed. A call that takes
     * it copies nothing, where a {@code byte[]} argument is copied in and out on every call.
     *
     * @throws IllegalStateException if the plugin is unloaded or quarantined, or a call of it runs on this thread
     * @throws PolyglotException     if the buffer does not fit under the plugin's memory limit
     */
    public PluginBuffer allocateBuffer(int size) {
        return mapBuffer(size, false);
    }

    /**
     * Maps a buffer like {@link #allocateBuffer}, which the plugin may only read: a write to it
     * faults. The host writes it with {@link PluginBuffer#write}.
     */
    public PluginBuffer allocateReadOnlyBuffer(int size) {
        return mapBuffer(size, true);
    }

    private PluginBuffer mapBuffer(int size, boolean readOnly) {
        if (size <= 0) {
            throw new IllegalArgumentException("a plugin buffer needs a size of at least 1 byte, not " + size);
        }
        ThreadInstance instance = enter();
        if (instance == null) {
            throw unloadedCallError();
        }
        try {
            // A count of one is this method's own entry into the gate.
            if (instance.running() > 1) {
                throw new IllegalStateException("cannot map a buffer in plugin '" + name
                                + "' while a call of it runs on this thread; map it between calls");
            }
            long address = instance.plugin.invokeMember(PluginInstance.MAP_BUFFER_MEMBER, size, readOnly).asLong();
            return new PluginBuffer(this, instance, address, size, readOnly);
        } finally {
            gate.exit(instance);
        }
    }

    /** Returns how many threads' instances have a context now. */
    int instanceCount() {
        synchronized (instances) {
            return instances.size();
        }
    }

    /** Exits the gate through {@code instance}, which {@link #enter} returned. */
    void exitGate(ThreadInstance instance) {
        gate.exit(instance);
    }

    /**
     * Returns the kind of the plugin fault that {@code e} reports, or null when {@code e} is
     * another error, such as a compile error. Call it while the plugin's context is open, because
     * the kind is read from the fault's guest object.
     */
    public static FaultKind faultKind(PolyglotException e) {
        if (!e.isGuestException() || e.isSyntaxError()) {
            return null;
        }
        Value guest = e.getGuestObject();
        if (guest == null || !guest.hasMember("kind")) {
            return null;
        }
        return FaultKind.valueOf(guest.getMember("kind").asString());
    }

    private void recordFault(PolyglotException e) {
        lastFault = e.getMessage();
        if (faults.incrementAndGet() >= limits.faultLimit() && !quarantined) {
            quarantined = true;
            unload();
        }
    }

    /**
     * Releases the calling thread's instance of the plugin, if it has one, and closes its context,
     * so its memory is freed. A later call from this thread creates a new instance. A host calls it
     * on a thread that is about to end, whose instance would otherwise stay until the plugin is
     * unloaded.
     *
     * @throws IllegalStateException if called from a host function while the plugin runs on this thread
     */
    public void releaseThreadInstance() {
        ThreadInstance instance = ThreadTable.get(threadInstances, Thread.currentThread().threadId());
        if (instance == null) {
            return;
        }
        if (instance.running() != 0) {
            throw new IllegalStateException("cannot release this thread's instance of plugin '" + name
                            + "' while a call of it runs on this thread; release it after the call returns");
        }
        synchronized (instances) {
            threadInstances = ThreadTable.without(threadInstances, instance.threadId());
        }
        gate.remove(instance);
        for (ExportedFunction exported : exports.values()) {
            exported.forgetThread(instance.threadId());
        }
        synchronized (instances) {
            if (!instances.remove(instance)) {
                // The plugin's release has taken it already, or its context was never created.
                return;
            }
            releasedCalls += instance.calls;
        }
        Context context = instance.context;
        try {
            instance.plugin.invokeMember(PluginInstance.RELEASE_MEMBER);
            context.close();
        } catch (RuntimeException e) {
            // The context was closed already, by the kernel's close or by its engine.
        }
        instance.clear();
    }

    /**
     * Unlinks the plugin from every hook and stops new calls. Calls already running finish; the last
     * to return releases the plugin's memory, or this method does when none runs.
     */
    public void unload() {
        if (gate.retire()) {
            kernel.forget(this);
        }
    }

    /**
     * Releases every instance's memory; runs once, when the plugin is unloaded and no call runs.
     * The contexts are not closed here: the exception of the fault that quarantined the plugin may
     * still be on its way to the caller, and its guest object lives in one of them. A context that
     * nothing references any more is freed by the engine; the kernel's engine closes the rest.
     */
    private void release() {
        kernel.forget(this);
        List<ThreadInstance> all;
        synchronized (instances) {
            all = List.copyOf(instances);
            for (ThreadInstance instance : all) {
                releasedCalls += instance.calls;
            }
            instances.clear();
        }
        for (ExportedFunction exported : exports.values()) {
            exported.forgetAll();
        }
        for (ThreadInstance instance : all) {
            try {
                instance.plugin.invokeMember(PluginInstance.RELEASE_MEMBER);
            } catch (RuntimeException e) {
                // The context was closed already, by the kernel's close or by its engine: nothing is
                // left to release in it.
            }
            instance.clear();
        }
        released = true;
    }

    @Override
    public String toString() {
        return "plugin " + name;
    }
}
