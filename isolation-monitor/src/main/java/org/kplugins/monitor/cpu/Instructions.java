// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import java.math.BigInteger;

/** The instruction nodes of the translator, one class per group of operations, and the factory that picks them. */
final class Instructions {

    private Instructions() {
    }

    /** Returns the node of an instruction that does not end a block (not a jump or return). */
    static InstructionNode translate(Instruction in, X86Machine machine) {
        int at = in.offset();
        int size = in.size();
        return switch (in.op()) {
            case MOV -> new Move(at, size, operand(in, 0, machine), operand(in, 1, machine));
            case MOVZX, MOVSX -> new Extend(at, size, in.sourceSize(), in.op() == Op.MOVSX, operand(in, 0, machine),
                            operand(in, 1, machine));
            case LEA -> new Lea(at, size, (Operand.Gpr) in.operand(0), (MemoryOperand) operand(in, 1, machine));
            case ADD, OR, ADC, SBB, AND, SUB, XOR, CMP -> new Alu(at, in.op(), size, operand(in, 0, machine),
                            operand(in, 1, machine));
            case TEST -> new Alu(at, Op.TEST, size, operand(in, 0, machine), operand(in, 1, machine));
            case XCHG -> new Exchange(at, size, operand(in, 0, machine), operand(in, 1, machine));
            case SHL, SHR, SAR, ROL, ROR, RCL, RCR -> new Shift(at, in.op(), size, operand(in, 0, machine), operand(in, 1, machine));
            case NOT, NEG, INC, DEC -> new Unary(at, in.op(), size, operand(in, 0, machine));
            case MUL, IMUL1, DIV, IDIV -> new MultiplyDivide(at, in.op(), size, operand(in, 0, machine));
            case IMUL2 -> new SignedMultiply(at, size, operand(in, 0, machine), operand(in, 0, machine), operand(in, 1, machine));
            case IMUL3 -> new SignedMultiply(at, size, operand(in, 0, machine), operand(in, 1, machine), operand(in, 2, machine));
            case SIGN_EXTEND_ACCUMULATOR -> new SignExtendAccumulator(at, size);
            case SETCC -> new SetCondition(at, in.condition(), operand(in, 0, machine));
            case CMOVCC -> new ConditionalMove(at, size, in.condition(), operand(in, 0, machine), operand(in, 1, machine));
            case PUSH -> new Push(at, operand(in, 0, machine), machine);
            case POP -> new Pop(at, (Operand.Gpr) in.operand(0), machine);
            case CALL -> new CallNode(at, machine, machine.codeBase() + in.next(), machine.codeBase() + in.target(), null);
            case CALL_INDIRECT -> new CallNode(at, machine, machine.codeBase() + in.next(), 0, operand(in, 0, machine));
            case NOP -> new Nop(at);
            case INT3 -> new Trap(at, X86Exception.BREAKPOINT);
            case UD2, INVALID -> new Trap(at, X86Exception.INVALID_OPCODE);
            case TRUNCATED -> new Trap(at, X86Exception.GENERAL_PROTECTION);
            case MOVD, MOVS, ADDS, SUBS, MULS, DIVS, UCOMIS, CVTSI2S, CVTTS2SI, CVTSS2SD, CVTSD2SS, XORP -> SseNodes.translate(in,
                            machine);
            case JCC, JMP, JMP_INDIRECT, RET -> throw new IllegalArgumentException(in.op() + " ends a block");
        };
    }

    static OperandNode operand(Instruction in, int i, X86Machine machine) {
        return OperandNode.of(in.operand(i), machine, in.offset(), in.next());
    }

    static final class Move extends InstructionNode {
        private final int size;
        @Child private OperandNode dst;
        @Child private OperandNode src;

        Move(int offset, int size, OperandNode dst, OperandNode src) {
            super(offset);
            this.size = size;
            this.dst = dst;
            this.src = src;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            dst.write(frame, state, size, src.read(frame, state, size));
            return CONTINUE;
        }
    }

