// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.link;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A data window in the kernel symbol table: a host buffer that a plugin sees as the global
 * {@code name}, mapped into the plugin's address space.
 *
 * <p>The window is the buffer from index 0 to its capacity, whatever its position and limit. The
 * plugin sees the buffer's bytes as they are when a call from the host starts; a writable
 * window's bytes are copied back when that call returns, also when it faults. A plugin therefore
 * never sees host changes in the middle of a call, and concurrent calls on several threads each
 * write back their own copy, so the last call to return wins.
 *
 * @param name        the C identifier
 * @param declaration its C declaration without {@code extern}, for example
 *                    {@code const uint8_t palette[768]}; the object size must equal the buffer's
 *                    capacity
 * @param version     the export's version, from 1
 * @param buffer      the host bytes, from index 0 to the capacity
 * @param writable    whether plugins may write the window; a read-only window must be declared
 *                    {@code const}
 */
public record DataExport(String name, String declaration, int version, ByteBuffer buffer, boolean writable) {

    public DataExport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(declaration, "declaration");
        Objects.requireNonNull(buffer, "buffer");
        if (writable && buffer.isReadOnly()) {
            throw new IllegalArgumentException("data export '" + name + "' is writable but its buffer is read-only;"
                            + " export it read-only or pass a writable buffer");
        }
    }
}
