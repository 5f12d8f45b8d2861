// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

/**
 * A virtual register of one function. Its id is unique in the function and indexes the register
 * allocator's tables. {@code name} is for listings: the C variable it holds, or empty for a
 * temporary.
 */
public record VReg(int id, Width width, String name) implements Operand {

    @Override
    public String toString() {
        return name.isEmpty() ? "v" + id : "v" + id + "(" + name + ")";
    }
}