    static final class Extend extends InstructionNode {
        private final int size;
        private final int sourceSize;
        private final boolean signed;
        @Child private OperandNode dst;
        @Child private OperandNode src;

        Extend(int offset, int size, int sourceSize, boolean signed, OperandNode dst, OperandNode src) {
            super(offset);
            this.size = size;
            this.sourceSize = sourceSize;
            this.signed = signed;
            this.dst = dst;
            this.src = src;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long value = src.read(frame, state, sourceSize);
            dst.write(frame, state, size, signed ? Flags.signExtend(value, sourceSize) : value);
            return CONTINUE;
        }
    }

    static final class Lea extends InstructionNode {
        private final int size;
        private final int register;
        @Child private MemoryOperand address;

        Lea(int offset, int size, Operand.Gpr dst, MemoryOperand address) {
            super(offset);
            this.size = size;
            this.register = dst.number();
            this.address = address;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            OperandNode.writeRegister(frame, register, size, false, address.offset(frame));
            return CONTINUE;
        }
    }

    static final class Alu extends InstructionNode {
        private final Op op;
        private final int size;
        @Child private OperandNode dst;
        @Child private OperandNode src;

        Alu(int offset, Op op, int size, OperandNode dst, OperandNode src) {
            super(offset);
            this.op = op;
            this.size = size;
            this.dst = dst;
            this.src = src;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long a = dst.read(frame, state, size);
            long b = src.read(frame, state, size);
            long m = Flags.mask(size);
            long r;
            // The flags are set after the write, so a write that faults leaves them unchanged.
            long kind;
            long flagA = 0;
            long flagB = 0;
            long flagResult;
            switch (op) {
                case ADD -> {
                    r = (a + b) & m;
                    kind = Flags.kind(Flags.ADD, size);
                    flagA = a;
                    flagB = b;
                    flagResult = r;
                }
                case SUB, CMP -> {
                    r = (a - b) & m;
                    kind = Flags.kind(Flags.SUB, size);
                    flagA = a;
                    flagB = b;
                    flagResult = r;
                }
                case AND, TEST -> {
                    r = a & b;
                    kind = Flags.kind(Flags.LOGIC, size);
                    flagResult = r;
                }
                case OR -> {
                    r = a | b;
                    kind = Flags.kind(Flags.LOGIC, size);
                    flagResult = r;
                }
                case XOR -> {
                    r = a ^ b;
                    kind = Flags.kind(Flags.LOGIC, size);
                    flagResult = r;
                }
                case ADC -> {
                    long carry = packedFlags(frame) & Flags.CF;
                    r = (a + b + carry) & m;
                    boolean carryOut = carry == 0 ? Long.compareUnsigned(r, a) < 0 : Long.compareUnsigned(r, a) <= 0;
                    kind = Flags.kind(Flags.EXPLICIT, 8);
                    flagResult = withCarryAndOverflow(r, carryOut, ((a ^ r) & (b ^ r) & Flags.signBit(size)) != 0);
                }
                case SBB -> {
                    long carry = packedFlags(frame) & Flags.CF;
                    r = (a - b - carry) & m;
                    boolean borrow = carry == 0 ? Long.compareUnsigned(a, b) < 0 : Long.compareUnsigned(a, b) <= 0;
                    kind = Flags.kind(Flags.EXPLICIT, 8);
                    flagResult = withCarryAndOverflow(r, borrow, ((a ^ b) & (a ^ r) & Flags.signBit(size)) != 0);
                }
                default -> throw CompilerDirectives.shouldNotReachHere(op.toString());
            }
            if (op != Op.CMP && op != Op.TEST) {
                dst.write(frame, state, size, r);
            }
            setFlags(frame, kind, flagA, flagB, flagResult);
            return CONTINUE;
        }

