// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kpc --version} and {@code kpc --help}. */
class VersionTest {

    @Test
    void versionNamesComponentsAndRuntime() {
        KpcRun run = KpcRun.of("--version");

        assertEquals(0, run.status(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertEquals(4, lines.size(), run::toString);
        assertTrue(lines.get(0).matches("kpc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), lines.get(0));
        assertEquals("GraalVM Truffle 25.0.1", lines.get(1));
        assertTrue(lines.get(2).startsWith("JVM: "), lines.get(2));
        assertTrue(lines.get(2).contains(System.getProperty("java.vm.version")), lines.get(2));
        // Maven runs the tests with the Graal compiler on the upgrade module path (launcher/pom.xml).
        assertTrue(lines.get(3).startsWith("Runtime compilation: active (Truffle runtime \""), lines.get(3));
        assertTrue(lines.get(3).endsWith("Graal compiler 25.0.1)"), lines.get(3));
    }

    @Test
    void helpListsOptionsWithDefaults() {
        KpcRun run = KpcRun.of("--help");

        assertEquals(0, run.status(), run::toString);
        for (String option : List.of("--plugin", "--in", "--out", "--function", "--repeat", "--tier=interp|jit", "--budget=N", "--stats",
                        "--version", "--vm.", "--engine.", "--log.file")) {
            assertTrue(run.out().contains(option), () -> "help lacks " + option + ":\n" + run.out());
        }
        // launcherOption wraps lines at the terminal width, so compare with whitespace collapsed.
        assertTrue(run.out().replaceAll("\\s+", " ").contains("Default: " + Arguments.DEFAULT_BUDGET + " steps (kpc serve: see above)."), run::toString);
    }
}
