// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kplugins.launcher.KpcRun.example;
import static org.kplugins.launcher.KpcRun.testPlugin;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kplugins.kpc.runtime.NativeTier;
import org.kplugins.x86.runtime.X86NativeTier;

/** {@code kpc --dump-x86 FILE.kpc [--function NAME]}: the machine code of the native or emulated tier, by source line. */
class DumpX86CommandTest {

    @Test
    void dumpsOneFunctionByLine() {
        KpcRun run = KpcRun.of("--dump-x86", example("grayscale.kpc"), "--function", "luma");

        assertEquals(0, run.status(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertEquals("luma() in grayscale.kpc:", lines.get(0), run::toString);
        assertTrue(lines.stream().anyMatch(line -> line.matches(" +31 \\| static uint8_t luma\\(const struct pixel \\*p\\) \\{")),
                        run::toString);
        assertTrue(lines.stream().anyMatch(line -> line.matches(" +31 +0x[0-9a-f]{4}  55 +push rbp")), run::toString);
        assertTrue(lines.stream().anyMatch(line -> line.matches(" +32 +0x[0-9a-f]{4}  [0-9a-f ]+ +movzx .*BYTE PTR \\[r15\\+rax\\*1\\]")),
                        run::toString);
        assertTrue(lines.stream().anyMatch(line -> line.matches(" +- +0x[0-9a-f]{4}  c3 +ret")), run::toString);
        assertFalse(run.out().contains("transcode()"), run::toString);
    }

    @Test
    void dumpsEveryFunctionWithoutFunctionOption() {
        KpcRun run = KpcRun.of("--dump-x86", example("grayscale.kpc"));

        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("luma() in grayscale.kpc:\n"), run::toString);
        assertTrue(run.out().contains("\ntranscode() in grayscale.kpc:\n"), run::toString);
    }

    @Test
    void unknownFunctionIsAnError() {
        KpcRun run = KpcRun.of("--dump-x86", example("grayscale.kpc"), "--function", "blur");

        assertEquals(1, run.status(), run::toString);
        assertEquals("kpc: plugin 'grayscale' defines no function 'blur' (--function); name one of luma, transcode\n", run.err(),
                        run::toString);
    }

    @Test
    void optionsMayPrecedeTheFile() {
        KpcRun tierFirst = KpcRun.of("--dump-x86", "--tier=native", example("grayscale.kpc"));
        KpcRun functionFirst = KpcRun.of("--dump-x86", "--function", "luma", example("grayscale.kpc"));
        KpcRun functionBeforeDump = KpcRun.of("--function", "luma", "--dump-x86", example("grayscale.kpc"));

        assertEquals(0, tierFirst.status(), tierFirst::toString);
        assertTrue(tierFirst.out().contains("\ntranscode() in grayscale.kpc:\n"), tierFirst::toString);
        assertEquals(0, functionFirst.status(), functionFirst::toString);
        assertTrue(functionFirst.out().startsWith("luma() in grayscale.kpc:\n"), functionFirst::toString);
        assertEquals(functionFirst.out(), functionBeforeDump.out());
    }

    @Test
    void misplacedOptionsAreErrors() {
        KpcRun noFile = KpcRun.of("--dump-x86", "--function", "luma");
        KpcRun stats = KpcRun.of("--dump-x86", example("grayscale.kpc"), "--stats");
        KpcRun functionWithoutCommand = KpcRun.of("--function", "luma", example("grayscale.kpc"));

        assertEquals(1, noFile.status(), noFile::toString);
        assertEquals("kpc: missing plugin file for --dump-x86; usage: kpc --dump-x86 FILE.kpc [--function NAME]\n", noFile.err());
        assertEquals(1, stats.status(), stats::toString);
        assertEquals("kpc: option --stats does not apply to --dump-x86, which runs nothing; drop it\n", stats.err());
        assertEquals(1, functionWithoutCommand.status(), functionWithoutCommand::toString);
        assertEquals("kpc: option --function belongs to 'kpc image' and --dump-x86; write it after the word image or with"
                        + " --dump-x86\n", functionWithoutCommand.err());
    }

    /** The emulated tier prints the code that the emulated CPU runs, or the reason it cannot run on this host. */
    @Test
    void emulatedTierDumpsOrNamesReason() {
        for (String checks : List.of("hardware", "checked")) {
            NativeTier.Mode mode = checks.equals("hardware") ? NativeTier.Mode.EMULATED_HARDWARE : NativeTier.Mode.EMULATED_CHECKED;
            String reason = new X86NativeTier().unavailableReason(mode);
            KpcRun run = KpcRun.of("--dump-x86", example("grayscale.kpc"), "--tier=emulated", "--emulated-code=" + checks,
                            "--function", "luma");
            if (reason == null) {
                assertEquals(0, run.status(), run::toString);
                assertTrue(run.out().startsWith("luma() in grayscale.kpc:\n"), run::toString);
            } else {
                assertEquals(1, run.status(), run::toString);
                assertEquals("kpc.Tier=emulated is unavailable: " + reason + "\n", run.err(), run::toString);
            }
        }
    }

    @Test
    void headerLinesShowTheirFile() {
        KpcRun run = KpcRun.of("--dump-x86", testPlugin("uses_header.kpc"), "--function", "main");

        assertEquals(0, run.status(), run::toString);
        assertTrue(run.out().contains("twice.h:3 |     return x * 2;\n"), run::toString);
        assertTrue(run.out().contains("\n    5 |     return twice(21);\n"), run::toString);
    }
}
