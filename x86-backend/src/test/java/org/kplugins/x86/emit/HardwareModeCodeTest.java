// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.kplugins.x86.asm.Objdump;
import org.kplugins.x86.asm.Register;
import org.kplugins.x86.ir.Instr;
import org.kplugins.x86.ir.IrFunction;
import org.kplugins.x86.select.CodeMode;
import org.kplugins.x86.select.FaultStub;
import org.kplugins.x86.select.RuntimeAbi;
import org.kplugins.x86.testing.Corpus;
import org.kplugins.x86.testing.TestCompiler;

/**
 * The code of {@link CodeMode#HARDWARE}, decoded by GNU objdump: no instruction addresses the page
 * table through R13, every memory operand with base R15 has the GS override, and
 * {@link NativeCode#hardwareSites()} names exactly the plugin memory accesses (with their size and
 * direction) and the divisions. The same corpus in {@link CodeMode#CHECKED} has no override and no
 * hardware sites; {@code NativeCorpusTest} runs that code.
 */
class HardwareModeCodeTest {

    /** A memory operand as objdump prints it, with its size and optional segment. */
    private static final Pattern MEMORY_OPERAND = Pattern.compile("(BYTE|WORD|DWORD|QWORD) PTR (\\w+:)?\\[([^\\]]*)\\]");

    /** The faults that software checks report, which HARDWARE code must leave to the emulated CPU. */
    private static final Set<FaultStub.Reason> MEMORY_AND_DIVISION = EnumSet.of(FaultStub.Reason.READ,
                    FaultStub.Reason.WRITE, FaultStub.Reason.DIVIDE_BY_ZERO, FaultStub.Reason.DIVIDE_OVERFLOW);

    private static TestCompiler compiler;

