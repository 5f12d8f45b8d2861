// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kplugins.x86.asm.IntelSyntax.mem;
import static org.kplugins.x86.asm.IntelSyntax.reg;
import static org.kplugins.x86.asm.OperandSize.BYTE;
import static org.kplugins.x86.asm.OperandSize.DWORD;
import static org.kplugins.x86.asm.OperandSize.QWORD;
import static org.kplugins.x86.asm.OperandSize.WORD;
import static org.kplugins.x86.asm.Operands.GP;
import static org.kplugins.x86.asm.Operands.MEMORY;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Jumps, calls and labels (rel8 and rel32 fix-ups, RIP-relative labels), checked against objdump. */
class ControlFlowEncodingTest {

    @Test
    void indirectJumpAndCall() {
        DisassemblyBatch batch = new DisassemblyBatch();
        for (Register target : GP) {
            batch.expect("jmp " + reg(target, QWORD), a -> a.jmp(target));
            batch.expect("call " + reg(target, QWORD), a -> a.call(target));
        }
        for (Memory target : MEMORY) {
            batch.expect("jmp " + mem(target, QWORD), a -> a.jmp(target));
            batch.expect("call " + mem(target, QWORD), a -> a.call(target));
        }
        batch.expect("ret", X86Assembler::ret);
        batch.expect("nop", X86Assembler::nop);
        batch.expect("int3", X86Assembler::int3);
        batch.expect("ud2", X86Assembler::ud2);
        batch.check();
    }

    @Test
    void backwardJumpsPickShortWhenInRange() {
        DisassemblyBatch batch = new DisassemblyBatch();
        X86Assembler asm = batch.assembler();
        Label top = asm.newLabel("top");
        asm.bind(top);
        for (Condition condition : Condition.values()) {
            assertEquals(2, batch.expect(jcc(condition) + " 0x0", a -> a.jcc(condition, top)), "jcc rel8 length");
        }
        assertEquals(2, batch.expect("jmp 0x0", a -> a.jmp(top)), "jmp rel8 length");
        assertEquals(5, batch.expect("call 0x0", a -> a.call(top)), "call rel32 length");
        emitNopsUntil(batch, 126);
        // At offset 126 a 2-byte jump has displacement 0 - 128 = -128, the last short one.
        assertEquals(2, batch.expect("jmp 0x0", a -> a.jmp(top)), "jmp at rel8 -128");
        assertEquals(5, batch.expect("jmp 0x0", a -> a.jmp(top)), "jmp beyond rel8");
        for (Condition condition : Condition.values()) {
            assertEquals(6, batch.expect(jcc(condition) + " 0x0", a -> a.jcc(condition, top)), "jcc rel32 length");
        }
        assertEquals(5, batch.expect("jmp 0x0", a -> a.jmp(top, JumpDistance.NEAR)), "explicit near jmp");
        batch.check();
    }

    @Test
    void explicitShortBackwardJumpAtLimit() {
        DisassemblyBatch batch = new DisassemblyBatch();
        X86Assembler asm = batch.assembler();
        Label top = asm.newLabel("top");
        asm.bind(top);
        emitNopsUntil(batch, 126);
        assertEquals(2, batch.expect("jle 0x0", a -> a.jcc(Condition.LE, top, JumpDistance.SHORT)), "short jle");
        batch.check();
    }

    @Test
    void forwardJumpsArePatchedWhenBound() {
        DisassemblyBatch batch = new DisassemblyBatch();
        X86Assembler asm = batch.assembler();
        Label end = asm.newLabel("end");
        Label near = asm.newLabel("near");
        List<int[]> jumps = new ArrayList<>();
        List<String> mnemonics = new ArrayList<>();
        for (Condition condition : Condition.values()) {
            int start = asm.position();
            asm.jcc(condition, near, JumpDistance.SHORT);
            jumps.add(new int[] {start, asm.position()});
            mnemonics.add(jcc(condition));
            assertEquals(2, asm.position() - start, "forward jcc with JumpDistance.SHORT is rel8");
        }
        int start = asm.position();
        asm.jmp(near, JumpDistance.SHORT);
        jumps.add(new int[] {start, asm.position()});
        mnemonics.add("jmp");
        asm.bind(near);
        int nearOffset = asm.position();

        for (Condition condition : Condition.values()) {
            start = asm.position();
            asm.jcc(condition, end);
            jumps.add(new int[] {start, asm.position()});
            mnemonics.add(jcc(condition));
            assertEquals(6, asm.position() - start, "forward jcc without a distance is rel32");
        }
        start = asm.position();
        asm.jmp(end);
        jumps.add(new int[] {start, asm.position()});
        mnemonics.add("jmp");
        assertEquals(5, asm.position() - start, "forward jmp without a distance is rel32");
        start = asm.position();
        asm.call(end);
        jumps.add(new int[] {start, asm.position()});
        mnemonics.add("call");
        emitNopsUntil(batch, nearOffset + 1000);
        asm.bind(end);
        batch.expect("ret", X86Assembler::ret);

        for (int i = 0; i < jumps.size(); i++) {
            int[] jump = jumps.get(i);
            boolean rel8 = jump[1] - jump[0] == 2;
            int target = rel8 ? nearOffset : end.position();
            batch.expectAt(jump[0], jump[1], mnemonics.get(i) + " 0x" + Integer.toHexString(target), null);
        }
        batch.check();
    }

