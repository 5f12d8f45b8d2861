// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Truffle tools on kpc's class path: the Chrome DevTools debugger ({@code --inspect}), the
 * Debug Adapter Protocol server ({@code --dap}) and the CPU sampler ({@code --cpusampler}). The
 * servers listen on a free loopback port and neither waits for a client.
 */
class ToolsTest {

    private static final String LOOPBACK = "127.0.0.1";

    /** Returns a loopback port that was free a moment ago. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    @Test
    void helpListsToolOptions() {
        KpcRun run = KpcRun.of("--help:tools");
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("--inspect"), run.toString());
        assertTrue(run.out().contains("--dap"), run.toString());
        assertTrue(run.out().contains("--cpusampler"), run.toString());
    }

    @Test
    void cpuSamplerNamesPluginFunctions(@TempDir Path directory) throws IOException {
        Path profile = directory.resolve("profile.txt");
        KpcRun run = KpcRun.of("--cpusampler", "--cpusampler.Period=1", "--cpusampler.OutputFile=" + profile,
                        KpcRun.testPlugin("hot_loop.kpc"));
        assertEquals(0, run.status() & ~1, "main returns 0 or 1\n" + run);
        String histogram = Files.readString(profile);
        assertTrue(histogram.contains("hot_loop.kpc"), histogram);
        assertTrue(histogram.lines().anyMatch(line -> line.strip().startsWith("main ")), histogram);
        assertTrue(histogram.lines().anyMatch(line -> line.strip().startsWith("mix ")), histogram);
    }

    @Test
    void toolsAreRejectedInMachineCodeTiers() {
        for (String tier : new String[] {"native", "emulated", "auto"}) {
            String when = tier.equals("auto") ? " once they are hot" : "";
            for (String tool : new String[] {"--cpusampler", "--inspect=" + LOOPBACK + ":0", "--dap.Suspend=false"}) {
                String name = tool.substring(2).replaceAll("[.=].*", "");
                KpcRun run = KpcRun.of("--tier=" + tier, tool, KpcRun.testPlugin("exit_status.kpc"));

                assertEquals(1, run.status(), run.toString());
                assertEquals("kpc: option --" + name + " does not work with --tier=" + tier + ", whose functions run as"
                                + " machine code outside Truffle" + when + "; use --tier=jit or --tier=interp with it\n",
                                run.err());
            }
        }
    }

    /** The message names the tier option as the user spelled it. */
    @Test
    void toolRejectionNamesLanguageTierOption() {
        KpcRun run = KpcRun.of("--experimental-options", "--kpc.Tier=native", "--cpusampler", KpcRun.testPlugin("exit_status.kpc"));

        assertEquals(1, run.status(), run.toString());
        assertEquals("kpc: option --cpusampler does not work with --kpc.Tier=native, whose functions run as machine code"
                        + " outside Truffle; use --tier=jit or --tier=interp with it\n", run.err());
    }

    @Test
    void inspectorListensOnLoopback() throws IOException {
        int port = freePort();
        KpcRun run = KpcRun.of("--inspect=" + LOOPBACK + ":" + port, "--inspect.Suspend=false",
                        "--inspect.WaitAttached=false", KpcRun.testPlugin("exit_status.kpc"));
        assertEquals(1000 & 255, run.status(), run.toString());
        assertTrue(run.err().contains("ws=" + LOOPBACK + ":" + port + "/"), run.toString());
    }

    @Test
    void debugAdapterListensOnLoopback() throws IOException {
        int port = freePort();
        KpcRun run = KpcRun.of("--dap=" + LOOPBACK + ":" + port, "--dap.Suspend=false", "--dap.WaitAttached=false",
                        KpcRun.testPlugin("exit_status.kpc"));
        assertEquals(1000 & 255, run.status(), run.toString());
        assertTrue(run.out().contains(LOOPBACK + ":" + port), run.toString());
    }
}
