// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kplugins.launcher.KpcRun.example;
import static org.kplugins.launcher.KpcRun.testPlugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input exits with status 1, prints no stack trace, and leaves no output file
 * (and no temporary file) behind.
 */
class BadInputTest {

    private static final String ASTRONAUT = example("images/astronaut.png");
    private static final String GRAYSCALE = example("grayscale.kpc");

    @TempDir
    Path folder;

    @Test
    void missingPluginFile() {
        Path plugin = folder.resolve("none.kpc");
        KpcRun run = runImage(plugin.toString(), ASTRONAUT, "out.png");
        assertRejected(run, "kpc: cannot read plugin '" + plugin + "': no such file");
    }

    @Test
    void missingPluginFileForMain() {
        KpcRun run = KpcRun.of(folder.resolve("none.kpc").toString());
        assertRejected(run, "kpc: cannot read plugin '" + folder.resolve("none.kpc") + "': no such file");
    }

    @Test
    void unknownCommandNamesTheCommands() {
        KpcRun run = KpcRun.of("run", "plugin.kpc");
        assertRejected(run, "kpc: cannot read plugin 'run': no such file; kpc runs a plugin as kpc FILE.kpc, and its commands"
                        + " are image, serve and headers (see kpc --help)");
    }

    @Test
    void missingImagePluginWithoutExtension() {
        Path plugin = folder.resolve("none");
        KpcRun run = runImage(plugin.toString(), ASTRONAUT, "out.png");
        assertRejected(run, "kpc: cannot read plugin '" + plugin + "': no such file");
    }

    @Test
    void missingImageFile() {
        Path image = folder.resolve("x.png");
        KpcRun run = runImage(GRAYSCALE, image.toString(), "out.png");
        assertRejected(run, "kpc: cannot read image '" + image + "': no such file");
    }

    @Test
    void imageThatIsNoImage() throws IOException {
        Path image = folder.resolve("x.png");
        Files.writeString(image, "this is text, not a picture\n");
        KpcRun run = runImage(GRAYSCALE, image.toString(), "out.png");
        assertRejected(run, "kpc: cannot decode '" + image + "': not a PNG, JPEG, BMP or GIF image");
    }

    @Test
    void truncatedPng() throws IOException {
        Path image = folder.resolve("truncated.png");
        byte[] whole = Files.readAllBytes(Path.of(ASTRONAUT));
        Files.write(image, java.util.Arrays.copyOf(whole, 2000));
        KpcRun run = runImage(GRAYSCALE, image.toString(), "out.png");
        assertRejectedStartingWith(run, "kpc: cannot decode '" + image + "': corrupt PNG data (");
    }

    @Test
    void unsupportedOutputExtension() {
        KpcRun run = runImage(GRAYSCALE, ASTRONAUT, "out.tiff");
        assertRejected(run, "kpc: cannot write image '" + folder.resolve("out.tiff")
                        + "': extension '.tiff' is not supported; use .png, .jpg, .jpeg, .bmp or .gif");
    }

    @Test
    void outputFolderMissing() {
        Path output = folder.resolve("missing").resolve("out.png");
        KpcRun run = KpcRun.of("image", "--plugin", GRAYSCALE, "--in", ASTRONAUT, "--out", output.toString());
        assertRejected(run, "kpc: cannot write image '" + output + "': no such directory '" + output.getParent() + "'");
    }

    @Test
    void budgetThatIsNoNumber() {
        KpcRun run = KpcRun.of("image", "--budget=abc", "--plugin", GRAYSCALE, "--in", ASTRONAUT, "--out", folder.resolve("out.png").toString());
        assertRejected(run, "kpc: invalid value 'abc' for --budget: expected a positive integer");
    }

    @Test
    void repeatOfZero() {
        KpcRun run = KpcRun.of("image", "--repeat", "0", "--plugin", GRAYSCALE, "--in", ASTRONAUT, "--out", folder.resolve("out.png").toString());
        assertRejected(run, "kpc: invalid value '0' for --repeat: expected a positive integer");
    }

    @Test
    void unknownTier() {
        KpcRun run = KpcRun.of("--tier=fast", GRAYSCALE);
        assertRejected(run, "kpc: invalid value 'fast' for --tier: expected interp, jit, native, emulated or auto");
    }

    @Test
    void budgetOfZeroNamesLanguageOption() {
        KpcRun run = KpcRun.of("image", "--budget=0", "--plugin", GRAYSCALE, "--in", ASTRONAUT, "--out", folder.resolve("out.png").toString());
        assertRejected(run, "kpc: invalid value '0' for --budget: expected a positive integer; --kpc.Budget=0 removes the limit");
    }

