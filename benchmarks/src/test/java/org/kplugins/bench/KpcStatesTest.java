// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the setup of the KPC benchmark states, which checks each plugin's result against the
 * reference, and one benchmark call, on small inputs. The peers' states need clang and are run by
 * {@code benchmarks/run --smoke}.
 */
class KpcStatesTest {

    @TempDir
    static Path artifacts;

    private static String previous;

    @BeforeAll
    static void copyPluginSource() throws IOException {
        Files.copy(Path.of("..", "examples", "grayscale.kpc"), artifacts.resolve(Artifacts.GRAYSCALE_KPC));
        previous = System.setProperty(Artifacts.PROPERTY, artifacts.toString());
    }

    @AfterAll
    static void restoreProperty() {
        if (previous == null) {
            System.clearProperty(Artifacts.PROPERTY);
        } else {
            System.setProperty(Artifacts.PROPERTY, previous);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit", "native"})
    void grayscalePluginMatchesReference(String tier) {
        GrayscaleBenchmark.Kpc state = new GrayscaleBenchmark.Kpc();
        state.side = 24;
        state.tier = tier;
        state.setUp();
        try {
            assertEquals(0, new GrayscaleBenchmark().kpc(state));
            GrayscaleImage.requireEqual("kpc " + tier, state.expected, state.output);
        } finally {
            state.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit", "native"})
    void hookUpcallIncrements(String tier) {
        UpcallBenchmark.KpcHook state = new UpcallBenchmark.KpcHook();
        state.tier = tier;
        state.setUp();
        UpcallBenchmark.Argument argument = new UpcallBenchmark.Argument();
        argument.next = 7;
        try {
            assertEquals(8, new UpcallBenchmark().hook(state, argument));
            assertEquals(9, new UpcallBenchmark().hook(state, argument));
        } finally {
            state.tearDown();
        }
    }

    @Test
    void missingArtifactNamesFix() {
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> Artifacts.path("absent.wasm"));

        assertTrue(error.getMessage().contains("absent.wasm"), error.getMessage());
        assertTrue(error.getMessage().contains("benchmarks/run"), error.getMessage());
    }

    @Test
    void unknownTierRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> KpcTier.of("emulated"));

        assertEquals("invalid tier 'emulated': expected interp, jit or native", error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jit", "native"})
    void compiledPluginLoads(String tier) {
        CompileBenchmark.KpcKernel kernel = new CompileBenchmark.KpcKernel();
        kernel.tier = tier;
        kernel.setUp();
        try {
            CompileBenchmark.KpcUncached load = new CompileBenchmark.KpcUncached();
            load.nextSource(kernel);
            new CompileBenchmark().kpc(kernel, load);
            // Kernel.load throws when the tier fails to compile the plugin, so one loaded plugin means it compiled.
            assertEquals(1, kernel.kernel.plugins().size());
            load.unload();
        } finally {
            kernel.tearDown();
        }
    }
}
