// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kplugins.x86.ir.Imm;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.Site;
import org.kplugins.x86.ir.VReg;
import org.kplugins.x86.ir.Width;

class AccessGroupsTest {

    private static final VReg BASE = new VReg(0, Width.I32, "p");
    private static final VReg OTHER = new VReg(1, Width.I32, "q");
    private static final VReg A = new VReg(2, Width.I32, "a");
    private static final VReg B = new VReg(3, Width.I32, "b");
    private static final Site SITE = new Site(0, null, "f");

    private static Instr.Load read(VReg dst, VReg base, int displacement, int size) {
        return new Instr.Load(dst, base, displacement, size, false, true, SITE);
    }

    @Test
    void groupTakesReadsAcrossArithmetic() {
        List<Instr> code = List.of(read(A, BASE, 0, 1), new Instr.Binary(Instr.BinaryOp.MUL, A, A, A),
                        read(B, BASE, 2, 1), read(B, BASE, 1, 4));
        assertEquals(code.stream().filter(i -> i instanceof Instr.Load).toList(), AccessGroups.groupAt(code, 0));
        assertEquals(new AccessGroups.Range(BASE, 0, 5), AccessGroups.range(AccessGroups.groupAt(code, 0)));
    }

    @Test
    void groupEndsAtStoreOtherBaseOrNewBase() {
        Instr first = read(A, BASE, 0, 1);
        assertEquals(List.of(first), AccessGroups.groupAt(
                        List.of(first, new Instr.Store(OTHER, 0, A, 1, true, SITE), read(B, BASE, 1, 1)), 0));
        assertEquals(List.of(first), AccessGroups.groupAt(List.of(first, read(B, OTHER, 0, 1), read(B, BASE, 1, 1)), 0));
        assertEquals(List.of(first), AccessGroups.groupAt(List.of(first, new Instr.Move(BASE, A), read(B, BASE, 1, 1)), 0));
    }

    @Test
    void groupKeepsKindAndOnePage() {
        Instr first = read(A, BASE, 0, 1);
        assertEquals(List.of(first), AccessGroups.groupAt(List.of(first, new Instr.Store(BASE, 1, A, 1, true, SITE)), 0));
        assertEquals(List.of(first), AccessGroups.groupAt(List.of(first, read(B, BASE, 4096, 1)), 0));
        assertEquals(2, AccessGroups.groupAt(List.of(first, read(B, BASE, 4095, 1)), 0).size());
    }

    @Test
    void groupTakesRecomputedEqualBases() {
        VReg index = new VReg(4, Width.I32, "i");
        VReg scaled = new VReg(5, Width.I32, "t1");
        VReg address = new VReg(6, Width.I32, "t2");
        VReg scaledAgain = new VReg(7, Width.I32, "t3");
        VReg addressAgain = new VReg(8, Width.I32, "t4");
        List<Instr> code = List.of(
                        new Instr.Binary(Instr.BinaryOp.MUL, scaled, index, new Imm(3, Width.I32)),
                        new Instr.Binary(Instr.BinaryOp.ADD, address, OTHER, scaled),
                        new Instr.Store(address, 0, A, 1, true, SITE),
                        new Instr.Binary(Instr.BinaryOp.MUL, scaledAgain, index, new Imm(3, Width.I32)),
                        new Instr.Binary(Instr.BinaryOp.ADD, addressAgain, OTHER, scaledAgain),
                        new Instr.Store(addressAgain, 1, A, 1, true, SITE),
                        new Instr.Binary(Instr.BinaryOp.ADD, index, index, new Imm(1, Width.I32)),
                        new Instr.Binary(Instr.BinaryOp.MUL, scaledAgain, index, new Imm(3, Width.I32)),
                        new Instr.Binary(Instr.BinaryOp.ADD, addressAgain, OTHER, scaledAgain),
                        new Instr.Store(addressAgain, 2, A, 1, true, SITE));
        assertEquals(List.of(code.get(2), code.get(5)), AccessGroups.groupAt(code, 2));
    }
}
