// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import com.oracle.truffle.api.frame.VirtualFrame;

/**
 * The scalar SSE instructions. Single precision works on the low 32 bits of an XMM register and
 * keeps the other bits; double precision on the low 64. Results follow SSE with the default
 * MXCSR: round to nearest, no flush to zero, and the QNaN "indefinite" (sign set) for an invalid
 * operation, or the first NaN operand, quieted.
 */
final class SseNodes {

    private static final int FLOAT_INDEFINITE = 0xFFC0_0000;
    private static final long DOUBLE_INDEFINITE = 0xFFF8_0000_0000_0000L;

    private SseNodes() {
    }

    static InstructionNode translate(Instruction in, X86Machine machine) {
        int at = in.offset();
        int size = in.size();
        return switch (in.op()) {
            case MOVD -> new MoveData(at, size, in.operand(0), in.operand(1), machine, in);
            case MOVS -> new MoveScalar(at, size, in.operand(0), in.operand(1), machine, in);
            case ADDS, SUBS, MULS, DIVS -> new Arithmetic(at, in.op(), size, xmm(in, 0), source(in, 1, machine));
            case UCOMIS -> new UnorderedCompare(at, size, xmm(in, 0), source(in, 1, machine));
            case CVTSI2S -> new IntegerToScalar(at, size, in.sourceSize(), xmm(in, 0), Instructions.operand(in, 1, machine));
            case CVTTS2SI -> new ScalarToInteger(at, size, in.sourceSize(), Instructions.operand(in, 0, machine),
                            source(in, 1, machine));
            case CVTSS2SD, CVTSD2SS -> new Convert(at, in.op() == Op.CVTSS2SD, xmm(in, 0), source(in, 1, machine));
            case XORP -> new XorPacked(at, xmm(in, 0), xmm(in, 1));
            default -> throw new IllegalArgumentException(in.op() + " is not an SSE instruction");
        };
    }

    static int low(int xmm) {
        return MachineRoot.XMM_LOW + xmm;
    }

    static int high(int xmm) {
        return MachineRoot.XMM_HIGH + xmm;
    }

    private static int xmm(Instruction in, int i) {
        if (in.operand(i) instanceof Operand.Xmm x) {
            return x.number();
        }
        throw new IllegalArgumentException("operand " + i + " of " + in.op() + " is not an XMM register");
    }

    /** A source that is an XMM register's low half or memory. */
    static final class Source extends com.oracle.truffle.api.nodes.Node {
        private final int xmm;
        @Child private MemoryOperand memory;

        Source(int xmm, MemoryOperand memory) {
            this.xmm = xmm;
            this.memory = memory;
        }

        long read(VirtualFrame frame, CpuState state, int size) {
            if (memory != null) {
                return memory.read(frame, state, size);
            }
            long value = frame.getLong(low(xmm));
            return size == 4 ? value & 0xFFFF_FFFFL : value;
        }
    }

    private static Source source(Instruction in, int i, X86Machine machine) {
        return switch (in.operand(i)) {
            case Operand.Xmm x -> new Source(x.number(), null);
            case Operand.Mem m -> new Source(-1, new MemoryOperand(m, machine, in.offset(), in.next()));
            default -> throw new IllegalArgumentException("operand " + i + " of " + in.op() + " is not XMM or memory");
        };
    }

    /** Writes the low {@code size} bytes of an XMM register, keeping the rest. */
    static void setLow(VirtualFrame frame, int xmm, int size, long value) {
        if (size == 4) {
            long old = frame.getLong(low(xmm));
            frame.setLong(low(xmm), (old & ~0xFFFF_FFFFL) | (value & 0xFFFF_FFFFL));
        } else {
            frame.setLong(low(xmm), value);
        }
    }

    /** movd and movq between an XMM register and a general-purpose register or memory. */
    static final class MoveData extends InstructionNode {
        private final int size;
        private final int xmm;
        private final boolean toXmm;
        @Child private OperandNode other;

