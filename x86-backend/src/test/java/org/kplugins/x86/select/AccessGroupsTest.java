// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
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
    void readsThroughOneBaseWithArithmeticBetweenFormOneGroup() {
        List<Instr> code = List.of(read(A, BASE, 0, 1), new Instr.Binary(Instr.BinaryOp.MUL, A, A, A),
                        read(B, BASE, 2, 1), read(B, BASE, 1, 4));
        assertEquals(code.stream().filter(i -> i instanceof Instr.Load).toList(), AccessGroups.groupAt(code, 0));
        assertEquals(new AccessGroups.Range(BASE, 0, 5), AccessGroups.range(AccessGroups.groupAt(code, 0)));
    }

    @Test
    void aStoreACheckedAccessThroughAnotherBaseOrANewBaseEndsTheGroup() {
        Instr first = read(A, BASE, 0, 1);
        assertEquals(List.of(first), AccessGroups.groupAt(
                        List.of(first, new Instr.Store(OTHER, 0, A, 1, true, SITE), read(B, BASE, 1, 1)), 0));
        assertEquals(List.of(first), AccessGroups.groupAt(List.of(first, read(B, OTHER, 0, 1), read(B, BASE, 1, 1)), 0));
        assertEquals(List.of(first), AccessGroups.groupAt(List.of(first, new Instr.Move(BASE, A), read(B, BASE, 1, 1)), 0));
    }

    @Test
    void aReadDoesNotMergeWithAWriteOrBeyondOnePage() {
        Instr first = read(A, BASE, 0, 1);
        assertEquals(List.of(first), AccessGroups.groupAt(List.of(first, new Instr.Store(BASE, 1, A, 1, true, SITE)), 0));
        assertEquals(List.of(first), AccessGroups.groupAt(List.of(first, read(B, BASE, 4096, 1)), 0));
        assertEquals(2, AccessGroups.groupAt(List.of(first, read(B, BASE, 4095, 1)), 0).size());
    }
}