    @BeforeAll
    static void openCompiler() {
        compiler = new TestCompiler();
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    /** What {@link #checkHardwareCode} found, so that tests can tell that a plugin exercised a case. */
    private record Counts(int accesses, int divisions) {
    }

    @TestFactory
    Stream<DynamicTest> corpusHardwareCode() throws IOException {
        return Corpus.compilingPlugins().stream().map(plugin -> DynamicTest.dynamicTest(Corpus.testName(plugin), () -> {
            checkHardwareCode(compiler.compile(plugin, CodeMode.HARDWARE).code());
        }));
    }

    @TestFactory
    Stream<DynamicTest> corpusHardwareCodeWithOneRegister() throws IOException {
        List<Register> one = RuntimeAbi.ALLOCATABLE.subList(0, 1);
        return Corpus.compilingPlugins().stream().map(plugin -> DynamicTest.dynamicTest(Corpus.testName(plugin), () -> {
            checkHardwareCode(compiler.compile(plugin, CodeMode.HARDWARE, one).code());
        }));
    }

    @TestFactory
    Stream<DynamicTest> corpusCheckedCodeHasNoHardwareSites() throws IOException {
        return Corpus.compilingPlugins().stream().map(plugin -> DynamicTest.dynamicTest(Corpus.testName(plugin), () -> {
            NativeCode code = compiler.compile(plugin, CodeMode.CHECKED).code();
            assertSame(CodeMode.CHECKED, code.mode());
            assertEquals(Map.of(), code.hardwareSites());
            for (Listing.Entry entry : code.listing().entries()) {
                assertFalse(entry.text().contains("gs:"), () -> "CHECKED code has a GS override at " + describe(entry));
            }
        }));
    }

    @Test
    void corpusHasAccessesAndDivisions() throws IOException {
        int accesses = 0;
        int divisions = 0;
        for (Path plugin : Corpus.compilingPlugins()) {
            Counts counts = checkHardwareCode(compiler.compile(plugin, CodeMode.HARDWARE).code());
            accesses += counts.accesses();
            divisions += counts.divisions();
        }
        assertTrue(accesses > 1000, "the corpus makes only " + accesses + " plugin memory accesses");
        assertTrue(divisions > 20, "the corpus makes only " + divisions + " divisions");
    }

    @Test
    void checkedLoadUsesWrappedAddressInEax() {
        NativeCode code = compile("""
                        int get(int *p, int i) {
                            return p[i + 1];
                        }
                        """);
        TreeMap<Integer, String> texts = texts(code);
        List<Integer> loads = new ArrayList<>();
        for (Map.Entry<Integer, FaultStub> site : code.hardwareSites().entrySet()) {
            if (site.getValue().reason() == FaultStub.Reason.READ && site.getValue().function().equals("get")) {
                loads.add(site.getKey());
            }
        }
        assertEquals(1, loads.size(), () -> "one checked load in get(): " + code.hardwareSites());
        FaultStub stub = code.hardwareSites().get(loads.getFirst());
        assertEquals(4, stub.size());
        assertNotNull(stub.site(), "a checked load reports at its expression");
        String load = texts.get(loads.getFirst());
        assertTrue(load.matches("mov \\w+,DWORD PTR gs:\\[r15\\+rax\\*1\\]"), load);
        // The address comes from a 32-bit lea or mov into EAX, so it wraps at 2^32 as plugin pointer arithmetic does.
        String before = texts.lowerEntry(loads.getFirst()).getValue();
        assertTrue(before.startsWith("lea eax,") || before.startsWith("mov eax,"), before);
        for (String text : texts.values()) {
            assertFalse(text.matches(".*\\[[^\\]]*r13.*"), "no page-table read: " + text);
        }
    }

    @Test
    void divisionSitesCarryOperatorAndWidth() {
        NativeCode code = compile("""
                        int quotient(int a, int b) {
                            return a / b;
                        }
                        long long remainder(long long a, long long b) {
                            return a % b;
                        }
                        unsigned byZero(unsigned a) {
                            return a / 0;
                        }
                        int byMinusOne(int a) {
                            return a % -1;
                        }
                        """);
        Map<String, FaultStub> byFunction = new HashMap<>();
        Map<Integer, String> texts = texts(code);
        for (Map.Entry<Integer, FaultStub> site : code.hardwareSites().entrySet()) {
            String text = texts.get(site.getKey());
            if (text.startsWith("div ") || text.startsWith("idiv ")) {
                assertNull(byFunction.put(site.getValue().function(), site.getValue()), "one division per function");
            }
        }
        assertDivision(byFunction.get("quotient"), '/', false);
        assertDivision(byFunction.get("remainder"), '%', true);
        assertDivision(byFunction.get("byZero"), '/', false);
        assertDivision(byFunction.get("byMinusOne"), '%', false);
        for (FaultStub stub : code.faultStubs().values()) {
            assertFalse(MEMORY_AND_DIVISION.contains(stub.reason()), () -> "a software check is left: " + stub);
        }
        for (String text : texts.values()) {
            assertFalse(text.startsWith("neg ") || text.startsWith("cmp") && text.endsWith(",0xffffffff"),
                            "no overflow check: " + text);
        }
    }

    private static void assertDivision(FaultStub stub, char operator, boolean is64Bit) {
        assertNotNull(stub, "division site");
        assertEquals(FaultStub.Reason.DIVIDE_BY_ZERO, stub.reason());
        assertEquals(operator, stub.operator());
        assertEquals(is64Bit, stub.is64Bit());
        assertNotNull(stub.site(), "a division reports at its expression");
    }

    @Test
    void largeZeroFillStoresThroughR15() {
        NativeCode code = compile("""
                        int sum(void) {
                            int a[37] = {0};
                            return a[0] + a[36];
                        }
                        """);
        Map<Integer, String> texts = texts(code);
        List<String> fills = new ArrayList<>();
        for (Map.Entry<Integer, FaultStub> site : code.hardwareSites().entrySet()) {
            if (site.getValue().reason() == FaultStub.Reason.WRITE && site.getValue().site() == null) {
                fills.add(texts.get(site.getKey()) + " (" + site.getValue().size() + ")");
            }
        }
        // 148 bytes: 18 quadwords in the loop, then 4 bytes after it.
        assertTrue(fills.contains("mov QWORD PTR gs:[r15+rdx*1],0x0 (8)"), fills::toString);
        assertTrue(fills.contains("mov DWORD PTR gs:[r15+rdx*1],0x0 (4)"), fills::toString);
        assertTrue(texts.values().stream().anyMatch(text -> text.startsWith("lea rdx,[") && !text.contains("r15")),
                        () -> "the loop start comes from lea rdx without r15: " + texts.values());
    }

    @Test
    void versionedLoopRejectedInHardwareMode() {
        String source = """
                        int sum(int *p, int n) {
                            int s = 0;
                            for (int i = 0; i < n; i++)
                                s += p[i];
                            return s;
                        }
                        """;
        TestCompiler.Compiled checked = compiler.compile("loop.kpc", source, true);
        assertTrue(countPagesAllowed(checked.ir().functions()) > 0, "CHECKED lowering versions the loop");
        TestCompiler.Compiled hardware = compiler.compile("loop.kpc", source, true, CodeMode.HARDWARE);
        assertEquals(0, countPagesAllowed(hardware.ir().functions()), "HARDWARE lowering does not version it");
        checkHardwareCode(hardware.code());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> X86Compiler.compile(checked.ir(), RuntimeAbi.ALLOCATABLE, CodeMode.HARDWARE));
        assertTrue(e.getMessage().startsWith("sum() contains a page-table walk of loop versioning"), e.getMessage());
    }

    private static long countPagesAllowed(List<IrFunction> functions) {
        return functions.stream().flatMap(f -> f.blocks().stream()).flatMap(b -> b.instructions().stream())
                        .filter(i -> i instanceof Instr.PagesAllowed).count();
    }

