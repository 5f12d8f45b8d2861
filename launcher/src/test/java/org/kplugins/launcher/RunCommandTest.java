// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kplugins.launcher.KpcRun.testPlugin;

import org.junit.jupiter.api.Test;

/** {@code kpc FILE.kpc [ARGS...]}: argv reaches main, and main's return value & 255 is the exit status. */
class RunCommandTest {

    @Test
    void exitStatusIsMainResultModulo256() {
        KpcRun run = KpcRun.of(testPlugin("exit_status.kpc"));

        assertEquals(1000 & 255, run.status(), run::toString);
    }

    @Test
    void argumentsAfterFileReachMain() {
        KpcRun run = KpcRun.of(testPlugin("exit_status.kpc"), "first", "--second");

        assertEquals(1002 & 255, run.status(), run::toString);
        assertTrue(run.out().contains("argv[1] = first\n"), run::toString);
        assertTrue(run.out().contains("argv[2] = --second\n"), run::toString);
    }

    @Test
    void interpTierGivesSameStatus() {
        KpcRun run = KpcRun.of("--tier=interp", "--stats", testPlugin("exit_status.kpc"), "one");

        assertEquals(1001 & 255, run.status(), run::toString);
        assertTrue(run.err().contains("kpc stats: compile and link "), run::toString);
        assertTrue(run.err().contains("kpc stats: call main "), run::toString);
        assertTrue(run.err().endsWith("kpc stats: tier interp\n"), run::toString);
    }

    /** --stats names the tier that ran, and in the auto tier whether main ran as machine code. */
    @Test
    void statsNameTierAndSwitch() {
        KpcRun switched = KpcRun.of("--tier=auto", "--auto-threshold=1", "--stats", testPlugin("exit_status.kpc"), "one");
        assertEquals(1001 & 255, switched.status(), switched::toString);
        assertTrue(switched.err().endsWith("kpc stats: tier auto, switched to native at the call of main\n"), switched::toString);

        KpcRun truffle = KpcRun.of("--tier=auto", "--stats", testPlugin("exit_status.kpc"), "one");
        assertEquals(1001 & 255, truffle.status(), truffle::toString);
        assertTrue(truffle.err().endsWith("kpc stats: tier auto, no switch to machine code (a call from the host switches once"
                        + " a function's steps, that call's included, reach --auto-threshold; --log.kpc.tier.level=FINE logs a"
                        + " plugin that cannot switch)\n"), truffle::toString);

        KpcRun emulated = KpcRun.of("--experimental-options", "--kpc.Tier=emulated", "--kpc.EmulatedCode=checked", "--stats",
                        testPlugin("exit_status.kpc"), "one");
        assertEquals(1001 & 255, emulated.status(), emulated::toString);
        assertTrue(emulated.err().endsWith("kpc stats: tier emulated (checked)\n"), emulated::toString);
    }

    @Test
    void nativeTierGivesSameStatusAndOutput() {
        KpcRun truffle = KpcRun.of(testPlugin("exit_status.kpc"), "one", "two");
        KpcRun run = KpcRun.of("--tier=native", testPlugin("exit_status.kpc"), "one", "two");

        assertEquals(1002 & 255, run.status(), run::toString);
        assertEquals(truffle.out(), run.out(), run::toString);
    }

    @Test
    void nativeTierReportsFaultLikeTruffle() {
        KpcRun truffle = KpcRun.of(testPlugin("fault_in_main.kpc"));
        KpcRun run = KpcRun.of("--tier=native", testPlugin("fault_in_main.kpc"));

        assertEquals(1, run.status(), run::toString);
        assertEquals("before the fault\n", run.out(), run::toString);
        assertTrue(run.err().startsWith("fault_in_main.kpc:8:12: fault: page fault (page not present): 4-byte read"
                        + " at 0x00000000 in main() of plugin fault_in_main"), run::toString);
        assertEquals(truffle.err(), run.err(), run::toString);
    }

    /** With a threshold of 1 the first call of main compiles the plugin, so main runs as machine code. */
    @Test
    void autoTierGivesSameStatusOutputAndFault() {
        KpcRun truffle = KpcRun.of(testPlugin("exit_status.kpc"), "one", "two");
        KpcRun run = KpcRun.of("--tier=auto", "--auto-threshold=1", "--log.kpc.tier.level=FINE", testPlugin("exit_status.kpc"),
                        "one", "two");
        assertEquals(1002 & 255, run.status(), run::toString);
        assertEquals(truffle.out(), run.out(), run::toString);
        assertTrue(run.err().contains("plugin 'exit_status' switched to the native tier at step 1 of main()"),
                        run::toString);

        KpcRun truffleFault = KpcRun.of(testPlugin("fault_in_main.kpc"));
        KpcRun fault = KpcRun.of("--tier=auto", "--auto-threshold=1", testPlugin("fault_in_main.kpc"));
        assertEquals(1, fault.status(), fault::toString);
        assertEquals(truffleFault.err(), fault.err(), fault::toString);
    }

    @Test
    void mainWithoutParametersIgnoresArguments() {
        KpcRun run = KpcRun.of(testPlugin("main_void.kpc"), "unused");

        assertEquals(7, run.status(), run::toString);
    }
}