        private long withCarryAndOverflow(long r, boolean carry, boolean overflow) {
            long flags = Flags.resultFlags(r, size);
            if (carry) {
                flags |= Flags.CF;
            }
            if (overflow) {
                flags |= Flags.OF;
            }
            return flags;
        }
    }

    static final class Exchange extends InstructionNode {
        private final int size;
        @Child private OperandNode a;
        @Child private OperandNode b;

        Exchange(int offset, int size, OperandNode a, OperandNode b) {
            super(offset);
            this.size = size;
            this.a = a;
            this.b = b;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long first = a.read(frame, state, size);
            long second = b.read(frame, state, size);
            a.write(frame, state, size, second);
            b.write(frame, state, size, first);
            return CONTINUE;
        }
    }

    static final class Shift extends InstructionNode {
        private final Op op;
        private final int size;
        @Child private OperandNode dst;
        @Child private OperandNode count;

        Shift(int offset, Op op, int size, OperandNode dst, OperandNode count) {
            super(offset);
            this.op = op;
            this.size = size;
            this.dst = dst;
            this.count = count;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            int n = (int) (count.read(frame, state, 1) & (size == 8 ? 63 : 31));
            if (op == Op.RCL || op == Op.RCR) {
                // Rotates through the carry flag work on size * 8 + 1 bits.
                n %= size * 8 + 1;
            }
            if (n == 0) {
                // A count of zero changes neither the operand nor the flags, but a 32-bit register operand is still written.
                dst.write(frame, state, size, dst.read(frame, state, size));
                return CONTINUE;
            }
            long a = dst.read(frame, state, size);
            int bits = size * 8;
            long m = Flags.mask(size);
            long sign = Flags.signBit(size);
            long r;
            long flags;
            switch (op) {
                case SHL -> {
                    r = n >= 64 ? 0 : (a << n) & m;
                    boolean carry = n <= bits && ((a >>> (bits - n)) & 1) != 0;
                    flags = Flags.resultFlags(r, size) | (carry ? Flags.CF : 0);
                    if (((r & sign) != 0) != carry) {
                        flags |= Flags.OF;
                    }
                }
                case SHR -> {
                    r = n >= 64 ? 0 : a >>> n;
                    boolean carry = n <= bits && ((a >>> (n - 1)) & 1) != 0;
                    flags = Flags.resultFlags(r, size) | (carry ? Flags.CF : 0) | ((a & sign) != 0 ? Flags.OF : 0);
                }
                case SAR -> {
                    long signed = Flags.signExtend(a, size);
                    r = (signed >> Math.min(n, 63)) & m;
                    boolean carry = ((signed >> Math.min(n - 1, 63)) & 1) != 0;
                    flags = Flags.resultFlags(r, size) | (carry ? Flags.CF : 0);
                }
                case ROL, ROR -> {
                    int k = n % bits;
                    if (size == 4) {
                        // Graal 25.0.1 compiled the long expression below wrongly for 32 bits, as a 64-bit rotate.
                        int rotated = op == Op.ROL ? Integer.rotateLeft((int) a, k) : Integer.rotateRight((int) a, k);
                        r = rotated & 0xFFFF_FFFFL;
                    } else if (op == Op.ROL) {
                        r = k == 0 ? a : ((a << k) | (a >>> (bits - k))) & m;
                    } else {
                        r = k == 0 ? a : ((a >>> k) | (a << (bits - k))) & m;
                    }
                    // Rotates change only CF and OF.
                    long old = packedFlags(frame) & ~(Flags.CF | Flags.OF);
                    boolean carry = op == Op.ROL ? (r & 1) != 0 : (r & sign) != 0;
                    boolean overflow = op == Op.ROL ? ((r & sign) != 0) != carry : ((r & sign) != 0) != ((r & (sign >>> 1)) != 0);
                    flags = old | (carry ? Flags.CF : 0) | (overflow ? Flags.OF : 0);
                }
                case RCL, RCR -> {
                    long flagsBefore = packedFlags(frame);
                    boolean carry = (flagsBefore & Flags.CF) != 0;
                    boolean overflow = op == Op.RCR && ((a & sign) != 0) != carry;
                    r = a;
                    for (int i = 0; i < n; i++) {
                        boolean out;
                        if (op == Op.RCL) {
                            out = (r & sign) != 0;
                            r = ((r << 1) | (carry ? 1 : 0)) & m;
                        } else {
                            out = (r & 1) != 0;
                            r = (r >>> 1) | (carry ? sign : 0);
                        }
                        carry = out;
                    }
                    if (op == Op.RCL) {
                        overflow = ((r & sign) != 0) != carry;
                    }
                    flags = (flagsBefore & ~(Flags.CF | Flags.OF)) | (carry ? Flags.CF : 0) | (overflow ? Flags.OF : 0);
                }
                default -> throw CompilerDirectives.shouldNotReachHere(op.toString());
            }
            // The flags are set after the write, so a write that faults leaves them unchanged.
            dst.write(frame, state, size, r);
            setExplicitFlags(frame, flags);
            return CONTINUE;
        }
    }

