// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.link.Prototypes;
import org.kplugins.kpc.runtime.PluginInstance;
import org.kplugins.kpc.types.FunctionType;
import org.kplugins.monitor.link.CallGate;

/**
 * A loaded plugin: compiled, its imports linked against the kernel's symbol table, callable
 * directly or through the hooks it is linked to.
 *
 * <p>Each host thread that calls the plugin gets an instance of its own, in a polyglot context of
 * its own on the kernel's engine, created on the thread's first call. {@link #unload} unlinks the
 * plugin from every hook and stops new calls; calls already running finish, and the last one to
 * return releases the memory of every instance.
 */
public final class Plugin {

    /**
     * One thread's instance: its context, the plugin instance evaluated in it, and the function
     * values fetched so far by index. Only the owning thread reads it during calls; the release
     * clears it, so that a thread-local entry left in a living thread holds nothing big.
     */
    private static final class Instance {
        Context context;
        Value plugin;
        Value[] functions = new Value[0];
        /**
         * Calls made on this instance. Only the owning thread writes it, without synchronization,
         * so that counting costs no atomic operation; other threads read a recent value.
         */
        long calls;

        Instance(Context context, Value plugin) {
            this.context = context;
            this.plugin = plugin;
        }

        void clear() {
            context = null;
            plugin = null;
            functions = new Value[0];
        }
    }

    private final Kernel kernel;
    private final String name;
    private final Source source;
    private final PluginLimits limits;
    private final CallGate gate = new CallGate(this::release);
    private final ThreadLocal<Instance> threadInstance = new ThreadLocal<>();
    /** Every instance, so that the release closes the ones of other threads too. */
    private final List<Instance> instances = new ArrayList<>();
    /** Prototypes of the functions linked so far, by name. */
    private final Map<String, FunctionType> prototypes = new ConcurrentHashMap<>();
    /** Index of each function fetched so far in every instance's {@code functions} array. */
    private final Map<String, Integer> functionIndices = new ConcurrentHashMap<>();
    /** The name of each function by its index in {@link #functionIndices}. */
    private final List<String> functionNames = new CopyOnWriteArrayList<>();
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
        threadInstance.set(newInstance());
        this.compileNanos = System.nanoTime() - start;
    }

    static Plugin load(Kernel kernel, Source source, PluginLimits limits) {
        return new Plugin(kernel, source, limits);
    }

    /** Creates this thread's instance: a context with the plugin's limits, and the plugin evaluated in it. */
    private Instance newInstance() {
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
            Instance instance = new Instance(context, plugin);
            synchronized (instances) {
                instances.add(instance);
            }
            return instance;
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
            for (Instance instance : instances) {
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
        if (!gate.enter()) {
            throw new LinkException("plugin '" + name + "' is " + (quarantined ? "quarantined" : "unloaded"));
        }
        try {
            Value value = instance().plugin.getMember(function);
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
            gate.exit();
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
        if (!gate.enter()) {
            throw new IllegalStateException("plugin '" + name + "' is " + (quarantined ? "quarantined" : "unloaded"));
        }
        try {
            return instance().plugin.invokeMember(member).asLong();
        } finally {
            gate.exit();
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
        if (!gate.enter()) {
            throw new IllegalStateException("plugin '" + name + "' is " + (quarantined ? "quarantined" : "unloaded")
                            + "; load it again to call it");
        }
        try {
            return invoke(function, arguments);
        } finally {
            gate.exit();
        }
    }

    CallGate gate() {
        return gate;
    }

    /**
     * Returns the index under which {@link #function(int)} finds the exported function
     * {@code function}.
     *
     * @throws LinkException if the plugin exports no such function
     */
    int functionIndex(String function) {
        Integer index = functionIndices.get(function);
        if (index != null) {
            return index;
        }
        type(function);
        synchronized (functionIndices) {
            return functionIndices.computeIfAbsent(function, name -> {
                functionNames.add(name);
                return functionNames.size() - 1;
            });
        }
    }

    /** Returns this thread's value of the function with {@code index}; the caller has entered the gate. */
    Value function(int index) {
        return function(instance(), index);
    }

    private Value function(Instance instance, int index) {
        Value[] functions = instance.functions;
        if (index < functions.length && functions[index] != null) {
            return functions[index];
        }
        return fetchFunction(instance, index);
    }

    private Value fetchFunction(Instance instance, int index) {
        Value value = instance.plugin.getMember(functionNames.get(index));
        if (instance.functions.length <= index) {
            instance.functions = Arrays.copyOf(instance.functions, index + 1);
        }
        instance.functions[index] = value;
        return value;
    }

    /** Calls on this thread's instance and counts the call and its fault; the caller has entered the gate. */
    Value invoke(String function, Object[] arguments) {
        return execute(functionIndex(function), arguments);
    }

    /**
     * Calls the function with {@code index} on this thread's instance, counting the call and its
     * fault; the caller has entered the gate.
     */
    Value execute(int index, Object[] arguments) {
        Instance instance = instance();
        Value value = function(instance, index);
        instance.calls++;
        try {
            return value.execute(arguments);
        } catch (PolyglotException e) {
            if (isFault(e)) {
                recordFault(e);
            }
            throw e;
        }
    }

    private Instance instance() {
        Instance instance = threadInstance.get();
        if (instance == null) {
            instance = newInstance();
            threadInstance.set(instance);
        }
        return instance;
    }

    private static boolean isFault(PolyglotException e) {
        if (!e.isGuestException() || e.isSyntaxError()) {
            return false;
        }
        Value guest = e.getGuestObject();
        return guest != null && guest.hasMember("kind");
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
     * unloaded. Must not be called from a host function while the plugin runs on this thread.
     */
    public void releaseThreadInstance() {
        Instance instance = threadInstance.get();
        if (instance == null) {
            return;
        }
        threadInstance.remove();
        synchronized (instances) {
            if (!instances.remove(instance)) {
                // The plugin's release has taken it already.
                return;
            }
            releasedCalls += instance.calls;
        }
        Context context = instance.context;
        try {
            instance.plugin.invokeMember(RELEASE_MEMBER);
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
        List<Instance> all;
        synchronized (instances) {
            all = List.copyOf(instances);
            for (Instance instance : all) {
                releasedCalls += instance.calls;
            }
            instances.clear();
        }
        for (Instance instance : all) {
            try {
                instance.plugin.invokeMember(RELEASE_MEMBER);
            } catch (RuntimeException e) {
                // The context was closed already, by the kernel's close or by its engine: nothing is
                // left to release in it.
            }
            instance.clear();
        }
        released = true;
    }

    /** The member of a KPC plugin instance that releases its memory; see PluginInstance.release. */
    private static final String RELEASE_MEMBER = "kpc:release";

    @Override
    public String toString() {
        return "plugin " + name;
    }
}
