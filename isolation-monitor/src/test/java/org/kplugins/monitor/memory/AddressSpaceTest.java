// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kplugins.monitor.fault.Access;
import org.kplugins.monitor.fault.FaultKind;
import org.kplugins.monitor.fault.FaultReport;
import org.kplugins.monitor.fault.PluginFault;
import org.kplugins.monitor.testing.LocatedNode;

/**
 * The behaviour every backing store of {@link AddressSpace} shares. {@link ArrayBackedAddressSpaceTest}
 * and {@link NativeBackedAddressSpaceTest} run these tests against the byte-array and the native
 * backing store, and add the tests that only one of them needs.
 */
abstract class AddressSpaceTest {

    static final int PAGE = AddressSpace.PAGE_SIZE;
    static final int LIMIT = 16 * PAGE;
    static final int RW = PageFlags.PRESENT | PageFlags.WRITABLE;

    /** Creates an empty address space with the backing store under test. */
    abstract AddressSpace create(String pluginName, int segmentLimit);

    /** Pages 1-2 writable, page 3 read-only, page 4 unmapped, page 15 (the last) writable. */
    AddressSpace newSpace() {
        AddressSpace space = create("test", LIMIT);
        space.map(PAGE, 2 * PAGE, RW);
        space.map(3 * PAGE, PAGE, PageFlags.PRESENT);
        space.map(LIMIT - PAGE, PAGE, RW);
        return space;
    }

    static FaultReport expectFault(Executable access) {
        return assertThrows(PluginFault.class, access).report();
    }

    @Test
    void storeI32LittleEndian() {
        AddressSpace space = newSpace();
        space.storeI32(null, 0x1000, 0x12345678);
        assertEquals((byte) 0x78, space.loadI8(null, 0x1000));
        assertEquals((byte) 0x56, space.loadI8(null, 0x1001));
        assertEquals((byte) 0x34, space.loadI8(null, 0x1002));
        assertEquals((byte) 0x12, space.loadI8(null, 0x1003));
        assertEquals(0x12345678, space.loadI32(null, 0x1000));
    }

    @Test
    void roundTripEachWidth() {
        AddressSpace space = newSpace();
        space.storeI8(null, 0x1010, (byte) 0xAB);
        space.storeI16(null, 0x1020, (short) 0xBEEF);
        space.storeI32(null, 0x1030, 0xCAFEBABE);
        space.storeI64(null, 0x1040, 0x0123456789ABCDEFL);

        assertEquals((byte) 0xAB, space.loadI8(null, 0x1010));
        assertEquals((short) 0xBEEF, space.loadI16(null, 0x1020));
        assertEquals(0xCAFEBABE, space.loadI32(null, 0x1030));
        assertEquals(0x0123456789ABCDEFL, space.loadI64(null, 0x1040));
        assertEquals((short) 0xCDEF, space.loadI16(null, 0x1040));
        assertEquals((byte) 0xEF, space.loadI8(null, 0x1040));
        assertEquals((byte) 0x01, space.loadI8(null, 0x1047));
        assertEquals((byte) 0xBE, space.loadI8(null, 0x1021));
    }

    @Test
    void unalignedAccessAcrossMappedPages() {
        AddressSpace space = newSpace();
        space.storeI64(null, 0x1FFD, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, space.loadI64(null, 0x1FFD));
        assertEquals(0x55667788, space.loadI32(null, 0x1FFD));
        assertEquals((byte) 0x11, space.loadI8(null, 0x2004));
    }

    @Test
    void freshPagesReadZero() {
        AddressSpace space = newSpace();
        assertEquals(0L, space.loadI64(null, 0x2FF8));
        assertEquals(0L, space.loadI64(null, 0x3000));
    }

    @Test
    void pageZeroFaultsNotPresent() {
        AddressSpace space = newSpace();
        FaultReport report = expectFault(() -> space.loadI32(null, 0));
        assertEquals(FaultKind.PAGE_NOT_PRESENT, report.kind());
        assertEquals(0, report.address());
        assertEquals(Access.READ, report.access());
        assertEquals(4, report.size());
        assertEquals("4-byte read at 0x00000000", report.detail());
    }

    @Test
    void mapRejectsPageZero() {
        AddressSpace space = newSpace();
        assertThrows(IllegalArgumentException.class, () -> space.map(0, PAGE, RW));
        assertEquals(0, space.flagsOf(0));
    }

