// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.ir;

import java.util.ArrayList;
import java.util.List;
import org.kplugins.kpc.types.FunctionType;

/**
 * One IR instruction. Widths: {@code dst} determines the width of the result, and both operands of
 * an arithmetic instruction, a comparison or a branch have the same width, except the count of a
 * shift, which is always {@code I32}.
 */
public sealed interface Instr {

    /** Returns the virtual register the instruction assigns, or null. */
    VReg def();

    /** Returns the virtual registers the instruction reads, in operand order. */
    List<VReg> uses();

    /** Returns whether the instruction ends its block. */
    default boolean isTerminator() {
        return false;
    }

    /** The integer operations of {@link Binary}. Shifts take the count modulo the width, as x86 does. */
    enum BinaryOp {
        ADD, SUB, MUL, AND, OR, XOR, SHL,
        /** Logical (unsigned) shift right. */
        SHR,
        /** Arithmetic (signed) shift right. */
        SAR;

        public boolean isShift() {
            return this == SHL || this == SHR || this == SAR;
        }

        public boolean isCommutative() {
            return this == ADD || this == MUL || this == AND || this == OR || this == XOR;
        }
    }

    /** The operations of {@link Divide}; signed ones truncate toward zero. */
    enum DivideOp {
        SIGNED_QUOTIENT, SIGNED_REMAINDER, UNSIGNED_QUOTIENT, UNSIGNED_REMAINDER;

        public boolean isSigned() {
            return this == SIGNED_QUOTIENT || this == SIGNED_REMAINDER;
        }

        public boolean isRemainder() {
            return this == SIGNED_REMAINDER || this == UNSIGNED_REMAINDER;
        }
    }

    enum UnaryOp {
        NEG, NOT
    }