    static final class Unary extends InstructionNode {
        private final Op op;
        private final int size;
        @Child private OperandNode dst;

        Unary(int offset, Op op, int size, OperandNode dst) {
            super(offset);
            this.op = op;
            this.size = size;
            this.dst = dst;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long a = dst.read(frame, state, size);
            long m = Flags.mask(size);
            long sign = Flags.signBit(size);
            long r;
            long flags = 0;
            switch (op) {
                case NOT -> r = ~a & m;
                case NEG -> {
                    r = -a & m;
                    flags = Flags.resultFlags(r, size) | (a != 0 ? Flags.CF : 0) | (a == sign ? Flags.OF : 0);
                }
                case INC, DEC -> {
                    long carry = packedFlags(frame) & Flags.CF;
                    r = (op == Op.INC ? a + 1 : a - 1) & m;
                    boolean overflow = op == Op.INC ? r == sign : a == sign;
                    flags = Flags.resultFlags(r, size) | carry | (overflow ? Flags.OF : 0);
                }
                default -> throw CompilerDirectives.shouldNotReachHere(op.toString());
            }
            // The flags are set after the write, so a write that faults leaves them unchanged. not changes no flags.
            dst.write(frame, state, size, r);
            if (op != Op.NOT) {
                setExplicitFlags(frame, flags);
            }
            return CONTINUE;
        }
    }

    /** mul, imul, div and idiv of rDX:rAX (AX for bytes) by one operand. */
    static final class MultiplyDivide extends InstructionNode {
        private final Op op;
        private final int size;
        @Child private OperandNode src;

        MultiplyDivide(int offset, Op op, int size, OperandNode src) {
            super(offset);
            this.op = op;
            this.size = size;
            this.src = src;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long operand = src.read(frame, state, size);
            long rax = frame.getLong(CpuState.RAX);
            long rdx = frame.getLong(CpuState.RDX);
            long m = Flags.mask(size);
            int bits = size * 8;
            long low;
            long high;
            if (op == Op.MUL || op == Op.IMUL1) {
                long a = rax & m;
                if (size == 8) {
                    low = a * operand;
                    high = op == Op.MUL ? Math.unsignedMultiplyHigh(a, operand) : Math.multiplyHigh(a, operand);
                } else {
                    long product = op == Op.MUL ? a * operand : Flags.signExtend(a, size) * Flags.signExtend(operand, size);
                    low = product & m;
                    high = (product >> bits) & m;
                }
                boolean overflow = op == Op.MUL ? high != 0 : high != (Flags.signExtend(low, size) >> 63 & m);
                setExplicitFlags(frame, Flags.resultFlags(low, size) | (overflow ? Flags.CF | Flags.OF : 0));
            } else {
                long divisor = op == Op.IDIV ? Flags.signExtend(operand, size) : operand;
                if (divisor == 0) {
                    CompilerDirectives.transferToInterpreter();
                    throw divideError(operand);
                }
                long dividendLow = size == 1 ? rax & 0xFF : rax & m;
                long dividendHigh = size == 1 ? (rax >>> 8) & 0xFF : rdx & m;
                long[] result = divide(op == Op.IDIV, size, dividendHigh, dividendLow, divisor, operand);
                low = result[0];
                high = result[1];
            }
            if (size == 1) {
                OperandNode.writeRegister(frame, CpuState.RAX, 2, false, (low & 0xFF) | ((high & 0xFF) << 8));
            } else {
                OperandNode.writeRegister(frame, CpuState.RAX, size, false, low);
                OperandNode.writeRegister(frame, CpuState.RDX, size, false, high);
            }
            return CONTINUE;
        }

