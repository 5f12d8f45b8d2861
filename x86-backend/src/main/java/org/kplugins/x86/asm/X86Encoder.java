// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The x86-64 encoding forms (segment and operand-size prefixes, REX, opcode, ModRM, SIB, displacement and
 * immediate) and the labels with their fix-ups. {@link X86Assembler} builds one method per
 * instruction form on top of these.
 *
 * <p>Invalid operands raise {@link IllegalArgumentException} with a message that starts with the
 * mnemonic. Label errors found when binding or finishing raise {@link IllegalStateException}.
 */
public abstract class X86Encoder {

    /** ModRM mod value for a register operand in r/m. */
    private static final int MOD_REGISTER = 0b11;

    private final CodeBuffer code = new CodeBuffer();
    private final List<Label> labels = new ArrayList<>();

    /** Returns the buffer with the code written so far. */
    public final CodeBuffer code() {
        return code;
    }

    /** Returns the offset of the next instruction. */
    public final int position() {
        return code.position();
    }

    /** Creates an unbound label; {@code name} appears in error messages. */
    public final Label newLabel(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("label name is missing; pass a name such as \"loop\" for error messages");
        }
        Label label = new Label(this, name);
        labels.add(label);
        return label;
    }

    /**
     * Binds {@code label} to the current position and patches every jump, call and RIP-relative
     * operand that referred to it before.
     *
     * @throws IllegalStateException if the label is already bound, or if a short jump to it would
     *             need a displacement outside -128 to 127
     */
    public final void bind(Label label) {
        checkLabel("bind", label);
        if (label.isBound()) {
            throw new IllegalStateException("label '" + label + "' is already bound at offset " + hex(label.position())
                            + "; a label marks one position, so create a new label for offset " + hex(position()));
        }
        int target = position();
        for (Label.Fixup fixup : label.fixups()) {
            if (fixup.rel8()) {
                checkRel8(fixup.mnemonic(), fixup.instructionStart(), label, target, target - fixup.instructionEnd(),
                                IllegalStateException::new);
            }
        }
        label.bindTo(target);
        for (Label.Fixup fixup : label.fixups()) {
            int displacement = target - fixup.instructionEnd();
            if (fixup.rel8()) {
                code.patchInt8(fixup.fieldOffset(), displacement);
            } else {
                code.patchInt32(fixup.fieldOffset(), displacement);
            }
        }
        label.fixups().clear();
    }

    /**
     * Returns the finished machine code.
     *
     * @throws IllegalStateException if an instruction refers to a label that was never bound
     */
    public final byte[] finish() {
        List<String> unbound = new ArrayList<>();
        for (Label label : labels) {
            if (!label.isBound() && !label.fixups().isEmpty()) {
                Label.Fixup first = label.fixups().getFirst();
                unbound.add("'" + label + "' (used by " + first.mnemonic() + " at offset " + hex(first.instructionStart()) + ")");
            }
        }
        if (!unbound.isEmpty()) {
            throw new IllegalStateException((unbound.size() == 1 ? "label " : "labels ") + String.join(", ", unbound)
                            + (unbound.size() == 1 ? " is" : " are") + " never bound; call bind(label) at the target before finish()");
        }
        return code.toByteArray();
    }

    // Encoding forms.

    /** Emits the 0x66 operand-size prefix for a 16-bit operation, and nothing for other sizes. */
    protected final void emitOperandSizePrefix(OperandSize size) {
        if (size == OperandSize.WORD) {
            code.emitByte(0x66);
        }
    }

    /**
     * Emits the segment override prefix of a memory operand, and nothing for an operand without
     * one. It comes first, before any mandatory or operand-size prefix, where GNU as 2.40 places it.
     */
    protected final void emitSegmentPrefix(Memory memory) {
        if (memory.segment() != null) {
            code.emitByte(memory.segment().prefix());
        }
    }

    /**
     * Emits a REX prefix {@code 0100WRXB} when one of its bits is set or {@code required} is true.
     * R, X and B are bit 3 of the register numbers that go into ModRM.reg, SIB.index and
     * ModRM.rm, SIB.base or the opcode.
     */
    protected final void emitRex(boolean w, int reg, int index, int base, boolean required) {
        int rex = 0x40 | (w ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((index >> 3) & 1) << 1 | ((base >> 3) & 1);
        if (rex != 0x40 || required) {
            code.emitByte(rex);
        }
    }

    /** Emits a one-byte opcode, or a two-byte one given as {@code 0x0Fxx}. */
    protected final void emitOpcode(int opcode) {
        if (opcode > 0xFF) {
            code.emitByte(opcode >> 8);
        }
        code.emitByte(opcode);
    }

    /** Emits a ModRM byte from mod and the low 3 bits of reg and rm. */
    protected final void emitModRm(int mod, int reg, int rm) {
        code.emitByte(mod << 6 | (reg & 7) << 3 | (rm & 7));
    }

    /** Emits a SIB byte; {@code scale} is the factor 1, 2, 4 or 8. */
    protected final void emitSib(int scale, int index, int base) {
        code.emitByte(Integer.numberOfTrailingZeros(scale) << 6 | (index & 7) << 3 | (base & 7));
    }

    protected final void emitImm8(long value) {
        code.emitByte((int) value);
    }

    protected final void emitImm16(long value) {
        code.emitInt16((int) value);
    }

    protected final void emitImm32(long value) {
        code.emitInt32((int) value);
    }

    protected final void emitImm64(long value) {
        code.emitInt64(value);
    }

    /** Emits an immediate of the operand size; a 64-bit operation takes a sign-extended 32-bit immediate. */
    protected final void emitImmediate(OperandSize size, long value) {
        switch (size) {
            case BYTE -> emitImm8(value);
            case WORD -> emitImm16(value);
            case DWORD, QWORD -> emitImm32(value);
        }
    }

    /** Returns the length of the immediate that {@link #emitImmediate} writes for the operand size. */
    protected static int immediateBytes(OperandSize size) {
        return switch (size) {
            case BYTE -> 1;
            case WORD -> 2;
            case DWORD, QWORD -> 4;
        };
    }

    /**
     * Emits an instruction with a register operand in ModRM.reg and a register in ModRM.rm.
     *
     * @param size    selects the 0x66 prefix (WORD) and REX.W (QWORD)
     * @param regSize the size at which {@code reg} is used, which decides how its 8-bit form encodes
     * @param rmSize  the same for {@code rm}
     */
    protected final void emitRmInstruction(String mnemonic, OperandSize size, int opcode, Register reg, OperandSize regSize,
                    Register rm, OperandSize rmSize) {
        checkRegister(mnemonic, reg, regSize);
        emitRegisterRm(mnemonic, size, opcode, reg.encoding(), reg, regSize, rm, rmSize);
    }

    /** Emits an instruction with the opcode extension {@code digit} in ModRM.reg and a register in ModRM.rm. */
    protected final void emitRmInstruction(String mnemonic, OperandSize size, int opcode, int digit, Register rm,
                    OperandSize rmSize) {
        emitRegisterRm(mnemonic, size, opcode, digit, null, null, rm, rmSize);
    }

    /**
     * Emits an instruction with a register operand in ModRM.reg and a memory operand.
     *
     * @param immediateBytes the length of the immediate that the caller emits after this call,
     *            which a {@code [rip + label]} displacement must account for
     */
    protected final void emitRmInstruction(String mnemonic, OperandSize size, int opcode, Register reg, OperandSize regSize,
                    Memory rm, int immediateBytes) {
        checkRegister(mnemonic, reg, regSize);
        emitMemoryRm(mnemonic, size, opcode, reg.encoding(), reg, regSize, rm, immediateBytes);
    }

    /** Emits an instruction with the opcode extension {@code digit} in ModRM.reg and a memory operand. */
    protected final void emitRmInstruction(String mnemonic, OperandSize size, int opcode, int digit, Memory rm,
                    int immediateBytes) {
        emitMemoryRm(mnemonic, size, opcode, digit, null, null, rm, immediateBytes);
    }

    /** Emits an instruction whose register is added to the opcode byte (the "+r" forms such as B8+r and 50+r). */
    protected final void emitOpcodeRegInstruction(String mnemonic, OperandSize size, int opcode, Register register,
                    OperandSize registerSize) {
        checkRegister(mnemonic, register, registerSize);
        boolean rexW = size == OperandSize.QWORD;
        boolean needsRex = rexW || needsRex(register, registerSize);
        if (needsRex && register.isHighByte()) {
            throw highByteWithRex(mnemonic, register, "the 64-bit operand size");
        }
        emitOperandSizePrefix(size);
        emitRex(rexW, 0, 0, register.encoding(), needsRex);
        emitOpcode(opcode + register.lowBits());
    }

    /**
     * Emits an SSE instruction with registers in ModRM.reg and ModRM.rm: the mandatory prefix
     * ({@code 0x66}, {@code 0xF2} or {@code 0xF3}, or 0 for none), which must come before REX,
     * then REX when W or an extended register needs it, the {@code 0x0Fxx} opcode and ModRM.
     */
    protected final void emitSseInstruction(int prefix, boolean rexW, int opcode, int reg, int rm) {
        if (prefix != 0) {
            code.emitByte(prefix);
        }
        emitRex(rexW, reg, 0, rm, false);
        emitOpcode(opcode);
        emitModRm(MOD_REGISTER, reg, rm);
    }

    /** Emits an SSE instruction with a register in ModRM.reg and a memory operand, as {@link #emitSseInstruction(int, boolean, int, int, int)}. */
    protected final void emitSseInstruction(String mnemonic, int prefix, boolean rexW, int opcode, int reg, Memory rm) {
        if (rm == null) {
            throw new IllegalArgumentException(mnemonic + ": memory operand is null");
        }
        if (rm.ripTarget() != null) {
            checkLabel(mnemonic, rm.ripTarget());
        }
        int start = position();
        emitSegmentPrefix(rm);
        if (prefix != 0) {
            code.emitByte(prefix);
        }
        emitRex(rexW, reg, rm.index() == null ? 0 : rm.index().encoding(), rm.base() == null ? 0 : rm.base().encoding(),
                        false);
        emitOpcode(opcode);
        emitMemoryOperand(mnemonic, start, reg, rm, 0);
    }

    /**
     * Emits a jump or call to {@code target} with a rel8 ({@code shortOpcode}) or rel32
     * ({@code nearOpcode}) displacement. A null distance picks rel8 when the label is bound and in
     * range and rel32 otherwise, so a forward reference always gets rel32.
     *
     * @param shortOpcode the one-byte rel8 opcode, or -1 when the instruction has none
     */
    protected final void emitRelativeBranch(String mnemonic, int shortOpcode, int nearOpcode, Label target,
                    JumpDistance distance) {
        checkLabel(mnemonic, target);
        int start = position();
        boolean useShort;
        if (distance == null) {
            useShort = shortOpcode >= 0 && target.isBound() && fitsInt8(target.position() - (start + 2));
        } else if (distance == JumpDistance.SHORT) {
            if (shortOpcode < 0) {
                throw new IllegalArgumentException(mnemonic + ": no short (rel8) form exists; use JumpDistance.NEAR");
            }
            if (target.isBound()) {
                checkRel8(mnemonic, start, target, target.position(), target.position() - (start + 2),
                                IllegalArgumentException::new);
            }
            useShort = true;
        } else {
            useShort = false;
        }

        emitOpcode(useShort ? shortOpcode : nearOpcode);
        emitLabelDisplacement(mnemonic, start, target, useShort, 0);
    }

    // Operand checks.

    /**
     * Checks that {@code value} fits the immediate of an operation of {@code size} and returns it
     * sign-extended from that size. An 8, 16 or 32-bit immediate may be given signed or unsigned
     * (255 and -1 are the same 8-bit value). A 64-bit operation takes a sign-extended 32-bit
     * immediate, so its value must be a signed 32-bit number.
     */
    protected static long checkImmediate(String mnemonic, OperandSize size, long value) {
        return switch (size) {
            case BYTE -> {
                checkRange(mnemonic, value, Byte.MIN_VALUE, 0xFFL, "an 8-bit immediate");
                yield (byte) value;
            }
            case WORD -> {
                checkRange(mnemonic, value, Short.MIN_VALUE, 0xFFFFL, "a 16-bit immediate");
                yield (short) value;
            }
            case DWORD -> {
                checkRange(mnemonic, value, Integer.MIN_VALUE, 0xFFFF_FFFFL, "a 32-bit immediate");
                yield (int) value;
            }
            case QWORD -> {
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(mnemonic + ": immediate " + value + " (" + hex(value)
                                    + ") does not fit in a sign-extended 32-bit immediate (" + Integer.MIN_VALUE + " to "
                                    + Integer.MAX_VALUE + "); load it into a register with mov first");
                }
                yield value;
            }
        };
    }

    /** Checks that {@code register} is not null and has a part of {@code size}. */
    protected static void checkRegister(String mnemonic, Register register, OperandSize size) {
        if (register == null) {
            throw new IllegalArgumentException(mnemonic + ": register operand is null");
        }
        if (!register.hasSize(size)) {
            throw new IllegalArgumentException(mnemonic + ": " + register + " is an 8-bit register and cannot be a "
                            + size.bits() + "-bit operand; use one of rax to r15");
        }
    }

    /** Rejects an operation size that the instruction has no encoding for. */
    protected static void checkSize(String mnemonic, OperandSize size, OperandSize... allowed) {
        if (size == null) {
            throw new IllegalArgumentException(mnemonic + ": operand size is null");
        }
        for (OperandSize candidate : allowed) {
            if (candidate == size) {
                return;
            }
        }
        StringBuilder sizes = new StringBuilder();
        for (int i = 0; i < allowed.length; i++) {
            if (i == allowed.length - 1 && i > 0) {
                sizes.append(" or ");
            } else if (i > 0) {
                sizes.append(", ");
            }
            sizes.append(allowed[i].bits());
        }
        throw new IllegalArgumentException(mnemonic + ": no encoding for " + size.bits() + "-bit operands; use " + sizes
                        + " bits");
    }

    protected static boolean fitsInt8(long value) {
        return value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE;
    }

    protected static String hex(long value) {
        return value < 0 ? "-0x" + Long.toHexString(-value) : "0x" + Long.toHexString(value);
    }

    // Internals.

    private void emitRegisterRm(String mnemonic, OperandSize size, int opcode, int regField, Register reg,
                    OperandSize regSize, Register rm, OperandSize rmSize) {
        checkRegister(mnemonic, rm, rmSize);
        boolean rexW = size == OperandSize.QWORD;
        boolean needsRex = rexW || needsRex(reg, regSize) || needsRex(rm, rmSize);
        if (needsRex) {
            Register highByte = reg != null && reg.isHighByte() ? reg : rm.isHighByte() ? rm : null;
            if (highByte != null) {
                throw highByteWithRex(mnemonic, highByte, rexCause(rexW, reg, regSize, rm, rmSize));
            }
        }

        emitOperandSizePrefix(size);
        emitRex(rexW, regField, 0, rm.encoding(), needsRex);
        emitOpcode(opcode);
        emitModRm(MOD_REGISTER, regField, rm.encoding());
    }

    private void emitMemoryRm(String mnemonic, OperandSize size, int opcode, int regField, Register reg,
                    OperandSize regSize, Memory rm, int immediateBytes) {
        if (rm == null) {
            throw new IllegalArgumentException(mnemonic + ": memory operand is null");
        }
        if (rm.ripTarget() != null) {
            checkLabel(mnemonic, rm.ripTarget());
        }
        int start = position();
        boolean rexW = size == OperandSize.QWORD;
        boolean needsRex = rexW || needsRex(reg, regSize) || rm.needsRexBit();
        if (needsRex && reg != null && reg.isHighByte()) {
            String cause = rexW ? "the 64-bit operand size" : "memory operand " + rm;
            throw highByteWithRex(mnemonic, reg, cause);
        }

        emitSegmentPrefix(rm);
        emitOperandSizePrefix(size);
        emitRex(rexW, regField, rm.index() == null ? 0 : rm.index().encoding(),
                        rm.base() == null ? 0 : rm.base().encoding(), needsRex);
        emitOpcode(opcode);
        emitMemoryOperand(mnemonic, start, regField, rm, immediateBytes);
    }

    /** Emits ModRM, SIB and displacement for a memory operand, choosing the shortest form. */
    private void emitMemoryOperand(String mnemonic, int instructionStart, int regField, Memory memory, int immediateBytes) {
        if (memory.isRipRelative()) {
            // In 64-bit mode mod=00 r/m=101 means [rip + disp32], measured from the end of the
            // instruction, which includes any immediate after the displacement.
            emitModRm(0b00, regField, 0b101);
            if (memory.ripTarget() != null) {
                emitLabelDisplacement(mnemonic, instructionStart, memory.ripTarget(), false, immediateBytes);
            } else {
                emitImm32(memory.displacement());
            }
            return;
        }

        Register base = memory.base();
        Register index = memory.index();
        int displacement = memory.displacement();
        if (base == null) {
            // Without a base the only form is SIB with base=101 and mod=00, which takes a disp32. An
            // absolute address needs it too, because mod=00 r/m=101 is RIP-relative; index 100
            // (no REX.X) means no index.
            emitModRm(0b00, regField, 0b100);
            emitSib(memory.scale(), index == null ? 0b100 : index.encoding(), 0b101);
            emitImm32(displacement);
            return;
        }

        // RBP and R13 (low bits 101) with mod=00 would mean "no base" or RIP, so they always take
        // a displacement, an 8-bit 0 when there is none.
        int mod;
        if (displacement == 0 && base.lowBits() != 0b101) {
            mod = 0b00;
        } else if (fitsInt8(displacement)) {
            mod = 0b01;
        } else {
            mod = 0b10;
        }
        if (index == null && base.lowBits() != 0b100) {
            emitModRm(mod, regField, base.encoding());
        } else {
            // r/m=100 announces a SIB byte, so RSP and R12 as base always need one, with index 100
            // meaning no index.
            emitModRm(mod, regField, 0b100);
            emitSib(memory.scale(), index == null ? 0b100 : index.encoding(), base.encoding());
        }
        if (mod == 0b01) {
            emitImm8(displacement);
        } else if (mod == 0b10) {
            emitImm32(displacement);
        }
    }

    /**
     * Emits a rel8 or rel32 field relative to the end of the instruction, which ends
     * {@code trailingBytes} after the field. A field for an unbound label is 0 until bind patches it.
     */
    private void emitLabelDisplacement(String mnemonic, int instructionStart, Label target, boolean rel8, int trailingBytes) {
        int fieldOffset = position();
        int instructionEnd = fieldOffset + (rel8 ? 1 : 4) + trailingBytes;
        int displacement = 0;
        if (target.isBound()) {
            displacement = target.position() - instructionEnd;
        } else {
            target.fixups().add(new Label.Fixup(mnemonic, instructionStart, fieldOffset, rel8, instructionEnd));
        }
        if (rel8) {
            emitImm8(displacement);
        } else {
            emitImm32(displacement);
        }
    }

    private void checkLabel(String mnemonic, Label label) {
        if (label == null) {
            throw new IllegalArgumentException(mnemonic + ": label is null");
        }
        if (label.owner() != this) {
            throw new IllegalArgumentException(mnemonic + ": label '" + label
                            + "' belongs to another assembler; create it with newLabel on this one");
        }
    }

    private static void checkRel8(String mnemonic, int instructionStart, Label target, int targetOffset, long displacement,
                    Function<String, RuntimeException> error) {
        if (!fitsInt8(displacement)) {
            throw error.apply(mnemonic + " at offset " + hex(instructionStart) + " to label '" + target + "' at offset "
                            + hex(targetOffset) + ": displacement " + displacement
                            + " does not fit in a short jump (rel8, -128 to 127); use JumpDistance.NEAR");
        }
    }

    private static void checkRange(String mnemonic, long value, long min, long max, String field) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(mnemonic + ": immediate " + value + " (" + hex(value) + ") does not fit in "
                            + field + " (" + min + " to " + max + ")");
        }
    }

    private static boolean needsRex(Register register, OperandSize size) {
        return register != null && (register.needsRexBit() || (size == OperandSize.BYTE && register.byteFormNeedsRex()));
    }

    private static String rexCause(boolean rexW, Register reg, OperandSize regSize, Register rm, OperandSize rmSize) {
        if (rexW) {
            return "the 64-bit operand size";
        }
        Register cause = needsRex(reg, regSize) ? reg : rm;
        OperandSize causeSize = cause == reg ? regSize : rmSize;
        return "operand " + cause.nameAt(causeSize);
    }

    private static IllegalArgumentException highByteWithRex(String mnemonic, Register highByte, String cause) {
        return new IllegalArgumentException(mnemonic + ": " + highByte + " cannot be encoded with a REX prefix, and "
                        + cause + " needs one; use al, cl, dl or bl in place of " + highByte);
    }
}
