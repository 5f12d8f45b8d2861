// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import java.util.Objects;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.kplugins.kpc.runtime.PluginInstance;

/**
 * A buffer that stays mapped in one thread's instance of a plugin across calls, so that calls
 * which take it copy nothing. The host writes its input there and reads the plugin's output
 * from it. Passed as an argument for a pointer parameter, it is the buffer's plugin address.
 * The plugin reaches it like any memory the host maps for it: a read-only buffer faults on a
 * write, and an access past the buffer's last page hits an unmapped guard page and faults.
 *
 * <p>A buffer belongs to the plugin and the instance of the thread that allocated it, and only
 * that thread uses it. {@link #close} unmaps it. {@link Plugin#releaseThreadInstance} and the
 * unload of the plugin unmap it too, after which its methods throw {@link IllegalStateException}.
 */
public final class PluginBuffer implements AutoCloseable {

    private final Plugin plugin;
    private final ThreadInstance owner;
    /** The owner's plugin instance when the buffer was mapped. A released and recreated instance is another value. */
    private final Value instanceValue;
    private final long address;
    private final int size;
    private final boolean readOnly;
    private boolean closed;

    PluginBuffer(Plugin plugin, ThreadInstance owner, long address, int size, boolean readOnly) {
        this.plugin = plugin;
        this.owner = owner;
        this.instanceValue = owner.plugin;
        this.address = address;
        this.size = size;
        this.readOnly = readOnly;
    }

    /** Returns the buffer's address in the plugin's address space. */
    public long address() {
        return address;
    }

    /** Returns the buffer's size in bytes, as requested. */
    public int size() {
        return size;
    }

    /** Returns whether the plugin may only read the buffer. The host writes it either way. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** Copies all of {@code src} into the buffer from {@code offset}. */
    public void write(int offset, byte[] src) {
        write(offset, src, 0, src.length);
    }

    /**
     * Copies {@code length} bytes of {@code src} from {@code srcOffset} into the buffer from
     * {@code offset}.
     *
     * @throws IndexOutOfBoundsException if a range lies outside the buffer or the array
     * @throws IllegalStateException     if the buffer is closed or belongs to another thread
     */
    public void write(int offset, byte[] src, int srcOffset, int length) {
        Objects.checkFromIndexSize(offset, length, size);
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        transfer(PluginInstance.WRITE_BUFFER_MEMBER, offset, src, srcOffset, length);
    }

    /** Copies the buffer's bytes from {@code offset} into all of {@code dst}. */
    public void read(int offset, byte[] dst) {
        read(offset, dst, 0, dst.length);
    }

    /**
     * Copies {@code length} bytes of the buffer from {@code offset} into {@code dst} from
     * {@code dstOffset}.
     *
     * @throws IndexOutOfBoundsException if a range lies outside the buffer or the array
     * @throws IllegalStateException     if the buffer is closed or belongs to another thread
     */
    public void read(int offset, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(offset, length, size);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        transfer(PluginInstance.READ_BUFFER_MEMBER, offset, dst, dstOffset, length);
    }

    private void transfer(String member, int offset, byte[] bytes, int bytesOffset, int length) {
        ThreadInstance instance = enterOwner();
        try {
            instance.plugin.invokeMember(member, address, offset, bytes, bytesOffset, length);
        } finally {
            plugin.exitGate(instance);
        }
    }

    /**
     * Unmaps the buffer. A later call must not pass its address: the plugin faults on it. Closing
     * a buffer twice, or after its instance is released, does nothing.
     *
     * @throws IllegalStateException if called from another thread than the owner's
     */
    @Override
    public void close() {
        checkThread();
        if (closed) {
            return;
        }
        closed = true;
        if (!plugin.enterExisting(owner)) {
            // Unloaded, or the thread's instance released: that unmapped the buffer with the rest.
            return;
        }
        try {
            if (owner.plugin == instanceValue) {
                owner.plugin.invokeMember(PluginInstance.UNMAP_BUFFER_MEMBER, address);
            }
        } catch (PolyglotException e) {
            // The instance was released meanwhile, with its buffers.
        } finally {
            plugin.exitGate(owner);
        }
    }

    /**
     * Returns whether the buffer is unmapped: {@link #close} has run, or the thread's instance was
     * released, or the plugin was unloaded. Its methods then throw {@link IllegalStateException}.
     */
    public boolean isClosed() {
        return closed || owner.plugin != instanceValue;
    }

    /**
     * Returns the address to pass for this buffer in a call of {@code callee} on {@code instance},
     * or throws if it cannot be passed there.
     */
    long addressIn(Plugin callee, ThreadInstance instance) {
        if (closed) {
            throw closedError();
        }
        if (callee != plugin) {
            throw new IllegalStateException(describe() + " cannot be passed to plugin '" + callee.name()
                            + "': a buffer is mapped in the plugin that allocated it only; allocate one from plugin '"
                            + callee.name() + "'");
        }
        if (instance.threadId() != owner.threadId()) {
            throw new IllegalStateException(describe() + " belongs to the instance of thread " + owner.threadId()
                            + "; pass buffers only on the thread that allocated them");
        }
        if (instance != owner || owner.plugin != instanceValue) {
            // This thread's instance was released since, and the call got a new one.
            throw plugin.isLoaded() ? released() : unloaded();
        }
        return address;
    }

    private ThreadInstance enterOwner() {
        checkThread();
        if (closed) {
            throw closedError();
        }
        if (!plugin.enterExisting(owner)) {
            throw plugin.isLoaded() ? released() : unloaded();
        }
        if (owner.plugin != instanceValue) {
            plugin.exitGate(owner);
            throw released();
        }
        return owner;
    }

    private IllegalStateException closedError() {
        return new IllegalStateException(describe() + " is closed; allocate a new one");
    }

    private IllegalStateException unloaded() {
        return new IllegalStateException(describe() + " was unmapped: plugin '" + plugin.name() + "' is "
                        + (plugin.isQuarantined() ? "quarantined" : "unloaded"));
    }

    private IllegalStateException released() {
        return new IllegalStateException(describe() + " was unmapped when this thread's instance of plugin '"
                        + plugin.name() + "' was released; allocate a new one");
    }

    private void checkThread() {
        long current = Thread.currentThread().threadId();
        if (current != owner.threadId()) {
            throw new IllegalStateException(describe() + " belongs to thread " + owner.threadId() + ", not to thread " + current
                            + "; use it only on the thread that allocated it");
        }
    }

    private String describe() {
        return "the " + size + "-byte buffer at " + address + " of plugin '" + plugin.name() + "'";
    }

    @Override
    public String toString() {
        return "buffer of " + size + " bytes at " + address + " in plugin " + plugin.name() + (closed ? " (closed)" : "");
    }
}