    @Test
    void autoThresholdAboveMaximum() {
        KpcRun run = KpcRun.of("--tier=auto", "--auto-threshold=99999999999999999999", GRAYSCALE);
        assertRejected(run, "kpc: invalid value '99999999999999999999' for --auto-threshold: expected a positive integer of"
                        + " at most 9223372036854775807");
    }

    @Test
    void tierAndLanguageTierTogether() {
        KpcRun run = KpcRun.of("image", "--tier=emulated", "--experimental-options", "--kpc.Tier=native", "--plugin", GRAYSCALE,
                        "--in", ASTRONAUT, "--out", folder.resolve("out.png").toString());
        assertRejected(run, "kpc: options --tier=emulated and --kpc.Tier=native both set the execution tier; give only one"
                        + " of them");
    }

    /** The language option is rejected with the wrong tier, as --emulated-code is, instead of being ignored. */
    @Test
    void languageEmulatedCodeWithJitTier() {
        KpcRun run = KpcRun.of("image", "--experimental-options", "--kpc.EmulatedCode=checked", "--plugin", GRAYSCALE, "--in",
                        ASTRONAUT, "--out", folder.resolve("out.png").toString());
        assertRejected(run, "kpc: option --kpc.EmulatedCode=checked applies to --tier=emulated only, and the tier is jit; give"
                        + " --tier=emulated --emulated-code=checked or drop --kpc.EmulatedCode");
    }

    @Test
    void languageAutoThresholdWithNativeTier() {
        KpcRun run = KpcRun.of("--tier=native", "--experimental-options", "--kpc.AutoThreshold=5", GRAYSCALE);
        assertRejected(run, "kpc: option --kpc.AutoThreshold=5 applies to --tier=auto only, and the tier is native; give"
                        + " --tier=auto --auto-threshold=5 or drop --kpc.AutoThreshold");
    }

    /** The experimental language options still need --experimental-options, and the message names the kpc option. */
    @Test
    void languageTierWithoutExperimentalOptions() {
        KpcRun run = KpcRun.of("--kpc.Tier=native", GRAYSCALE);
        assertRejected(run, "kpc: option --kpc.Tier=native is an experimental language option; give --tier=native, or add"
                        + " --experimental-options");
    }

    @Test
    void severalLanguageOptionsNamedAtOnce() {
        KpcRun run = KpcRun.of("--kpc.Tier=emulated", "--kpc.EmulatedCode=checked", GRAYSCALE);
        assertRejected(run, "kpc: options --kpc.Tier=emulated and --kpc.EmulatedCode=checked are experimental language"
                        + " options; give --tier=emulated --emulated-code=checked, or add --experimental-options");
    }

    /** An invalid value gets its error first, so the message never suggests a kpc option that fails too. */
    @Test
    void invalidLanguageOptionValueComesFirst() {
        KpcRun code = KpcRun.of("--tier=emulated", "--kpc.EmulatedCode=bogus", GRAYSCALE);
        assertRejected(code, "kpc: invalid value 'bogus' for --kpc.EmulatedCode: expected hardware or checked");

        KpcRun threshold = KpcRun.of("--tier=auto", "--kpc.AutoThreshold=0", GRAYSCALE);
        assertRejected(threshold, "kpc: invalid value '0' for --kpc.AutoThreshold: expected a positive integer");

        KpcRun wrongTier = KpcRun.of("--kpc.EmulatedCode=bogus", GRAYSCALE);
        assertRejected(wrongTier, "kpc: invalid value 'bogus' for --kpc.EmulatedCode: expected hardware or checked");

        KpcRun bothSpellings = KpcRun.of("--tier=native", "--kpc.Tier=bogus", GRAYSCALE);
        assertRejected(bothSpellings, "kpc: invalid value 'bogus' for --kpc.Tier: expected truffle, native, emulated or auto");
    }

    /** The language reads +5 as 5, so kpc suggests the plain number instead of calling the value invalid. */
    @Test
    void signedThresholdSuggestsPlainNumber() {
        KpcRun run = KpcRun.of("--tier=auto", "--kpc.AutoThreshold=+5", GRAYSCALE);
        assertRejected(run, "kpc: option --kpc.AutoThreshold=+5 is an experimental language option; give --auto-threshold=5,"
                        + " or add --experimental-options");
    }

    /** As in launcher-common, the last --experimental-options decides, and a value other than true or false is its error. */
    @Test
    void lastExperimentalOptionsDecides() {
        KpcRun off = KpcRun.of("--experimental-options", "--kpc.Tier=native", "--experimental-options=false", GRAYSCALE);
        assertRejected(off, "kpc: option --kpc.Tier=native is an experimental language option; give --tier=native, or"
                        + " replace --experimental-options=false with --experimental-options");

        KpcRun misspelled = KpcRun.of("--experimental-options=TRUE", "--kpc.Tier=native", GRAYSCALE);
        assertEquals(1, misspelled.status(), misspelled::toString);
        assertFalse(misspelled.err().contains("is an experimental language option"), misspelled::toString);
        assertTrue(misspelled.err().contains("--experimental-options=TRUE"), misspelled::toString);
    }