    private static NativeCode compile(String source) {
        NativeCode code = compiler.compile("test.kpc", source, true, CodeMode.HARDWARE).code();
        checkHardwareCode(code);
        return code;
    }

    /** Returns the objdump text of each instruction by offset. */
    private static TreeMap<Integer, String> texts(NativeCode code) {
        TreeMap<Integer, String> texts = new TreeMap<>();
        for (Objdump.Instruction instruction : Objdump.disassemble(code.code())) {
            texts.put(instruction.offset(), instruction.text());
        }
        return texts;
    }

    /**
     * Checks HARDWARE code against objdump's decoding and returns how many plugin memory accesses
     * and divisions it has.
     */
    private static Counts checkHardwareCode(NativeCode code) {
        assertSame(CodeMode.HARDWARE, code.mode());
        for (FaultStub stub : code.faultStubs().values()) {
            assertFalse(MEMORY_AND_DIVISION.contains(stub.reason()), () -> "a software check is left: " + stub);
        }
        Map<Integer, FaultStub> sites = code.hardwareSites();
        List<Integer> checked = new ArrayList<>();
        int accesses = 0;
        int divisions = 0;
        for (Objdump.Instruction instruction : Objdump.disassemble(code.code())) {
            String text = instruction.text();
            String where = "0x" + Integer.toHexString(instruction.offset()) + " " + text;
            int space = text.indexOf(' ');
            String mnemonic = space < 0 ? text : text.substring(0, space);
            String operands = space < 0 ? "" : text.substring(space + 1);
            FaultStub stub = sites.get(instruction.offset());

            Matcher memory = MEMORY_OPERAND.matcher(operands);
            boolean pluginAccess = false;
            while (memory.find()) {
                String segment = memory.group(2);
                String address = memory.group(3);
                assertFalse(address.contains("r13"), () -> "reads through the page-table register: " + where);
                if (!address.startsWith("r15")) {
                    assertNull(segment, () -> "segment override without base r15: " + where);
                    continue;
                }
                assertEquals("gs:", segment, () -> "memory operand with base r15 has no GS override: " + where);
                pluginAccess = true;
                assertNotNull(stub, () -> "plugin memory access missing from hardwareSites: " + where);
                assertEquals(sizeOf(memory.group(1)), stub.size(), () -> "access size of " + where);
                boolean write = mnemonic.equals("mov") && memory.start() == 0;
                if (!write && !List.of("mov", "movzx", "movsx", "movsxd").contains(mnemonic)) {
                    fail("unexpected plugin memory access " + where);
                }
                FaultStub.Reason direction = write ? FaultStub.Reason.WRITE : FaultStub.Reason.READ;
                assertEquals(direction, stub.reason(), () -> "direction of " + where);
                if (address.equals("r15+rax*1")) {
                    assertNotNull(stub.site(), () -> "a checked access must name its site: " + where);
                }
            }
            assertFalse(operands.matches(".*\\[[^\\]]*r13.*"), () -> "reads through the page-table register: " + where);
            if (pluginAccess) {
                accesses++;
                checked.add(instruction.offset());
            } else if (mnemonic.equals("div") || mnemonic.equals("idiv")) {
                assertNotNull(stub, () -> "division missing from hardwareSites: " + where);
                assertEquals(FaultStub.Reason.DIVIDE_BY_ZERO, stub.reason(), () -> "reason of " + where);
                assertEquals(is64Bit(operands), stub.is64Bit(), () -> "operand width of " + where);
                assertTrue(stub.operator() == '/' || stub.operator() == '%', () -> "operator of " + where);
                if (stub.site() == null) {
                    // Only the division of a pointer difference by the element size has no site, because it cannot fault.
                    assertEquals("idiv /", mnemonic + " " + stub.operator(),
                                    () -> "a division must name its site: " + where);
                }
                divisions++;
                checked.add(instruction.offset());
            } else {
                assertFalse(text.contains("gs:"), () -> "GS override outside a plugin memory access: " + where);
            }
        }
        List<Integer> recorded = new ArrayList<>(sites.keySet());
        recorded.removeAll(checked);
        assertEquals(List.of(), recorded, "hardwareSites offsets at no plugin memory access or division");
        return new Counts(accesses, divisions);
    }

    private static int sizeOf(String ptr) {
        return switch (ptr) {
            case "BYTE" -> 1;
            case "WORD" -> 2;
            case "DWORD" -> 4;
            default -> 8;
        };
    }

    /** Returns whether the operand of a div or idiv as objdump prints it is 64-bit. */
    private static boolean is64Bit(String operand) {
        return operand.startsWith("QWORD PTR") || operand.matches("r(ax|bx|cx|dx|si|di|bp|sp|8|9|1[0-5])");
    }

    private static String describe(Listing.Entry entry) {
        return "0x" + Integer.toHexString(entry.offset()) + " " + entry.text();
    }
}