    @Test
    void forwardShortJumpAtLimit() {
        DisassemblyBatch batch = new DisassemblyBatch();
        X86Assembler asm = batch.assembler();
        Label exit = asm.newLabel("exit");
        asm.jmp(exit, JumpDistance.SHORT);
        // Bound at 2 + 127, the farthest target of a short jump that ends at offset 2.
        emitNopsUntil(batch, 129);
        asm.bind(exit);
        batch.expectAt(0, 2, "jmp 0x81", null);
        batch.check();
    }

    @Test
    void ripRelativeLabelAccountsForImmediate() {
        record Form(String text, BiConsumer<X86Assembler, Memory> emit) {
        }
        List<Form> forms = List.of(
                        new Form("add DWORD PTR %s,0x1", (a, m) -> a.add(DWORD, m, 1)),
                        new Form("add QWORD PTR %s,0x12345678", (a, m) -> a.add(QWORD, m, 0x12345678)),
                        new Form("cmp WORD PTR %s,0x1234", (a, m) -> a.cmp(WORD, m, 0x1234)),
                        new Form("and BYTE PTR %s,0x80", (a, m) -> a.and(BYTE, m, 0x80)),
                        new Form("mov BYTE PTR %s,0x7f", (a, m) -> a.mov(BYTE, m, 0x7F)),
                        new Form("mov WORD PTR %s,0x7fff", (a, m) -> a.mov(WORD, m, 0x7FFF)),
                        new Form("mov DWORD PTR %s,0x7fffffff", (a, m) -> a.mov(DWORD, m, Integer.MAX_VALUE)),
                        new Form("mov QWORD PTR %s,0xffffffff80000000", (a, m) -> a.mov(QWORD, m, Integer.MIN_VALUE)),
                        new Form("test BYTE PTR %s,0x1", (a, m) -> a.test(BYTE, m, 1)),
                        new Form("test WORD PTR %s,0x100", (a, m) -> a.test(WORD, m, 0x100)),
                        new Form("test QWORD PTR %s,0x1", (a, m) -> a.test(QWORD, m, 1)),
                        new Form("imul eax,DWORD PTR %s,0x3", (a, m) -> a.imul(DWORD, Register.RAX, m, 3)),
                        new Form("imul r9w,WORD PTR %s,0x1000", (a, m) -> a.imul(WORD, Register.R9, m, 0x1000)),
                        new Form("imul rax,QWORD PTR %s,0x1000", (a, m) -> a.imul(QWORD, Register.RAX, m, 0x1000)),
                        new Form("shl QWORD PTR %s,0x3", (a, m) -> a.shl(QWORD, m, 3)),
                        new Form("sar DWORD PTR %s,1", (a, m) -> a.sar(DWORD, m, 1)),
                        new Form("lea r15,%s", (a, m) -> a.lea(QWORD, Register.R15, m)),
                        new Form("mov rax,QWORD PTR %s", (a, m) -> a.mov(QWORD, Register.RAX, m)),
                        new Form("jmp QWORD PTR %s", X86Assembler::jmp),
                        new Form("call QWORD PTR %s", X86Assembler::call));

        DisassemblyBatch batch = new DisassemblyBatch();
        X86Assembler asm = batch.assembler();
        Label before = asm.newLabel("before");
        Label after = asm.newLabel("after");
        asm.bind(before);
        batch.expect("nop", X86Assembler::nop);
        List<int[]> emitted = new ArrayList<>();
        for (Form form : forms) {
            for (Label target : List.of(before, after)) {
                int start = asm.position();
                form.emit().accept(asm, Memory.ripRelative(target));
                emitted.add(new int[] {start, asm.position()});
            }
        }
        asm.bind(after);
        batch.expect("int3", X86Assembler::int3);

        for (int i = 0; i < emitted.size(); i++) {
            int[] range = emitted.get(i);
            Label target = i % 2 == 0 ? before : after;
            long displacement = target.position() - range[1];
            String address = "[rip+0x" + Long.toHexString(displacement) + "]";
            batch.expectAt(range[0], range[1], String.format(forms.get(i / 2).text(), address),
                            "0x" + Integer.toHexString(target.position()));
        }
        batch.check();
    }

    private static String jcc(Condition condition) {
        return "j" + condition.name().toLowerCase(Locale.ROOT);
    }

    /** Emits nops, each checked by objdump, until the code reaches {@code offset}. */
    private static void emitNopsUntil(DisassemblyBatch batch, int offset) {
        while (batch.assembler().position() < offset) {
            batch.expect("nop", X86Assembler::nop);
        }
    }
}