    /** launcher-common would read --kpc.Tier alone as the value true. */
    @Test
    void languageOptionWithoutEquals() {
        KpcRun tier = KpcRun.of("--kpc.Tier", "native", GRAYSCALE);
        assertRejected(tier, "kpc: option --kpc.Tier needs its value after '=': write --kpc.Tier=VALUE");

        KpcRun budget = KpcRun.of("--kpc.Budget", "5", GRAYSCALE);
        assertRejected(budget, "kpc: option --kpc.Budget needs its value after '=': write --kpc.Budget=VALUE");

        KpcRun stack = KpcRun.of("--kpc.StackSize", "8192", GRAYSCALE);
        assertRejected(stack, "kpc: option --kpc.StackSize needs its value after '=': write --kpc.StackSize=VALUE");
    }

    /** The language tier truffle is the kpc tier jit. */
    @Test
    void languageTruffleTierWithoutExperimentalOptions() {
        KpcRun run = KpcRun.of("--kpc.Tier=truffle", GRAYSCALE);
        assertRejected(run, "kpc: option --kpc.Tier=truffle is an experimental language option; give --tier=jit, or add"
                        + " --experimental-options");
    }

    @Test
    void languageAutoThresholdWithoutExperimentalOptions() {
        KpcRun run = KpcRun.of("image", "--tier=auto", "--kpc.AutoThreshold=5", "--plugin", GRAYSCALE, "--in", ASTRONAUT, "--out",
                        folder.resolve("out.png").toString());
        assertRejected(run, "kpc: option --kpc.AutoThreshold=5 is an experimental language option; give --auto-threshold=5,"
                        + " or add --experimental-options");
    }

    /** --experimental-options may come after the option it admits, as launcher-common allows. */
    @Test
    void experimentalOptionsAfterLanguageTier() throws IOException {
        KpcRun run = KpcRun.of("--kpc.Tier=truffle", "--experimental-options", testPlugin("main_void.kpc"));
        assertEquals(7, run.status(), run::toString);
    }

    @Test
    void unknownOption() {
        KpcRun run = KpcRun.of("image", "--colour", "--plugin", GRAYSCALE, "--in", ASTRONAUT, "--out", folder.resolve("out.png").toString());
        assertRejected(run, "kpc: unrecognized option '--colour' (see kpc --help for the options)");
    }

    @Test
    void imageOptionWithoutImageCommand() {
        KpcRun run = KpcRun.of("--in", ASTRONAUT, GRAYSCALE);
        assertRejected(run, "kpc: option --in belongs to 'kpc image'; write it after the word image");
    }

    @Test
    void missingOutOption() {
        KpcRun run = KpcRun.of("image", "--plugin", GRAYSCALE, "--in", ASTRONAUT);
        assertRejected(run, "kpc: missing option --out IMAGE for 'kpc image' (see kpc --help)");
    }

    @Test
    void noPluginFileForMain() {
        KpcRun run = KpcRun.of("--stats");
        assertRejected(run, "kpc: missing plugin file; usage: kpc [OPTIONS] FILE.kpc [ARGS...] (see kpc --help)");
    }

