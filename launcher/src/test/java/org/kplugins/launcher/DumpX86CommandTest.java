// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kplugins.launcher.KpcRun.example;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kpc --dump-x86 FILE.kpc [--function NAME]}: the native tier's code, by source line. */
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
        assertEquals("kpc.DumpX86: plugin 'grayscale' defines no function 'blur'; name one of luma, transcode\n", run.err(),
                        run::toString);
    }
}