        private X86Exception divideError(long divisor) {
            return new X86Exception(X86Exception.DIVIDE_ERROR, 0, 0, offset, 0, 0, divisor);
        }

        /** Returns quotient and remainder, or raises #DE when the quotient does not fit the operand size. */
        private long[] divide(boolean signed, int sz, long high, long low, long divisor, long operand) {
            int bits = sz * 8;
            if (sz < 8) {
                long dividend = (high << bits) | low;
                if (signed) {
                    dividend = Flags.signExtend(dividend, 2 * sz);
                    long q = dividend / divisor;
                    if (q != Flags.signExtend(q, sz)) {
                        CompilerDirectives.transferToInterpreter();
                        throw divideError(operand);
                    }
                    return new long[]{q & Flags.mask(sz), (dividend % divisor) & Flags.mask(sz)};
                }
                long q = Long.divideUnsigned(dividend, divisor);
                if ((q & ~Flags.mask(sz)) != 0) {
                    CompilerDirectives.transferToInterpreter();
                    throw divideError(operand);
                }
                return new long[]{q, Long.remainderUnsigned(dividend, divisor)};
            }
            if (signed && high == (low >> 63)) {
                if (low == Long.MIN_VALUE && divisor == -1) {
                    CompilerDirectives.transferToInterpreter();
                    throw divideError(operand);
                }
                return new long[]{low / divisor, low % divisor};
            }
            if (!signed && high == 0) {
                return new long[]{Long.divideUnsigned(low, divisor), Long.remainderUnsigned(low, divisor)};
            }
            return wideDivide(signed, high, low, divisor, operand);
        }

        @TruffleBoundary
        private long[] wideDivide(boolean signed, long high, long low, long divisor, long operand) {
            BigInteger dividend = new BigInteger(Long.toUnsignedString(high)).shiftLeft(64)
                            .or(new BigInteger(Long.toUnsignedString(low)));
            BigInteger d = signed ? BigInteger.valueOf(divisor) : new BigInteger(Long.toUnsignedString(divisor));
            if (signed && high < 0) {
                dividend = dividend.subtract(BigInteger.ONE.shiftLeft(128));
            }
            BigInteger[] qr = dividend.divideAndRemainder(d);
            BigInteger q = qr[0];
            boolean fits = signed ? q.bitLength() <= 63 : q.signum() >= 0 && q.bitLength() <= 64;
            if (!fits) {
                throw divideError(operand);
            }
            return new long[]{q.longValue(), qr[1].longValue()};
        }
    }

    /** imul dst, src and imul dst, src, immediate: the low half, with CF and OF set when the product does not fit. */
    static final class SignedMultiply extends InstructionNode {
        private final int size;
        @Child private OperandNode dst;
        @Child private OperandNode a;
        @Child private OperandNode b;

