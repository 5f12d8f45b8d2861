// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.emit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kplugins.kpc.diagnostics.SourceLocation;
import org.kplugins.x86.asm.AluOperation;
import org.kplugins.x86.asm.Condition;
import org.kplugins.x86.asm.Label;
import org.kplugins.x86.asm.Memory;
import org.kplugins.x86.asm.OperandSize;
import org.kplugins.x86.asm.Register;
import org.kplugins.x86.asm.ScalarOperation;
import org.kplugins.x86.asm.ShiftOperation;
import org.kplugins.x86.asm.X86Assembler;
import org.kplugins.x86.asm.XmmRegister;

/**
 * The assembler calls of the emitter, each recorded as it is emitted: offset, length, text in the
 * Intel syntax that GNU objdump prints, and the source location it came from. The record is the
 * listing of {@code kpc --dump-x86}, and tests compare its text with objdump's decoding of the
 * same bytes.
 */
final class ListingAssembler {

    /** One emitted instruction; the text of a jump or call is completed when the code is finished. */
    private record Pending(int offset, String text, Label target, SourceLocation location, String function) {
    }

    private final X86Assembler asm = new X86Assembler();
    private final List<Pending> pending = new ArrayList<>();
    private SourceLocation location;
    private String function;

    X86Assembler assembler() {
        return asm;
    }

    int position() {
        return asm.position();
    }

    /** Sets the function and source location of the instructions that follow. */
    void locate(String functionName, SourceLocation sourceLocation) {
        this.function = functionName;
        this.location = sourceLocation;
    }

    Label newLabel(String name) {
        return asm.newLabel(name);
    }

    void bind(Label label) {
        asm.bind(label);
    }