        MoveData(int offset, int size, Operand dst, Operand src, X86Machine machine, Instruction in) {
            super(offset);
            this.size = size;
            this.toXmm = dst instanceof Operand.Xmm;
            this.xmm = ((Operand.Xmm) (toXmm ? dst : src)).number();
            this.other = OperandNode.of(toXmm ? src : dst, machine, in.offset(), in.next());
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            if (toXmm) {
                frame.setLong(low(xmm), other.read(frame, state, size));
                frame.setLong(high(xmm), 0);
            } else {
                long value = frame.getLong(low(xmm));
                other.write(frame, state, size, size == 4 ? value & 0xFFFF_FFFFL : value);
            }
            return CONTINUE;
        }
    }

    /** movss and movsd: a load clears the rest of the register, a register move keeps it, a store writes the low bytes. */
    static final class MoveScalar extends InstructionNode {
        private final int size;
        private final int dstXmm;
        private final int srcXmm;
        @Child private MemoryOperand memory;

        MoveScalar(int offset, int size, Operand dst, Operand src, X86Machine machine, Instruction in) {
            super(offset);
            this.size = size;
            this.dstXmm = dst instanceof Operand.Xmm x ? x.number() : -1;
            this.srcXmm = src instanceof Operand.Xmm x ? x.number() : -1;
            Operand.Mem mem = null;
            if (dst instanceof Operand.Mem d) {
                mem = d;
            } else if (src instanceof Operand.Mem s) {
                mem = s;
            }
            this.memory = mem == null ? null : new MemoryOperand(mem, machine, in.offset(), in.next());
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            if (dstXmm < 0) {
                long value = frame.getLong(low(srcXmm));
                memory.write(frame, state, size, size == 4 ? value & 0xFFFF_FFFFL : value);
            } else if (srcXmm < 0) {
                frame.setLong(low(dstXmm), memory.read(frame, state, size));
                frame.setLong(high(dstXmm), 0);
            } else {
                setLow(frame, dstXmm, size, frame.getLong(low(srcXmm)));
            }
            return CONTINUE;
        }
    }

    static final class Arithmetic extends InstructionNode {
        private final Op op;
        private final int size;
        private final int dst;
        @Child private Source src;

        Arithmetic(int offset, Op op, int size, int dst, Source src) {
            super(offset);
            this.op = op;
            this.size = size;
            this.dst = dst;
            this.src = src;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long b = src.read(frame, state, size);
            long a = frame.getLong(low(dst));
            if (size == 4) {
                float x = Float.intBitsToFloat((int) a);
                float y = Float.intBitsToFloat((int) b);
                float r = switch (op) {
                    case ADDS -> x + y;
                    case SUBS -> x - y;
                    case MULS -> x * y;
                    default -> x / y;
                };
                setLow(frame, dst, 4, floatResult((int) a, (int) b, r) & 0xFFFF_FFFFL);
            } else {
                double x = Double.longBitsToDouble(a);
                double y = Double.longBitsToDouble(b);
                double r = switch (op) {
                    case ADDS -> x + y;
                    case SUBS -> x - y;
                    case MULS -> x * y;
                    default -> x / y;
                };
                setLow(frame, dst, 8, doubleResult(a, b, r));
            }
            return CONTINUE;
        }
    }

    /** Returns the bits SSE gives for a single-precision result {@code r} of operands with bits {@code a} and {@code b}. */
    static int floatResult(int a, int b, float r) {
        if (!Float.isNaN(r)) {
            return Float.floatToRawIntBits(r);
        }
        if (Float.isNaN(Float.intBitsToFloat(a))) {
            return a | 0x0040_0000;
        }
        if (Float.isNaN(Float.intBitsToFloat(b))) {
            return b | 0x0040_0000;
        }
        return FLOAT_INDEFINITE;
    }

    static long doubleResult(long a, long b, double r) {
        if (!Double.isNaN(r)) {
            return Double.doubleToRawLongBits(r);
        }
        if (Double.isNaN(Double.longBitsToDouble(a))) {
            return a | 0x0008_0000_0000_0000L;
        }
        if (Double.isNaN(Double.longBitsToDouble(b))) {
            return b | 0x0008_0000_0000_0000L;
        }
        return DOUBLE_INDEFINITE;
    }

    /** ucomiss and ucomisd: ZF, PF and CF as the comparison orders, OF, SF and AF clear. */
    static final class UnorderedCompare extends InstructionNode {
        private final int size;
        private final int a;
        @Child private Source b;