    @Test
    void unmappedPageFaultsNotPresent() {
        AddressSpace space = newSpace();
        FaultReport read = expectFault(() -> space.loadI8(null, 0x4123));
        assertEquals(FaultKind.PAGE_NOT_PRESENT, read.kind());
        assertEquals(0x4123, read.address());
        assertEquals("1-byte read at 0x00004123", read.detail());

        FaultReport write = expectFault(() -> space.storeI16(null, 0x4000, (short) 1));
        assertEquals(FaultKind.PAGE_NOT_PRESENT, write.kind());
        assertEquals(Access.WRITE, write.access());
        assertEquals("2-byte write at 0x00004000", write.detail());
    }

    @Test
    void readOnlyPageWriteFaults() {
        AddressSpace space = newSpace();
        assertEquals(0, space.loadI32(null, 0x3000));

        FaultReport report = expectFault(() -> space.storeI8(null, 0x3000, (byte) 1));
        assertEquals(FaultKind.PAGE_NOT_WRITABLE, report.kind());
        assertEquals(0x3000, report.address());
        assertEquals(Access.WRITE, report.access());
        assertEquals("1-byte write at 0x00003000", report.detail());
        assertEquals(0, space.loadI8(null, 0x3000));
    }

    @Test
    void accessBeyondLimitFaultsGeneralProtection() {
        AddressSpace space = newSpace();
        FaultReport report = expectFault(() -> space.loadI32(null, LIMIT));
        assertEquals(FaultKind.GENERAL_PROTECTION, report.kind());
        assertEquals(LIMIT, report.address());
        assertEquals("4-byte read at 0x00010000 beyond segment limit 0x00010000", report.detail());
    }

    @Test
    void accessSpanningIntoUnmappedPageFaults() {
        AddressSpace space = newSpace();
        FaultReport report = expectFault(() -> space.loadI32(null, 0x3FFE));
        assertEquals(FaultKind.PAGE_NOT_PRESENT, report.kind());
        assertEquals(0x3FFE, report.address());
        assertEquals(4, report.size());
    }

    @Test
    void writeSpanningIntoReadOnlyPageFaults() {
        AddressSpace space = newSpace();
        FaultReport report = expectFault(() -> space.storeI64(null, 0x2FFC, -1L));
        assertEquals(FaultKind.PAGE_NOT_WRITABLE, report.kind());
        assertEquals(0x2FFC, report.address());
        assertEquals(0, space.loadI32(null, 0x2FFC));
    }

    @Test
    void limitArithmeticAtTop() {
        AddressSpace space = newSpace();
        space.storeI32(null, LIMIT - 4, 0x01020304);
        assertEquals(0x01020304, space.loadI32(null, LIMIT - 4));
        space.storeI64(null, LIMIT - 8, 7L);
        assertEquals(7L, space.loadI64(null, LIMIT - 8));

        FaultReport nearTop = expectFault(() -> space.loadI32(null, LIMIT - 3));
        assertEquals(FaultKind.GENERAL_PROTECTION, nearTop.kind());
        assertEquals(LIMIT - 3, nearTop.address());

        FaultReport wrapped = expectFault(() -> space.loadI32(null, 0xFFFFFFFC));
        assertEquals(FaultKind.GENERAL_PROTECTION, wrapped.kind());
        assertEquals(0xFFFFFFFCL, wrapped.address());
        assertEquals("4-byte read at 0xfffffffc beyond segment limit 0x00010000", wrapped.detail());

        FaultReport negative = expectFault(() -> space.storeI8(null, -1, (byte) 0));
        assertEquals(FaultKind.GENERAL_PROTECTION, negative.kind());
        assertEquals(0xFFFFFFFFL, negative.address());
    }

    @Test
    void faultWithoutLocationRendersPluginName() {
        AddressSpace space = newSpace();
        PluginFault fault = assertThrows(PluginFault.class, () -> space.storeI32(null, 0x3004, 1));
        assertEquals("test: fault: page fault (write to read-only page): 4-byte write at 0x00003004 in plugin test",
                        fault.getMessage());
        assertEquals(0, fault.report().line());
    }

    @Test
    void faultWithLocationRendersSourceLine() {
        AddressSpace space = create("grayscale", LIMIT);
        space.map(0x1000, PAGE, PageFlags.PRESENT);
        String text = "void transcode(char *out) {\n    out[i] = y;\n}\n";
        LocatedNode node = LocatedNode.at("grayscale.kpc", text, "transcode", 2, 5, 10);

        PluginFault fault = assertThrows(PluginFault.class, () -> space.storeI8(node, 0x1000, (byte) 9));
        assertEquals("grayscale.kpc:2:5: fault: page fault (write to read-only page): 1-byte write at 0x00001000"
                        + " in transcode() of plugin grayscale\n"
                        + "        out[i] = y;\n"
                        + "        ^", fault.getMessage());
        assertEquals(node, fault.getLocation());
    }

