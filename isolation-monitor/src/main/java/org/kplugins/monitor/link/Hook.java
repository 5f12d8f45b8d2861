// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.link;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A named hook point of the host with its C prototype, and the plugin function linked to it now.
 * Linking, unlinking and replacing are single atomic updates of one reference, so a call sees either
 * the old binding or the new one, never a mix. The caller checks prototypes before it binds.
 *
 * @param <T> what a binding is: a linked plugin function of some tier
 */
public final class Hook<T> {

    private final String name;
    private final String prototype;
    private final AtomicReference<T> binding = new AtomicReference<>();

    public Hook(String name, String prototype) {
        this.name = Objects.requireNonNull(name, "name");
        this.prototype = Objects.requireNonNull(prototype, "prototype");
    }

    public String name() {
        return name;
    }

    /** Returns the hook's C prototype, for example {@code int transcode(const uint8_t *in, ...)}. */
    public String prototype() {
        return prototype;
    }

    /** Returns the binding now, or null when nothing is linked. */
    public T binding() {
        return binding.get();
    }

    /** Binds {@code target} if nothing is linked; returns false, changing nothing, otherwise. */
    public boolean link(T target) {
        return binding.compareAndSet(null, Objects.requireNonNull(target, "target"));
    }

    /** Binds {@code target} in place of whatever is linked and returns that, or null. */
    public T replace(T target) {
        return binding.getAndSet(Objects.requireNonNull(target, "target"));
    }

    /** Unbinds and returns what was linked, or null. */
    public T unlink() {
        return binding.getAndSet(null);
    }

    /** Unbinds {@code expected} if it is what is linked now; returns whether it was. */
    public boolean unlink(T expected) {
        return binding.compareAndSet(expected, null);
    }
}