        UnorderedCompare(int offset, int size, int a, Source b) {
            super(offset);
            this.size = size;
            this.a = a;
            this.b = b;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long bits = b.read(frame, state, size);
            double x;
            double y;
            if (size == 4) {
                x = Float.intBitsToFloat((int) frame.getLong(low(a)));
                y = Float.intBitsToFloat((int) bits);
            } else {
                x = Double.longBitsToDouble(frame.getLong(low(a)));
                y = Double.longBitsToDouble(bits);
            }
            long flags;
            if (Double.isNaN(x) || Double.isNaN(y)) {
                flags = Flags.ZF | Flags.PF | Flags.CF;
            } else if (x > y) {
                flags = 0;
            } else if (x < y) {
                flags = Flags.CF;
            } else {
                flags = Flags.ZF;
            }
            setExplicitFlags(frame, flags);
            return CONTINUE;
        }
    }

    static final class IntegerToScalar extends InstructionNode {
        private final int size;
        private final int sourceSize;
        private final int dst;
        @Child private OperandNode src;

        IntegerToScalar(int offset, int size, int sourceSize, int dst, OperandNode src) {
            super(offset);
            this.size = size;
            this.sourceSize = sourceSize;
            this.dst = dst;
            this.src = src;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long value = Flags.signExtend(src.read(frame, state, sourceSize), sourceSize);
            if (size == 4) {
                setLow(frame, dst, 4, Float.floatToRawIntBits((float) value) & 0xFFFF_FFFFL);
            } else {
                setLow(frame, dst, 8, Double.doubleToRawLongBits((double) value));
            }
            return CONTINUE;
        }
    }

    /** cvttss2si and cvttsd2si: truncation, and the integer indefinite (the minimum value) for NaN or a value out of range. */
    static final class ScalarToInteger extends InstructionNode {
        private final int size;
        private final int sourceSize;
        @Child private OperandNode dst;
        @Child private Source src;

        ScalarToInteger(int offset, int size, int sourceSize, OperandNode dst, Source src) {
            super(offset);
            this.size = size;
            this.sourceSize = sourceSize;
            this.dst = dst;
            this.src = src;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            long bits = src.read(frame, state, sourceSize);
            double value = sourceSize == 4 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
            long result;
            if (size == 4) {
                result = Double.isNaN(value) || value >= 0x1p31 || value <= -0x1p31 - 1 ? Integer.MIN_VALUE : (long) value;
            } else {
                result = Double.isNaN(value) || value >= 0x1p63 || value < -0x1p63 ? Long.MIN_VALUE : (long) value;
            }
            dst.write(frame, state, size, result & Flags.mask(size));
            return CONTINUE;
        }
    }

    static final class Convert extends InstructionNode {
        private final boolean toDouble;
        private final int dst;
        @Child private Source src;

        Convert(int offset, boolean toDouble, int dst, Source src) {
            super(offset);
            this.toDouble = toDouble;
            this.dst = dst;
            this.src = src;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            if (toDouble) {
                int bits = (int) src.read(frame, state, 4);
                float value = Float.intBitsToFloat(bits);
                long result = Float.isNaN(value) ? ((long) (bits & 0x8000_0000) << 32) | 0x7FF8_0000_0000_0000L
                                | ((long) (bits & 0x003F_FFFF) << 29) : Double.doubleToRawLongBits(value);
                setLow(frame, dst, 8, result);
            } else {
                long bits = src.read(frame, state, 8);
                double value = Double.longBitsToDouble(bits);
                int result = Double.isNaN(value) ? (int) ((bits >>> 32) & 0x8000_0000L) | 0x7FC0_0000 | (int) ((bits >>> 29) & 0x003F_FFFF)
                                : Float.floatToRawIntBits((float) value);
                setLow(frame, dst, 4, result & 0xFFFF_FFFFL);
            }
            return CONTINUE;
        }
    }

    static final class XorPacked extends InstructionNode {
        private final int dst;
        private final int src;

        XorPacked(int offset, int dst, int src) {
            super(offset);
            this.dst = dst;
            this.src = src;
        }

        @Override
        long execute(VirtualFrame frame, CpuState state) {
            frame.setLong(low(dst), frame.getLong(low(dst)) ^ frame.getLong(low(src)));
            frame.setLong(high(dst), frame.getLong(high(dst)) ^ frame.getLong(high(src)));
            return CONTINUE;
        }
    }
}