    @Test
    void unmapMakesPageNotPresent() {
        AddressSpace space = newSpace();
        space.storeI32(null, 0x2000, 42);
        space.unmap(0x2000, PAGE);
        assertEquals(0, space.flagsOf(0x2000));
        assertEquals(FaultKind.PAGE_NOT_PRESENT, expectFault(() -> space.loadI32(null, 0x2000)).kind());

        space.map(0x2000, PAGE, RW);
        assertEquals(0, space.loadI32(null, 0x2000));
    }

    @Test
    void remapKeepsPresentContents() {
        AddressSpace space = newSpace();
        space.storeI32(null, 0x1000, 42);
        space.map(0x1000, PAGE, PageFlags.PRESENT);
        assertEquals(42, space.loadI32(null, 0x1000));
        assertEquals(PageFlags.PRESENT, space.flagsOf(0x1000));
    }

    @Test
    void protectChangesWritability() {
        AddressSpace space = newSpace();
        space.protect(0x1000, PAGE, 0);
        assertEquals(PageFlags.PRESENT, space.flagsOf(0x1FFF));
        assertEquals(FaultKind.PAGE_NOT_WRITABLE, expectFault(() -> space.storeI8(null, 0x1000, (byte) 1)).kind());

        space.protect(0x3000, PAGE, PageFlags.WRITABLE);
        space.storeI8(null, 0x3000, (byte) 1);
        assertEquals(1, space.loadI8(null, 0x3000));

        assertThrows(IllegalArgumentException.class, () -> space.protect(0x4000, PAGE, PageFlags.WRITABLE));
    }

    @Test
    void mapRejectsInvalidRanges() {
        AddressSpace space = newSpace();
        assertThrows(IllegalArgumentException.class, () -> space.map(0x1001, PAGE, RW));
        assertThrows(IllegalArgumentException.class, () -> space.map(0x1000, 0, RW));
        assertThrows(IllegalArgumentException.class, () -> space.map(LIMIT - PAGE, PAGE + 1, RW));
        assertThrows(IllegalArgumentException.class, () -> space.map(0xFFFFF000, PAGE, RW));
        assertThrows(IllegalArgumentException.class, () -> space.map(0x1000, PAGE, 0x80));
    }

    @Test
    void mapRoundsSizeUpToPages() {
        AddressSpace space = create("test", LIMIT);
        space.map(0x1000, 1, RW);
        space.storeI8(null, 0x1FFF, (byte) 5);
        assertEquals(0, space.flagsOf(0x2000));
    }

