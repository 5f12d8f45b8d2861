// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

/**
 * A memory operand {@code [base + index*scale + disp32]} with 64-bit address registers, or
 * {@code [rip + disp32]}, or {@code [rip + label]}. Base and index are optional, and the
 * displacement is a signed 32-bit value. The operand size is not part of the operand: the
 * instruction gives it. An operand may carry a {@link Segment} override ({@link #withSegment}),
 * which the encoder emits as a prefix.
 *
 * <p>The factories reject operands that x86-64 cannot encode and rewrite two cases into a shorter
 * equal form: an index with scale 1 and no base becomes the base, and {@code [base + rsp*1]}
 * swaps base and index, because RSP cannot be an index.
 */
public final class Memory {

    private final Register base;
    private final Register index;
    private final int scale;
    private final int displacement;
    private final boolean ripRelative;
    private final Label ripTarget;
    private final Segment segment;

    private Memory(Register base, Register index, int scale, int displacement, boolean ripRelative, Label ripTarget) {
        this(base, index, scale, displacement, ripRelative, ripTarget, null);
    }

    private Memory(Register base, Register index, int scale, int displacement, boolean ripRelative, Label ripTarget,
                    Segment segment) {
        this.base = base;
        this.index = index;
        this.scale = scale;
        this.displacement = displacement;
        this.ripRelative = ripRelative;
        this.ripTarget = ripTarget;
        this.segment = segment;
    }

    /** Returns {@code [base]}. */
    public static Memory at(Register base) {
        return at(base, 0);
    }

    /** Returns {@code [base + displacement]}. */
    public static Memory at(Register base, int displacement) {
        checkAddressRegister(base, "base", null, 1, displacement);
        return new Memory(base, null, 1, displacement, false, null);
    }

    /**
     * Returns {@code [base + index*scale + displacement]}.
     *
     * @throws IllegalArgumentException if the scale is not 1, 2, 4 or 8, if the index is RSP with a
     *             scale other than 1 or with RSP as base, or if a register is AH, CH, DH or BH
     */
    public static Memory at(Register base, Register index, int scale, int displacement) {
        checkAddressRegister(base, "base", index, scale, displacement);
        checkAddressRegister(index, "index", base, scale, displacement);
        checkScale(base, index, scale, displacement);
        if (index == Register.RSP && scale == 1 && base != Register.RSP) {
            return new Memory(index, base, 1, displacement, false, null);
        }
        checkIndex(base, index, scale, displacement);
        return new Memory(base, index, scale, displacement, false, null);
    }

    /**
     * Returns {@code [index*scale + displacement]} without a base register. The encoding always
     * carries a 32-bit displacement, so with scale 1 the index becomes a base, which is shorter.
     */
    public static Memory indexed(Register index, int scale, int displacement) {
        checkAddressRegister(index, "index", null, scale, displacement);
        checkScale(null, index, scale, displacement);
        if (scale == 1) {
            return new Memory(index, null, 1, displacement, false, null);
        }
        checkIndex(null, index, scale, displacement);
        return new Memory(null, index, scale, displacement, false, null);
    }

    /** Returns {@code [displacement]}, an absolute address in the low or high 2 GiB (the value is sign-extended). */
    public static Memory absolute(int displacement) {
        return new Memory(null, null, 1, displacement, false, null);
    }

    /** Returns {@code [rip + displacement]}, relative to the end of the instruction that uses it. */
    public static Memory ripRelative(int displacement) {
        return new Memory(null, null, 1, displacement, true, null);
    }

    /** Returns {@code [rip + target]}, the address of a label, patched when the label is bound. */
    public static Memory ripRelative(Label target) {
        if (target == null) {
            throw new IllegalArgumentException("RIP-relative memory operand needs a label, not null");
        }
        return new Memory(null, null, 1, 0, true, target);
    }

    /**
     * Returns this operand with a segment override, for example {@code gs:[r15+rax*1]} for
     * {@link Segment#GS}, or without one for null.
     */
    public Memory withSegment(Segment override) {
        return new Memory(base, index, scale, displacement, ripRelative, ripTarget, override);
    }

    /** Returns the segment override, or null when the operand has none. */
    public Segment segment() {
        return segment;
    }

    /** Returns the base register, or null when there is none, which is always the case for a RIP-relative operand. */
    public Register base() {
        return base;
    }

    /** Returns the index register, or null when there is none. */
    public Register index() {
        return index;
    }

    /** Returns the index scale: 1, 2, 4 or 8. */
    public int scale() {
        return scale;
    }

    /** Returns the signed 32-bit displacement, which is 0 for an operand relative to a label. */
    public int displacement() {
        return displacement;
    }

    /** Returns whether the address is relative to the instruction pointer. */
    public boolean isRipRelative() {
        return ripRelative;
    }

    /** Returns the label of a {@link #ripRelative(Label)} operand, or null. */
    public Label ripTarget() {
        return ripTarget;
    }

    /** Returns whether a base or index register is R8 to R15 and so needs REX.B or REX.X. */
    boolean needsRexBit() {
        return (base != null && base.needsRexBit()) || (index != null && index.needsRexBit());
    }

    /** Renders the operand in Intel syntax, for example {@code [rbp+rax*8-0x10]} or {@code gs:[r15+rax*1]}. */
    @Override
    public String toString() {
        String override = segment == null ? "" : segment.text() + ":";
        if (ripTarget != null) {
            return override + "[rip+" + ripTarget.name() + "]";
        }
        return override + format(ripRelative ? "rip" : null, base, index, scale, displacement);
    }

    private static String format(String rip, Register base, Register index, int scale, int displacement) {
        StringBuilder text = new StringBuilder("[");
        if (rip != null) {
            text.append(rip);
        } else if (base != null) {
            text.append(base);
        }
        if (index != null) {
            if (text.length() > 1) {
                text.append('+');
            }
            text.append(index).append('*').append(scale);
        }
        if (displacement != 0 || text.length() == 1) {
            if (text.length() > 1) {
                text.append(displacement < 0 ? '-' : '+');
            } else if (displacement < 0) {
                text.append('-');
            }
            text.append("0x").append(Long.toHexString(Math.abs((long) displacement)));
        }
        return text.append(']').toString();
    }

    private static void checkAddressRegister(Register register, String role, Register other, int scale, int displacement) {
        if (register == null) {
            throw new IllegalArgumentException("memory operand needs a " + role
                            + " register, not null; use Memory.indexed or Memory.absolute for an address without one");
        }
        if (register.isHighByte()) {
            Register base = role.equals("base") ? register : other;
            Register index = role.equals("base") ? other : register;
            throw new IllegalArgumentException("invalid " + role + " register " + register + " in memory operand "
                            + format(null, base, index, scale, displacement)
                            + ": address registers are 64-bit, and " + register + " is an 8-bit register");
        }
    }

    private static void checkScale(Register base, Register index, int scale, int displacement) {
        if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
            throw new IllegalArgumentException("invalid scale " + scale + " in memory operand "
                            + format(null, base, index, scale, displacement) + ": the scale must be 1, 2, 4 or 8");
        }
    }

    private static void checkIndex(Register base, Register index, int scale, int displacement) {
        // SIB index code 100 without REX.X means "no index", so RSP has no encoding as an index.
        if (index == Register.RSP) {
            throw new IllegalArgumentException("invalid index register rsp in memory operand "
                            + format(null, base, index, scale, displacement)
                            + ": rsp cannot be an index register; use it as the base or pick another register");
        }
    }
}