    /** {@code dst = argument index}: argument 0 is the caller's plugin stack pointer, then the C arguments. */
    record Param(VReg dst, int index) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return List.of();
        }
    }

    /** {@code dst} = the plugin address at which this instance maps the host data window {@code index}. */
    record DataImportAddress(VReg dst, int index) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return List.of();
        }
    }

    record Move(VReg dst, Operand src) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(src);
        }
    }

    record Binary(BinaryOp op, VReg dst, Operand left, Operand right) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(left, right);
        }
    }

    record Unary(UnaryOp op, VReg dst, Operand src) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(src);
        }
    }

    /**
     * Division or remainder. A zero divisor faults with DIVIDE_ERROR at {@code site}, and so does a
     * signed division of the lowest value by -1, as the x86 idiv instruction does.
     */
    record Divide(DivideOp op, VReg dst, Operand left, Operand right, Site site) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(left, right);
        }
    }

    /**
     * {@code dst} = the low {@code fromBits} bits of {@code src} (8, 16, 32 or 64), sign- or
     * zero-extended to the width of {@code dst}. It narrows ({@code (char)x}), widens
     * ({@code (long long)x}) and truncates ({@code (int)x} of a long long).
     */
    record Convert(VReg dst, Operand src, int fromBits, boolean signed) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(src);
        }
    }

    /** The operations of {@link FloatBinary}, rounded to nearest as SSE arithmetic is. */
    enum FloatOp {
        ADD, SUB, MUL, DIV
    }

    /**
     * The conversions of {@link FloatConvert}. Floating values are their IEEE bits: a float is an
     * {@code I32}, a double an {@code I64}, so the widths of {@code dst} and {@code src} give the
     * precision and the integer size. Each conversion gives the result that
     * {@link org.kplugins.kpc.types.FloatingConversions} defines.
     */
    enum FloatConversion {
        /** float to double ({@code I32} to {@code I64}), or double to float the other way. */
        RESIZE,
        /** A signed integer to float or double. */
        FROM_SIGNED,
        /** An unsigned integer to float or double. */
        FROM_UNSIGNED,
        /** float or double to a signed integer, truncated; out of range gives the lowest value. */
        TO_SIGNED,
        /** float or double to an unsigned integer, with the subtract scheme of {@code FloatingConversions}. */
        TO_UNSIGNED
    }

    /** {@code dst = left op right} on two floats ({@code I32} bits) or two doubles ({@code I64} bits). */
    record FloatBinary(FloatOp op, VReg dst, Operand left, Operand right) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(left, right);
        }
    }

    /**
     * {@code dst = left cond right ? 1 : 0} on floating values of the operands' width; {@code cond}
     * is EQ, NE, LT, LE, GT or GE. A NaN operand makes every condition false except NE.
     */
    record FloatCompare(Cond cond, VReg dst, Operand left, Operand right) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(left, right);
        }
    }

    /** {@code dst} = {@code src} converted as {@code conversion} says. */
    record FloatConvert(FloatConversion conversion, VReg dst, Operand src) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(src);
        }
    }

    /** {@code dst = left cond right ? 1 : 0}; {@code dst} is {@code I32}. */
    record Compare(Cond cond, VReg dst, Operand left, Operand right) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(left, right);
        }
    }

    /**
     * Loads {@code size} bytes (1, 2, 4 or 8) at plugin address {@code base + displacement}, computed
     * in 32 bits, and extends them to the width of {@code dst}. A null {@code base} makes the
     * displacement the address. A checked load faults at {@code site} when the page table forbids
     * the read; an unchecked one is known to be allowed.
     */
    record Load(VReg dst, VReg base, int displacement, int size, boolean signed, boolean checked, Site site)
                    implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(base);
        }
    }

    /** Stores the low {@code size} bytes of {@code value} at plugin address {@code base + displacement}, as {@link Load} reads. */
    record Store(VReg base, int displacement, Operand value, int size, boolean checked, Site site) implements Instr {
        @Override
        public VReg def() {
            return null;
        }

        @Override
        public List<VReg> uses() {
            return registers(base, value);
        }
    }

    /**
     * {@code dst} = 1 when {@code 0 <= first <= last < 2^32} and the page table lets the plugin read
     * every page from the one of plugin address {@code first} to the one of {@code last}, and write
     * them too when {@code write} is set, else 0. {@code first} and {@code last} are {@code I64} and
     * {@code dst} is {@code I32}. It never faults, but its result holds only until a call, which may
     * map or unmap pages: see {@link LoopVersioning}.
     */
    record PagesAllowed(VReg dst, Operand first, Operand last, boolean write) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(first, last);
        }
    }

    /** Sets {@code size} bytes at {@code base + displacement} to zero: an object in the function's own frame, never checked. */
    record ZeroFill(VReg base, int displacement, int size) implements Instr {
        @Override
        public VReg def() {
            return null;
        }

        @Override
        public List<VReg> uses() {
            return List.of(base);
        }
    }

    /**
     * Calls plugin function {@code callee}. The call costs a step of the budget, and faults with
     * STACK_OVERFLOW at {@code site} when the callee's frame would start below the bottom of the
     * plugin stack. {@code stackPointer} is the caller's frame base, where the callee's frame ends.
     * {@code dst} is null for a void callee or an unused result. For a variadic callee,
     * {@code argumentAreaSize} is the size of the argument area below the caller's frame base, into
     * which the caller writes every argument as an i386 caller pushes them, and the callee's stack
     * pointer is the area's start; it is 0 for other callees.
     */
    record Call(VReg dst, String callee, VReg stackPointer, List<Operand> arguments, int argumentAreaSize, Site site)
                    implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            List<VReg> uses = new ArrayList<>(registers(arguments.toArray(new Operand[0])));
            uses.add(stackPointer);
            return uses;
        }
    }

    /**
     * Calls through a function pointer. The pointer must be the token of an entry of the plugin's
     * function table whose type has number {@code signature}; anything else faults with
     * INVALID_FUNCTION_POINTER at {@code site}. A plugin function is then called as {@link Call}
     * calls one, with the budget step and the stack check, and a host function through the upcall
     * {@code hostCall}, whose first argument is the pointer.
     *
     * @param tableSize        the number of entries of the function table
     * @param argumentAreaSize the argument area of a call of a variadic plugin function, as for {@link Call}
     */
    record IndirectCall(VReg dst, Operand pointer, VReg stackPointer, List<Operand> arguments, FunctionType callType,
                    int signature, int tableSize, int argumentAreaSize, HostCall hostCall, Site site) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            List<VReg> uses = new ArrayList<>(registers(pointer));
            uses.addAll(registers(arguments.toArray(new Operand[0])));
            uses.add(stackPointer);
            return uses;
        }
    }

    /**
     * Calls the host through the runtime's upcall. {@code index} numbers the host calls of the whole
     * program, so the upcall finds {@code target} and {@code site} from it.
     */
    record HostCall(VReg dst, int index, HostTarget target, List<Operand> arguments, Site site) implements Instr {
        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(arguments.toArray(new Operand[0]));
        }
    }

    /** Costs one step of the execution budget, faulting with WATCHDOG at {@code site} when it is used up. */
    record BudgetStep(Site site) implements Instr {
        @Override
        public VReg def() {
            return null;
        }

        @Override
        public List<VReg> uses() {
            return List.of();
        }
    }

    /**
     * Takes {@code steps} budget steps at once for a loop that will then count none: when
     * {@code allowed} is not 0, {@code steps} (an {@code I64}) is at most {@code maxSteps} and the
     * budget has that many steps left, it subtracts them (none when {@code steps} is negative)
     * and sets {@code dst} to 1. Otherwise it changes nothing and sets {@code dst} to 0. It never
     * faults. A call timeout stops native code through the budget counter, which the loop then no
     * longer reads, so {@code maxSteps} bounds how long the timeout waits: see
     * {@link LoopVersioning#MAX_RESERVED_WORK}.
     */
    record BudgetReserve(VReg dst, Operand steps, Operand allowed, int maxSteps) implements Instr {

        @Override
        public VReg def() {
            return dst;
        }

        @Override
        public List<VReg> uses() {
            return registers(steps, allowed);
        }
    }

    /**
     * Faults with STACK_OVERFLOW at {@code site} when a frame of {@code frameSize} bytes that ends at
     * {@code stackPointer} would start below the bottom of the plugin stack: the check of a
     * {@link Call}, kept where a call was inlined.
     */
    record StackCheck(VReg stackPointer, int frameSize, Site site) implements Instr {
        @Override
        public VReg def() {
            return null;
        }

        @Override
        public List<VReg> uses() {
            return List.of(stackPointer);
        }
    }

    record Jump(Block target) implements Instr {
        @Override
        public VReg def() {
            return null;
        }

        @Override
        public List<VReg> uses() {
            return List.of();
        }

        @Override
        public boolean isTerminator() {
            return true;
        }
    }

    /** Goes to {@code ifTrue} when {@code left cond right}, else to {@code ifFalse}. */
    record Branch(Cond cond, Operand left, Operand right, Block ifTrue, Block ifFalse) implements Instr {
        @Override
        public VReg def() {
            return null;
        }

        @Override
        public List<VReg> uses() {
            return registers(left, right);
        }

        @Override
        public boolean isTerminator() {
            return true;
        }
    }

    /** Returns from the function with {@code value}, or with nothing when it is null. */
    record Return(Operand value) implements Instr {
        @Override
        public VReg def() {
            return null;
        }

        @Override
        public List<VReg> uses() {
            return value == null ? List.of() : registers(value);
        }

        @Override
        public boolean isTerminator() {
            return true;
        }
    }

    /** Returns the virtual registers among {@code operands}, skipping constants and nulls. */
    private static List<VReg> registers(Operand... operands) {
        List<VReg> registers = new ArrayList<>(operands.length);
        for (Operand operand : operands) {
            if (operand instanceof VReg register) {
                registers.add(register);
            }
        }
        return registers;
    }
}