    @Test
    void copyOverlappingMovesLikeMemmove() {
        AddressSpace space = newSpace();
        for (int i = 0; i < 8; i++) {
            space.storeI8(null, 0x1000 + i, (byte) (i + 1));
        }
        space.copy(null, 0x1002, 0x1000, 6);
        byte[] forward = new byte[8];
        space.hostRead(0x1000, forward, 0, 8);
        assertArrayEquals(new byte[] {1, 2, 1, 2, 3, 4, 5, 6}, forward);

        space.copy(null, 0x1000, 0x1002, 6);
        byte[] backward = new byte[8];
        space.hostRead(0x1000, backward, 0, 8);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 5, 6}, backward);
    }

    @Test
    void copyAcrossPagesAndFromReadOnly() {
        AddressSpace space = newSpace();
        byte[] data = {9, 8, 7, 6};
        space.hostWrite(0x3FFE, data, 0, 2);
        space.copy(null, 0x1FFE, 0x3FFE, 2);
        assertEquals((short) 0x0809, space.loadI16(null, 0x1FFE));
    }

    @Test
    void copyFaultReportsFirstFaultingByte() {
        AddressSpace space = newSpace();
        space.storeI32(null, 0x2000, 0x11111111);

        FaultReport source = expectFault(() -> space.copy(null, 0x1000, 0x3F00, 0x200));
        assertEquals(FaultKind.PAGE_NOT_PRESENT, source.kind());
        assertEquals(0x4000, source.address());
        assertEquals(Access.READ, source.access());
        assertEquals(1, source.size());
        assertEquals("1-byte read at 0x00004000 (copy of 512 bytes from 0x00003f00 to 0x00001000)", source.detail());

        FaultReport destination = expectFault(() -> space.copy(null, 0x2F00, 0x1000, 0x200));
        assertEquals(FaultKind.PAGE_NOT_WRITABLE, destination.kind());
        assertEquals(0x3000, destination.address());
        assertEquals(Access.WRITE, destination.access());

        assertEquals(0x11111111, space.loadI32(null, 0x2000), "a faulting copy writes nothing");
    }

    @Test
    void copyBeyondLimitFaultsAtLimit() {
        AddressSpace space = newSpace();
        FaultReport report = expectFault(() -> space.copy(null, LIMIT - 16, 0x1000, 32));
        assertEquals(FaultKind.GENERAL_PROTECTION, report.kind());
        assertEquals(LIMIT, report.address());

        FaultReport hugeSize = expectFault(() -> space.copy(null, 0x1000, 0x1000, -1));
        assertEquals(FaultKind.PAGE_NOT_PRESENT, hugeSize.kind(), "size is unsigned, so the source runs into page 4");
        assertEquals(0x4000, hugeSize.address());
        assertEquals(Access.READ, hugeSize.access());
    }

    @Test
    void fillWritesRangeAndChecksIt() {
        AddressSpace space = newSpace();
        space.fill(null, 0x1FFC, (byte) 0x5A, 8);
        assertEquals(0x5A5A5A5A5A5A5A5AL, space.loadI64(null, 0x1FFC));
        assertEquals(0, space.loadI8(null, 0x2004));

        FaultReport report = expectFault(() -> space.fill(null, 0x2FF0, (byte) 1, 0x20));
        assertEquals(FaultKind.PAGE_NOT_WRITABLE, report.kind());
        assertEquals(0x3000, report.address());
        assertEquals("1-byte write at 0x00003000 (fill of 32 bytes at 0x00002ff0)", report.detail());
        assertEquals(0, space.loadI8(null, 0x2FF0), "a faulting fill writes nothing");
    }

    @Test
    void readCStringStopsAtNul() {
        AddressSpace space = newSpace();
        byte[] text = {'k', 'p', (byte) 0xE9, 0, 'x'};
        space.hostWrite(0x1100, text, 0, text.length);
        assertEquals("kp\u00e9", space.readCString(null, 0x1100, 100));
        assertEquals("k", space.readCString(null, 0x1100, 1));
        assertEquals("", space.readCString(null, 0x1103, 100));
        assertEquals("", space.readCString(null, 0x4000, 0));
    }

    @Test
    void readCStringAcrossPages() {
        AddressSpace space = newSpace();
        byte[] text = {'a', 'b', 'c', 'd'};
        space.hostWrite(0x1FFE, text, 0, text.length);
        assertEquals("abcd", space.readCString(null, 0x1FFE, 100));
    }

    @Test
    void readCStringFaultsOnUnmappedByte() {
        AddressSpace space = newSpace();
        byte[] text = {'a', 'b'};
        space.hostWrite(0x3FFE, text, 0, text.length);
        FaultReport report = expectFault(() -> space.readCString(null, 0x3FFE, 100));
        assertEquals(FaultKind.PAGE_NOT_PRESENT, report.kind());
        assertEquals(0x4000, report.address());
        assertEquals("1-byte read at 0x00004000 (C string at 0x00003ffe)", report.detail());

        assertEquals("ab", space.readCString(null, 0x3FFE, 2), "maxLength stops before the unmapped page");
    }

    @Test
    void readCStringFaultsAtLimit() {
        AddressSpace space = newSpace();
        space.fill(null, LIMIT - 4, (byte) 'z', 4);
        FaultReport report = expectFault(() -> space.readCString(null, LIMIT - 4, 100));
        assertEquals(FaultKind.GENERAL_PROTECTION, report.kind());
        assertEquals(LIMIT, report.address());
    }

    @Test
    void hostWriteIgnoresWritableBit() {
        AddressSpace space = newSpace();
        byte[] data = {1, 2, 3, 4, 5};
        space.hostWrite(0x3000, data, 1, 4);
        assertEquals(0x05040302, space.loadI32(null, 0x3000));

        byte[] out = new byte[6];
        space.hostRead(0x3000, out, 2, 4);
        assertArrayEquals(new byte[] {0, 0, 2, 3, 4, 5}, out);
    }

    @Test
    void hostAccessRejectsBadRange() {
        AddressSpace space = newSpace();
        byte[] buffer = new byte[16];
        IllegalArgumentException unmapped = assertThrows(IllegalArgumentException.class,
                        () -> space.hostWrite(0x3FF8, buffer, 0, 16));
        assertTrue(unmapped.getMessage().contains("16 bytes at 0x00003ff8"), unmapped.getMessage());
        assertTrue(unmapped.getMessage().contains("page 0x00004000 is not present"), unmapped.getMessage());

        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                        () -> space.hostRead(LIMIT - 8, buffer, 0, 16));
        assertTrue(beyond.getMessage().contains("exceeds segment limit 0x00010000"), beyond.getMessage());

        assertThrows(IllegalArgumentException.class, () -> space.hostRead(0, buffer, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> space.hostRead(0x1000, buffer, 8, 16));
    }
}
