// SPDX-License-Identifier: Apache-2.0
package org.kplugins.x86.tier;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The differential harness of the emulated tier: every plugin of the language's corpus runs on
 * the emulated CPU, once with the backend's inline checks and once as hardware-isolation code,
 * and must print what the Truffle tier prints and fault with the same report.
 */
class EmulatedCorpusTest {

    @TestFactory
    @DisplayName("emulated_checked")
    Stream<DynamicTest> checkedCode() throws IOException {
        return corpus(Map.of("kpc.Tier", "emulated", "kpc.EmulatedCode", "checked"), null);
    }

    @TestFactory
    @DisplayName("emulated_hardware")
    Stream<DynamicTest> hardwareIsolationCode() throws IOException {
        return corpus(Map.of("kpc.Tier", "emulated", "kpc.EmulatedCode", "hardware"), null);
    }

    @TestFactory
    @DisplayName("emulated_hardware_one_register")
    Stream<DynamicTest> hardwareIsolationCodeWithOneRegister() throws IOException {
        return corpus(Map.of("kpc.Tier", "emulated", "kpc.EmulatedCode", "hardware"), "1");
    }

    private static Stream<DynamicTest> corpus(Map<String, String> tier, String registers) throws IOException {
        return NativeCorpusTest.plugins(NativeCorpusTest.CORPUS).stream()
                        .map(plugin -> DynamicTest.dynamicTest(NativeCorpusTest.testName(NativeCorpusTest.CORPUS, plugin),
                                        () -> NativeCorpusTest.runPlugin(plugin, registers, tier)));
    }
}
