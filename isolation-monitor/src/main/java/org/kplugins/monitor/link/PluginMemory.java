// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.link;

import com.oracle.truffle.api.nodes.Node;
import java.nio.charset.StandardCharsets;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * The memory of the plugin that called a host function, as that function may use it. Addresses are
 * plugin addresses (longs so that the unsigned arguments of {@link HostFunction} pass unchanged),
 * and every access is checked as the plugin's own access would be: a bad pointer raises the fault
 * the plugin would get, located at the plugin's call of the host function. Valid for the duration
 * of that call only.
 */
public final class PluginMemory {

    /** Longest C string {@link #readCString} reads, in bytes. */
    public static final int MAX_STRING_LENGTH = 1 << 20;

    private final AddressSpace memory;
    private final Node callSite;

    public PluginMemory(AddressSpace memory, Node callSite) {
        this.memory = memory;
        this.callSite = callSite;
    }

    /** Returns the name of the plugin that called. */
    public String pluginName() {
        return memory.pluginName();
    }

    /**
     * Returns a copy of the {@code length} bytes at {@code address}. The range is checked before
     * anything is allocated, so a plugin cannot make the host allocate more than it has mapped.
     *
     * @throws IllegalArgumentException if length is negative
     */
    public byte[] read(long address, int length) {
        int start = plugin(address, length);
        memory.checkReadRange(callSite, start, length);
        byte[] bytes = new byte[length];
        memory.readBytes(callSite, start, bytes, 0, length);
        return bytes;
    }

    /** Copies {@code length} bytes at {@code address} into {@code dst} from {@code offset}. */
    public void read(long address, byte[] dst, int offset, int length) {
        memory.readBytes(callSite, plugin(address, length), dst, offset, length);
    }

    /** Writes all of {@code bytes} at {@code address}; read-only pages fault. */
    public void write(long address, byte[] bytes) {
        memory.writeBytes(callSite, plugin(address, bytes.length), bytes, 0, bytes.length);
    }

    /** Reads a little-endian 32-bit integer. */
    public int readInt(long address) {
        return memory.loadI32(callSite, plugin(address, 4));
    }

    /** Writes a little-endian 32-bit integer. */
    public void writeInt(long address, int value) {
        memory.storeI32(callSite, plugin(address, 4), value);
    }

    /**
     * Reads the NUL-terminated string at {@code address} as UTF-8, stopping after
     * {@link #MAX_STRING_LENGTH} bytes.
     */
    public String readCString(long address) {
        String latin1 = memory.readCString(callSite, plugin(address, 1), MAX_STRING_LENGTH);
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /**
     * Returns {@code address} as a plugin address. An address outside 32 bits, which host
     * arithmetic on a pointer argument can produce, becomes 0xFFFFFFFF, which lies beyond every
     * segment limit, so the access faults as it would in the plugin.
     */
    private static int plugin(long address, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("invalid length " + length + ": must not be negative");
        }
        return address >= 0 && address <= 0xFFFF_FFFFL ? (int) address : -1;
    }
}
