// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    @ValueSource(strings = {"interp", "jit", "native", "emulated", "emulated-checked", "auto"})
    void grayscalePluginMatchesReference(String tier) {
        GrayscaleBenchmark.Kpc state = new GrayscaleBenchmark.Kpc();
        state.side = 24;
        state.tier = tier;
        state.setUp();
        try {
            Arrays.fill(state.output, (byte) 0);
            assertEquals(0, new GrayscaleBenchmark().kpc(state));
            GrayscaleImage.requireEqual("kpc " + tier, state.expected, state.output);
        } finally {
            state.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jit", "native", "emulated"})
    void grayscaleOnBuffersMatchesReference(String tier) {
        GrayscaleBenchmark.KpcBuffers state = new GrayscaleBenchmark.KpcBuffers();
        state.side = 24;
        state.tier = tier;
        state.setUp();
        try {
            byte[] output = new byte[state.input.length];
            state.out.write(0, output);
            assertEquals(0, new GrayscaleBenchmark().kpcBuffers(state));
            state.out.read(0, output);
            GrayscaleImage.requireEqual("kpc buffers " + tier, state.expected, output);
        } finally {
            state.tearDown();
        }
    }

    @Test
    void autoGrayscaleSwitchesBeforeTiming() {
        GrayscaleBenchmark.Kpc state = new GrayscaleBenchmark.Kpc();
        state.side = 24;
        state.tier = "auto";
        state.setUp();
        try {
            // A 24x24 call takes 1 + 24 + 2 * 576 = 1,177 steps (call, rows, pixels and luma() calls),
            // so nine calls pass the threshold of 10,000 steps and the tenth call compiles at step 10,594.
            assertTrue(state.switchMessage.contains("plugin 'grayscale' switched to the native tier at step 10594 of transcode()"),
                            state.switchMessage);
        } finally {
            state.tearDown();
        }
    }

    @Test
    void truffleTiersLogNoSwitch() {
        GrayscaleBenchmark.Kpc state = new GrayscaleBenchmark.Kpc();
        state.side = 8;
        state.tier = "jit";
        state.setUp();
        try {
            assertNull(state.switchMessage);
        } finally {
            state.tearDown();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit", "native", "emulated", "emulated-checked", "auto"})
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

    @ParameterizedTest
    @ValueSource(strings = {"interp", "jit", "native", "emulated", "emulated-checked", "auto"})
    void polyglotUpcallIncrements(String tier) {
        UpcallBenchmark.KpcPolyglot state = new UpcallBenchmark.KpcPolyglot();
        state.tier = tier;
        state.setUp();
        UpcallBenchmark.Argument argument = new UpcallBenchmark.Argument();
        argument.next = -3;
        try {
            assertEquals(-2, new UpcallBenchmark().polyglot(state, argument));
            assertEquals(-1, new UpcallBenchmark().polyglot(state, argument));
        } finally {
            state.tearDown();
        }
    }

    @Test
    void autoUpcallSwitchesBeforeTiming() {
        UpcallBenchmark.KpcHook hook = new UpcallBenchmark.KpcHook();
        hook.tier = "auto";
        hook.setUp();
        try {
            // inc() counts one step per call, so the call after the ten-thousandth compiles.
            assertTrue(hook.switchMessage.contains("plugin 'inc' switched to the native tier at step 10000 of inc()"),
                            hook.switchMessage);
        } finally {
            hook.tearDown();
        }
        UpcallBenchmark.KpcPolyglot polyglot = new UpcallBenchmark.KpcPolyglot();
        polyglot.tier = "auto";
        polyglot.setUp();
        try {
            assertTrue(polyglot.switchMessage.contains("switched to the native tier at step 10000 of inc()"),
                            polyglot.switchMessage);
        } finally {
            polyglot.tearDown();
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
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> KpcTier.of("gpu"));

        assertEquals("invalid tier 'gpu': expected interp, jit, native, emulated, emulated-checked or auto", error.getMessage());
    }

    @Test
    void tierNamesAndSubjects() {
        assertEquals(KpcTier.EMULATED_CHECKED, KpcTier.of("emulated-checked"));
        assertEquals("emulated_checked", KpcTier.EMULATED_CHECKED.subject());
        assertEquals(KpcTier.EMULATED, KpcTier.of("emulated"));
        assertEquals(KpcTier.AUTO, KpcTier.of("auto"));
        assertEquals("auto", KpcTier.AUTO.subject());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jit", "native", "emulated", "emulated-checked", "auto"})
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
