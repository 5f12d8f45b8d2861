// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import java.util.ArrayList;
import java.util.List;

/**
 * A position in the code of one {@link X86Encoder}, the target of jumps, calls and RIP-relative
 * operands. Create it with {@link X86Encoder#newLabel(String)} and fix its position with
 * {@link X86Encoder#bind(Label)}; references made before binding are patched when it is bound.
 */
public final class Label {

    private final X86Encoder owner;
    private final String name;
    private int position = -1;
    private final List<Fixup> fixups = new ArrayList<>();

    /**
     * A displacement field that refers to this label before it is bound.
     *
     * @param mnemonic         the instruction, for error messages
     * @param instructionStart offset of the instruction's first byte
     * @param fieldOffset      offset of the displacement field
     * @param rel8             whether the field is 1 byte (else 4 bytes)
     * @param instructionEnd   offset the displacement is relative to: the end of the instruction
     */
    record Fixup(String mnemonic, int instructionStart, int fieldOffset, boolean rel8, int instructionEnd) {
    }

    Label(X86Encoder owner, String name) {
        this.owner = owner;
        this.name = name;
    }

    /** Returns the name given at creation, which error messages use. */
    public String name() {
        return name;
    }

    /** Returns whether {@link X86Encoder#bind(Label)} has fixed the label's position. */
    public boolean isBound() {
        return position >= 0;
    }

    /**
     * Returns the code offset the label is bound to.
     *
     * @throws IllegalStateException if the label is not bound yet
     */
    public int position() {
        if (!isBound()) {
            throw new IllegalStateException("label '" + name + "' is not bound yet");
        }
        return position;
    }

    X86Encoder owner() {
        return owner;
    }

    void bindTo(int offset) {
        position = offset;
    }

    /** Returns the references made before binding, which is empty once the label is bound. */
    List<Fixup> fixups() {
        return fixups;
    }

    @Override
    public String toString() {
        return name;
    }
}