    @Test
    void compileErrorPrintsDiagnostics() throws IOException {
        KpcRun run = runImage(testPlugin("syntax_error.kpc"), ASTRONAUT, "out.png");

        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().contains("syntax_error.kpc:"), run::toString);
        assertTrue(run.err().contains(": error: expected ';'"), run::toString);
        assertNoStackTrace(run);
        assertNoFilesLeft();
    }

    @Test
    void pluginFaultPrintsReport() throws IOException {
        KpcRun run = runImage(testPlugin("null_write.kpc"), ASTRONAUT, "out.png");

        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().contains("null_write.kpc:8:"), run::toString);
        assertTrue(run.err().contains("fault:"), run::toString);
        assertTrue(run.err().contains("in transcode()"), run::toString);
        assertNoStackTrace(run);
        assertNoFilesLeft();
    }

    @Test
    void budgetStopsEndlessLoop() throws IOException {
        KpcRun run = KpcRun.of("image", "--budget=1000000", "--plugin", testPlugin("spin.kpc"), "--in", ASTRONAUT,
                        "--out", folder.resolve("out.png").toString());

        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().contains("spin.kpc:"), run::toString);
        assertTrue(run.err().contains("fault:"), run::toString);
        assertNoStackTrace(run);
        assertNoFilesLeft();
    }

    @Test
    void defaultBudgetStopsEndlessLoop() throws IOException {
        KpcRun run = runImage(testPlugin("spin.kpc"), ASTRONAUT, "out.png");

        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().contains("budget of " + Arguments.DEFAULT_BUDGET + " steps"), run::toString);
        assertTrue(run.err().endsWith(KpcMain.BUDGET_HINT + System.lineSeparator()), run::toString);
        assertNoFilesLeft();
    }

    /** Each call of a plugin function takes one step, and printk and the host's call of main take none. */
    @Test
    void budgetCountsPluginCalls() throws IOException {
        KpcRun enough = KpcRun.of("--budget=2", testPlugin("two_calls.kpc"));
        assertEquals(5, enough.status(), enough::toString);
        assertEquals("", enough.err(), enough::toString);

        KpcRun tooFew = KpcRun.of("--budget=1", testPlugin("two_calls.kpc"));
        assertEquals(1, tooFew.status(), tooFew::toString);
        assertTrue(tooFew.err().contains("budget of 1 step (kpc.Budget) used up in main()"), tooFew::toString);
        assertTrue(tooFew.err().endsWith(KpcMain.BUDGET_HINT + System.lineSeparator()), tooFew::toString);
    }

    /** A fault other than the budget's gets no hint about --budget. */
    @Test
    void otherFaultNamesNoBudget() {
        KpcRun run = runImage(testPlugin("null_write.kpc"), ASTRONAUT, "out.png");

        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().contains("fault:"), run::toString);
        assertFalse(run.err().contains("--budget"), run::toString);
    }

    /** The hint follows the fault's kind, not the words of its report. */
    @Test
    void faultReportWithBudgetWordsNamesNoBudget() throws IOException {
        KpcRun run = KpcRun.of(testPlugin("fault_named_like_budget.kpc"));

        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith("budget of 5 steps (kpc.Budget) used up:13:"), run::toString);
        assertTrue(run.err().contains("page fault"), run::toString);
        assertFalse(run.err().contains("--budget"), run::toString);
    }

    @Test
    void nonZeroReturnWritesNothing() {
        KpcRun run = runImage(testPlugin("returns_three.kpc"), ASTRONAUT, "out.png");
        assertRejected(run, "kpc: plugin transcode returned 3; no output written");
    }

    @Test
    void failureKeepsExistingOutput() throws IOException {
        Path output = folder.resolve("out.png");
        Files.writeString(output, "previous output");

        KpcRun run = runImage(testPlugin("returns_three.kpc"), ASTRONAUT, "out.png");

        assertEquals(1, run.status(), run::toString);
        assertEquals("previous output", Files.readString(output, StandardCharsets.UTF_8));
        assertEquals(List.of(output), filesIn(folder));
    }

    @Test
    void missingFunction() {
        String plugin = testPlugin("no_transcode.kpc");
        KpcRun run = runImage(plugin, ASTRONAUT, "out.png");
        assertRejected(run, "kpc: plugin '" + plugin + "' exports no function 'transcode'; name the function to call with --function NAME");
    }

    @Test
    void missingMain() {
        String plugin = testPlugin("no_transcode.kpc");
        KpcRun run = KpcRun.of(plugin);
        assertRejected(run, "kpc: plugin '" + plugin + "' exports no function 'main'; define int main(void), or call another"
                        + " function with kpc image --function NAME");
    }

    private KpcRun runImage(String plugin, String input, String outputName) {
        return KpcRun.of("image", "--plugin", plugin, "--in", input, "--out", folder.resolve(outputName).toString());
    }

    /** Checks exit status 1, exactly {@code line} on stderr, nothing on stdout, and no files left. */
    private void assertRejected(KpcRun run, String line) {
        assertEquals(1, run.status(), run::toString);
        assertEquals(line + System.lineSeparator(), run.err(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertNoFilesLeft();
    }

    private void assertRejectedStartingWith(KpcRun run, String prefix) {
        assertEquals(1, run.status(), run::toString);
        assertTrue(run.err().startsWith(prefix), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertNoFilesLeft();
    }

    private static void assertNoStackTrace(KpcRun run) {
        assertFalse(run.err().contains("\tat "), run::toString);
        assertFalse(run.err().contains("Exception"), run::toString);
    }

    /** Checks that the folder holds only the inputs the test created: no output, no temporary file. */
    private void assertNoFilesLeft() {
        List<Path> left = filesIn(folder).stream()
                        .filter(file -> file.getFileName().toString().startsWith("out") || file.getFileName().toString().endsWith(".tmp"))
                        .toList();
        assertEquals(List.of(), left, "files left behind");
    }

    private static List<Path> filesIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