        SignedMultiply(int offset, int size, OperandNode dst, OperandNode a, OperandNode b) {
            super(offset);
            this.size = size;
            this.dst = dst;
            this.a = a;
            this.b = b;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long x = Flags.signExtend(a.read(frame, state, size), size);
            long y = Flags.signExtend(b.read(frame, state, size), size);
            long r;
            boolean overflow;
            if (size == 8) {
                r = x * y;
                overflow = Math.multiplyHigh(x, y) != (r >> 63);
            } else {
                long product = x * y;
                r = product & Flags.mask(size);
                overflow = product != Flags.signExtend(product, size);
            }
            setExplicitFlags(frame, Flags.resultFlags(r, size) | (overflow ? Flags.CF | Flags.OF : 0));
            dst.write(frame, state, size, r);
            return CONTINUE;
        }
    }

    static final class SignExtendAccumulator extends InstructionNode {
        private final int size;

        SignExtendAccumulator(int offset, int size) {
            super(offset);
            this.size = size;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long value = Flags.signExtend(frame.getLong(CpuState.RAX), size);
            OperandNode.writeRegister(frame, CpuState.RDX, size, false, value >> 63);
            return CONTINUE;
        }
    }

    static final class SetCondition extends InstructionNode {
        private final int cc;
        @Child private OperandNode dst;

        SetCondition(int offset, int cc, OperandNode dst) {
            super(offset);
            this.cc = cc;
            this.dst = dst;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            dst.write(frame, state, 1, condition(frame, cc) ? 1 : 0);
            return CONTINUE;
        }
    }

    static final class ConditionalMove extends InstructionNode {
        private final int size;
        private final int cc;
        @Child private OperandNode dst;
        @Child private OperandNode src;

        ConditionalMove(int offset, int size, int cc, OperandNode dst, OperandNode src) {
            super(offset);
            this.size = size;
            this.cc = cc;
            this.dst = dst;
            this.src = src;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            // The source is read even when the condition fails, as the processor does: a bad address faults either way.
            long value = src.read(frame, state, size);
            // A 32-bit cmov writes its destination, clearing the upper half, even when the condition fails.
            dst.write(frame, state, size, condition(frame, cc) ? value : dst.read(frame, state, size));
            return CONTINUE;
        }
    }

    static final class Push extends InstructionNode {
        @Child private OperandNode value;
        @Child private MemoryOperand slot;

        Push(int offset, OperandNode value, X86Machine machine) {
            super(offset);
            this.value = value;
            this.slot = new MemoryOperand(new Operand.Mem(Segment.DEFAULT, CpuState.RSP, Operand.NONE, 1, -8), machine, offset, 0);
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long v = value.read(frame, state, 8);
            slot.write(frame, state, 8, v);
            frame.setLong(CpuState.RSP, frame.getLong(CpuState.RSP) - 8);
            return CONTINUE;
        }
    }

    static final class Pop extends InstructionNode {
        private final int register;
        @Child private MemoryOperand slot;

        Pop(int offset, Operand.Gpr dst, X86Machine machine) {
            super(offset);
            this.register = dst.number();
            this.slot = new MemoryOperand(new Operand.Mem(Segment.DEFAULT, CpuState.RSP, Operand.NONE, 1, 0), machine, offset, 0);
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long v = slot.read(frame, state, 8);
            frame.setLong(CpuState.RSP, frame.getLong(CpuState.RSP) + 8);
            frame.setLong(register, v);
            return CONTINUE;
        }
    }

    static final class Nop extends InstructionNode {
        Nop(int offset) {
            super(offset);
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            return CONTINUE;
        }
    }

    /** An instruction that always raises an exception: int3, ud2, undecodable bytes, a fetch past the code segment. */
    static final class Trap extends InstructionNode {
        private final int vector;

        Trap(int offset, int vector) {
            super(offset);
            this.vector = vector;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            CompilerDirectives.transferToInterpreter();
            throw exception(vector);
        }
    }
}