    /** Returns the finished code and its listing. */
    Listing finish() {
        byte[] code = asm.finish();
        List<Listing.Entry> entries = new ArrayList<>(pending.size());
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            int end = i + 1 < pending.size() ? pending.get(i + 1).offset() : code.length;
            String text = p.target() == null ? p.text() : p.text() + " 0x" + Integer.toHexString(p.target().position());
            entries.add(new Listing.Entry(p.offset(), end - p.offset(), text, p.location(), p.function()));
        }
        return new Listing(code, entries);
    }

    private void record(int start, String text) {
        pending.add(new Pending(start, text, null, location, function));
    }

    // ---- Data movement ----

    void mov(OperandSize size, Register dst, Register src) {
        int start = position();
        asm.mov(size, dst, src);
        record(start, "mov " + reg(dst, size) + "," + reg(src, size));
    }

    void mov(OperandSize size, Register dst, Memory src) {
        int start = position();
        asm.mov(size, dst, src);
        record(start, "mov " + reg(dst, size) + "," + mem(src, size));
    }

    void mov(OperandSize size, Memory dst, Register src) {
        int start = position();
        asm.mov(size, dst, src);
        record(start, "mov " + mem(dst, size) + "," + reg(src, size));
    }

    void mov(OperandSize size, Memory dst, long imm) {
        int start = position();
        asm.mov(size, dst, imm);
        record(start, "mov " + mem(dst, size) + "," + imm(imm, size));
    }

    /** {@code mov dst, imm}, whose text follows the form the assembler picks for a 64-bit destination. */
    void mov(OperandSize size, Register dst, long imm) {
        int start = position();
        asm.mov(size, dst, imm);
        if (size == OperandSize.QWORD && imm >= 0 && imm <= 0xFFFF_FFFFL) {
            record(start, "mov " + reg(dst, OperandSize.DWORD) + "," + imm(imm, OperandSize.DWORD));
        } else if (size == OperandSize.QWORD && imm != (int) imm) {
            record(start, "movabs " + reg(dst, size) + "," + imm(imm, size));
        } else {
            record(start, "mov " + reg(dst, size) + "," + imm(imm, size));
        }
    }

    void movzx(OperandSize dstSize, Register dst, OperandSize srcSize, Register src) {
        int start = position();
        asm.movzx(dstSize, dst, srcSize, src);
        record(start, "movzx " + reg(dst, dstSize) + "," + reg(src, srcSize));
    }

    void movzx(OperandSize dstSize, Register dst, OperandSize srcSize, Memory src) {
        int start = position();
        asm.movzx(dstSize, dst, srcSize, src);
        record(start, "movzx " + reg(dst, dstSize) + "," + mem(src, srcSize));
    }

    void movsx(OperandSize dstSize, Register dst, OperandSize srcSize, Register src) {
        int start = position();
        asm.movsx(dstSize, dst, srcSize, src);
        String mnemonic = srcSize == OperandSize.DWORD ? "movsxd " : "movsx ";
        record(start, mnemonic + reg(dst, dstSize) + "," + reg(src, srcSize));
    }

    void movsx(OperandSize dstSize, Register dst, OperandSize srcSize, Memory src) {
        int start = position();
        asm.movsx(dstSize, dst, srcSize, src);
        String mnemonic = srcSize == OperandSize.DWORD ? "movsxd " : "movsx ";
        record(start, mnemonic + reg(dst, dstSize) + "," + mem(src, srcSize));
    }

    void lea(OperandSize size, Register dst, Memory src) {
        int start = position();
        asm.lea(size, dst, src);
        record(start, "lea " + reg(dst, size) + "," + address(src));
    }

    void push(Register register) {
        int start = position();
        asm.push(register);
        record(start, "push " + reg(register, OperandSize.QWORD));
    }

    void pop(Register register) {
        int start = position();
        asm.pop(register);
        record(start, "pop " + reg(register, OperandSize.QWORD));
    }

    // ---- Arithmetic ----

    void alu(AluOperation op, OperandSize size, Register dst, Register src) {
        int start = position();
        asm.alu(op, size, dst, src);
        record(start, op.mnemonic() + " " + reg(dst, size) + "," + reg(src, size));
    }

    void alu(AluOperation op, OperandSize size, Register dst, Memory src) {
        int start = position();
        asm.alu(op, size, dst, src);
        record(start, op.mnemonic() + " " + reg(dst, size) + "," + mem(src, size));
    }

    void alu(AluOperation op, OperandSize size, Memory dst, Register src) {
        int start = position();
        asm.alu(op, size, dst, src);
        record(start, op.mnemonic() + " " + mem(dst, size) + "," + reg(src, size));
    }

    void alu(AluOperation op, OperandSize size, Register dst, long imm) {
        int start = position();
        asm.alu(op, size, dst, imm);
        record(start, op.mnemonic() + " " + reg(dst, size) + "," + imm(imm, size));
    }

    void alu(AluOperation op, OperandSize size, Memory dst, long imm) {
        int start = position();
        asm.alu(op, size, dst, imm);
        record(start, op.mnemonic() + " " + mem(dst, size) + "," + imm(imm, size));
    }

    void test(OperandSize size, Register dst, Register src) {
        int start = position();
        asm.test(size, dst, src);
        record(start, "test " + reg(dst, size) + "," + reg(src, size));
    }

    void test(OperandSize size, Memory dst, Register src) {
        int start = position();
        asm.test(size, dst, src);
        record(start, "test " + mem(dst, size) + "," + reg(src, size));
    }

    void test(OperandSize size, Register dst, long imm) {
        int start = position();
        asm.test(size, dst, imm);
        record(start, "test " + reg(dst, size) + "," + imm(imm, size));
    }

    void test(OperandSize size, Memory dst, long imm) {
        int start = position();
        asm.test(size, dst, imm);
        record(start, "test " + mem(dst, size) + "," + imm(imm, size));
    }

    void imul(OperandSize size, Register dst, Register src) {
        int start = position();
        asm.imul(size, dst, src);
        record(start, "imul " + reg(dst, size) + "," + reg(src, size));
    }

    void imul(OperandSize size, Register dst, Memory src) {
        int start = position();
        asm.imul(size, dst, src);
        record(start, "imul " + reg(dst, size) + "," + mem(src, size));
    }

    void imul(OperandSize size, Register dst, Register src, long imm) {
        int start = position();
        asm.imul(size, dst, src, imm);
        record(start, "imul " + reg(dst, size) + "," + reg(src, size) + "," + imm(imm, size));
    }

    void imul(OperandSize size, Register dst, Memory src, long imm) {
        int start = position();
        asm.imul(size, dst, src, imm);
        record(start, "imul " + reg(dst, size) + "," + mem(src, size) + "," + imm(imm, size));
    }

    void shift(ShiftOperation op, OperandSize size, Register dst, int count) {
        int start = position();
        asm.shift(op, size, dst, count);
        record(start, op.mnemonic() + " " + reg(dst, size) + "," + shiftCount(count));
    }

    void shift(ShiftOperation op, OperandSize size, Memory dst, int count) {
        int start = position();
        asm.shift(op, size, dst, count);
        record(start, op.mnemonic() + " " + mem(dst, size) + "," + shiftCount(count));
    }

    void shiftByCl(ShiftOperation op, OperandSize size, Register dst) {
        int start = position();
        asm.shiftByCl(op, size, dst);
        record(start, op.mnemonic() + " " + reg(dst, size) + ",cl");
    }

    void shiftByCl(ShiftOperation op, OperandSize size, Memory dst) {
        int start = position();
        asm.shiftByCl(op, size, dst);
        record(start, op.mnemonic() + " " + mem(dst, size) + ",cl");
    }

    void neg(OperandSize size, Register dst) {
        int start = position();
        asm.neg(size, dst);
        record(start, "neg " + reg(dst, size));
    }

    void neg(OperandSize size, Memory dst) {
        int start = position();
        asm.neg(size, dst);
        record(start, "neg " + mem(dst, size));
    }

    void not(OperandSize size, Register dst) {
        int start = position();
        asm.not(size, dst);
        record(start, "not " + reg(dst, size));
    }

    void not(OperandSize size, Memory dst) {
        int start = position();
        asm.not(size, dst);
        record(start, "not " + mem(dst, size));
    }

    void setcc(Condition condition, Register dst) {
        int start = position();
        asm.setcc(condition, dst);
        record(start, "set" + conditionName(condition) + " " + reg(dst, OperandSize.BYTE));
    }

    /** cdq for a DWORD operation, cqo for a QWORD one. */
    void signExtendAccumulator(OperandSize size) {
        int start = position();
        if (size == OperandSize.QWORD) {
            asm.cqo();
            record(start, "cqo");
        } else {
            asm.cdq();
            record(start, "cdq");
        }
    }

    void idiv(OperandSize size, Register src) {
        int start = position();
        asm.idiv(size, src);
        record(start, "idiv " + reg(src, size));
    }

    void idiv(OperandSize size, Memory src) {
        int start = position();
        asm.idiv(size, src);
        record(start, "idiv " + mem(src, size));
    }

    void div(OperandSize size, Register src) {
        int start = position();
        asm.div(size, src);
        record(start, "div " + reg(src, size));
    }

    void div(OperandSize size, Memory src) {
        int start = position();
        asm.div(size, src);
        record(start, "div " + mem(src, size));
    }

    // ---- Control flow ----

    void jcc(Condition condition, Label target) {
        int start = position();
        asm.jcc(condition, target);
        pending.add(new Pending(start, "j" + conditionName(condition), target, location, function));
    }

    void jmp(Label target) {
        int start = position();
        asm.jmp(target);
        pending.add(new Pending(start, "jmp", target, location, function));
    }

    void call(Label target) {
        int start = position();
        asm.call(target);
        pending.add(new Pending(start, "call", target, location, function));
    }

    void call(Register target) {
        int start = position();
        asm.call(target);
        record(start, "call " + reg(target, OperandSize.QWORD));
    }

    void call(Memory target) {
        int start = position();
        asm.call(target);
        record(start, "call " + mem(target, OperandSize.QWORD));
    }

    void ret() {
        int start = position();
        asm.ret();
        record(start, "ret");
    }

    // ---- SSE ----

    void scalar(ScalarOperation op, OperandSize size, XmmRegister dst, XmmRegister src) {
        int start = position();
        asm.scalar(op, size, dst, src);
        record(start, op.mnemonic(size) + " " + dst.text() + "," + src.text());
    }

    void movd(OperandSize size, XmmRegister dst, Register src) {
        int start = position();
        asm.movd(size, dst, src);
        record(start, movdMnemonic(size) + " " + dst.text() + "," + reg(src, size));
    }

    void movd(OperandSize size, Register dst, XmmRegister src) {
        int start = position();
        asm.movd(size, dst, src);
        record(start, movdMnemonic(size) + " " + reg(dst, size) + "," + src.text());
    }

    void ucomis(OperandSize size, XmmRegister a, XmmRegister b) {
        int start = position();
        asm.ucomis(size, a, b);
        record(start, "ucomi" + precision(size) + " " + a.text() + "," + b.text());
    }

    void cvtsi2s(OperandSize size, XmmRegister dst, OperandSize sourceSize, Register src) {
        int start = position();
        asm.cvtsi2s(size, dst, sourceSize, src);
        record(start, "cvtsi2" + precision(size) + " " + dst.text() + "," + reg(src, sourceSize));
    }

    void cvtts2si(OperandSize size, Register dst, OperandSize sourceSize, XmmRegister src) {
        int start = position();
        asm.cvtts2si(size, dst, sourceSize, src);
        record(start, "cvtt" + precision(sourceSize) + "2si " + reg(dst, size) + "," + src.text());
    }

    void cvtss2sd(XmmRegister dst, XmmRegister src) {
        int start = position();
        asm.cvtss2sd(dst, src);
        record(start, "cvtss2sd " + dst.text() + "," + src.text());
    }

    void cvtsd2ss(XmmRegister dst, XmmRegister src) {
        int start = position();
        asm.cvtsd2ss(dst, src);
        record(start, "cvtsd2ss " + dst.text() + "," + src.text());
    }

    private static String movdMnemonic(OperandSize size) {
        return size == OperandSize.QWORD ? "movq" : "movd";
    }

    private static String precision(OperandSize size) {
        return size == OperandSize.QWORD ? "sd" : "ss";
    }

    // ---- Text ----

    static String reg(Register register, OperandSize size) {
        return register.nameAt(size);
    }

    private static String conditionName(Condition condition) {
        return condition.name().toLowerCase(Locale.ROOT);
    }

    private static String imm(long value, OperandSize size) {
        long truncated = size == OperandSize.QWORD ? value : value & ((1L << size.bits()) - 1);
        return "0x" + Long.toHexString(truncated);
    }

    private static String shiftCount(int count) {
        return count == 1 ? "1" : "0x" + Integer.toHexString(count);
    }

    private static String mem(Memory memory, OperandSize size) {
        return size.name() + " PTR " + address(memory);
    }

    /**
     * Returns a memory operand's address as objdump prints it: the segment override, every encoded
     * displacement, and the scale of an index.
     */
    private static String address(Memory memory) {
        String override = memory.segment() == null ? "" : memory.segment().text() + ":";
        if (memory.isRipRelative()) {
            return override + "[rip+0x" + Long.toHexString(memory.displacement()) + "]";
        }
        if (memory.base() == null && memory.index() == null) {
            // objdump names DS for an absolute address without an override.
            return (override.isEmpty() ? "ds:" : override) + "0x" + Integer.toHexString(memory.displacement());
        }
        StringBuilder text = new StringBuilder(override).append('[');
        if (memory.base() != null) {
            text.append(reg(memory.base(), OperandSize.QWORD));
        }
        if (memory.index() != null) {
            if (memory.base() != null) {
                text.append('+');
            }
            text.append(reg(memory.index(), OperandSize.QWORD)).append('*').append(memory.scale());
        }
        // A base of RBP or R13 always encodes a displacement, and no base always a 32-bit one.
        boolean hasDisplacement = memory.displacement() != 0 || memory.base() == null
                        || memory.base() == Register.RBP || memory.base() == Register.R13;
        if (hasDisplacement) {
            long displacement = memory.displacement();
            text.append(displacement < 0 ? "-0x" : "+0x").append(Long.toHexString(Math.abs(displacement)));
        }
        return text.append(']').toString();
    }
}
