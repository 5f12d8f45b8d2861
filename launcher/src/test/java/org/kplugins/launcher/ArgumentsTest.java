// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    private final Arguments arguments = new Arguments();
    private final Map<String, String> polyglotOptions = new HashMap<>();

    @Test
    void lastBudgetOptionWins() {
        arguments.parse(List.of("--kpc.Budget=0", "--budget=5", "p.kpc"), polyglotOptions);
        assertEquals("5", polyglotOptions.get("kpc.Budget"));

        Map<String, String> reversed = new HashMap<>();
        new Arguments().parse(List.of("--budget=5", "--kpc.Budget=0", "p.kpc"), reversed);
        assertEquals("0", reversed.get("kpc.Budget"), "--kpc.Budget=0 removes the limit");
    }

    @Test
    void runCommandKeepsArgumentsAfterFile() {
        List<String> unrecognized = arguments.parse(List.of("--stats", "--engine.TraceCompilation", "p.kpc", "--budget=5", "x"), polyglotOptions);

        assertEquals(Arguments.Command.RUN, arguments.command);
        assertEquals(Path.of("p.kpc"), arguments.plugin);
        assertEquals(List.of("--budget=5", "x"), arguments.programArguments);
        assertEquals(List.of("--engine.TraceCompilation"), unrecognized);
        assertEquals(Long.toString(Arguments.DEFAULT_BUDGET), polyglotOptions.get("kpc.Budget"));
    }

    @Test
    void imageCommandTakesSeparateAndInlineValues() {
        arguments.parse(List.of("image", "--plugin", "g.kpc", "--in=a.png", "--out", "b.jpg", "--function", "blur", "--repeat=7",
                        "--budget", "99", "--tier", "interp"), polyglotOptions);
        arguments.validate();

        assertEquals(Arguments.Command.IMAGE, arguments.command);
        assertEquals(Path.of("g.kpc"), arguments.plugin);
        assertEquals(Path.of("a.png"), arguments.inputImage);
        assertEquals(Path.of("b.jpg"), arguments.outputImage);
        assertEquals("blur", arguments.function);
        assertEquals(7, arguments.repeat);
        assertEquals("99", polyglotOptions.get("kpc.Budget"));
        assertEquals("false", polyglotOptions.get("engine.Compilation"));
    }

    @Test
    void jitTierSetsNoEngineOption() {
        arguments.parse(List.of("--tier=jit", "p.kpc"), polyglotOptions);
        assertEquals(Tier.JIT, arguments.tier);
        assertEquals(null, polyglotOptions.get("engine.Compilation"));
    }

    @Test
    void nativeTierSetsKpcTier() {
        arguments.parse(List.of("--tier=native", "p.kpc"), polyglotOptions);
        assertEquals(Tier.NATIVE, arguments.tier);
        assertEquals("native", polyglotOptions.get("kpc.Tier"));
        assertEquals(null, polyglotOptions.get("engine.Compilation"));
    }

    @Test
    void emulatedAndAutoTiersSetKpcTier() {
        for (Tier tier : List.of(Tier.EMULATED, Tier.AUTO)) {
            Map<String, String> options = new HashMap<>();
            Arguments parsed = new Arguments();
            parsed.parse(List.of("--tier=" + tier.optionValue(), "p.kpc"), options);
            assertEquals(tier, parsed.tier);
            assertEquals(tier.optionValue(), options.get("kpc.Tier"));
            assertEquals(null, options.get("engine.Compilation"), "the Truffle part of " + tier + " compiles with Graal");
        }
    }

    @Test
    void tierRejectsUnknownValue() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> arguments.parse(List.of("--tier=fast", "p.kpc"), polyglotOptions));
        assertEquals("invalid value 'fast' for --tier: expected interp, jit, native, emulated or auto", e.getMessage());
    }

    @Test
    void emulatedCodeSetsOptionWithEmulatedTier() {
        arguments.parse(List.of("--emulated-code=checked", "--tier=emulated", "p.kpc"), polyglotOptions);
        assertEquals("checked", polyglotOptions.get("kpc.EmulatedCode"));

        InvalidInputException otherTier = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--tier=native", "--emulated-code", "hardware", "p.kpc"),
                                        new HashMap<>()));
        assertEquals("option --emulated-code applies to --tier=emulated only, and the tier is native; give --tier=emulated or"
                        + " drop --emulated-code", otherTier.getMessage());
        InvalidInputException badValue = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--tier=emulated", "--emulated-code=soft", "p.kpc"), new HashMap<>()));
        assertEquals("invalid value 'soft' for --emulated-code: expected hardware or checked", badValue.getMessage());
    }

    @Test
    void autoThresholdSetsOptionWithAutoTier() {
        arguments.parse(List.of("--tier=auto", "--auto-threshold", "250", "p.kpc"), polyglotOptions);
        assertEquals("250", polyglotOptions.get("kpc.AutoThreshold"));

        InvalidInputException otherTier = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--auto-threshold=5", "p.kpc"), new HashMap<>()));
        assertEquals("option --auto-threshold applies to --tier=auto only, and the tier is jit; give --tier=auto or drop"
                        + " --auto-threshold", otherTier.getMessage());
        InvalidInputException zero = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--tier=auto", "--auto-threshold=0", "p.kpc"), new HashMap<>()));
        assertEquals("invalid value '0' for --auto-threshold: expected a positive integer", zero.getMessage());
    }

    @Test
    void dumpX86TakesEmulatedTier() {
        arguments.parse(List.of("--dump-x86", "p.kpc", "--tier=emulated", "--emulated-code=checked"), polyglotOptions);
        assertEquals(Tier.EMULATED, arguments.tier);
        assertEquals("emulated", polyglotOptions.get("kpc.Tier"));
        assertEquals("checked", polyglotOptions.get("kpc.EmulatedCode"));
        assertEquals("*", polyglotOptions.get("kpc.DumpX86"));
    }

    @Test
    void dumpX86TakesFileAndFunction() {
        arguments.parse(List.of("--dump-x86", "p.kpc", "--function", "luma"), polyglotOptions);
        arguments.validate();

        assertEquals(Arguments.Command.DUMP_X86, arguments.command);
        assertEquals(Path.of("p.kpc"), arguments.plugin);
        assertEquals(Tier.NATIVE, arguments.tier);
        assertEquals("native", polyglotOptions.get("kpc.Tier"));
        assertEquals("luma", polyglotOptions.get("kpc.DumpX86"));
    }

    @Test
    void dumpX86WithoutFunctionDumpsAll() {
        arguments.parse(List.of("--dump-x86=p.kpc"), polyglotOptions);
        assertEquals("*", polyglotOptions.get("kpc.DumpX86"));
    }

    @Test
    void dumpX86RejectsOtherTierAndExtraFile() {
        for (String tier : List.of("jit", "auto")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                            () -> new Arguments().parse(List.of("--tier=" + tier, "--dump-x86", "p.kpc"), new HashMap<>()));
            assertEquals("--dump-x86 prints the machine code of the native or emulated tier, so --tier=" + tier + " does not"
                            + " apply; drop it or give --tier=native or --tier=emulated", e.getMessage());
        }

        InvalidInputException extra = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--dump-x86", "p.kpc", "q.kpc"), new HashMap<>()));
        assertEquals("unexpected argument 'q.kpc' for --dump-x86, which takes one plugin file; usage: kpc --dump-x86"
                        + " FILE.kpc [--function NAME]", extra.getMessage());
    }

    @Test
    void imageAfterFileIsProgramArgument() {
        arguments.parse(List.of("p.kpc", "image"), polyglotOptions);
        assertEquals(Arguments.Command.RUN, arguments.command);
        assertEquals(List.of("image"), arguments.programArguments);
    }

    @Test
    void budgetRejectsSigns() {
        for (String value : List.of("-5", "+5", "1e10", "")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                            () -> new Arguments().parse(List.of("--budget=" + value, "p.kpc"), new HashMap<>()), value);
            assertEquals("invalid value '" + value + "' for --budget: expected a positive integer", e.getMessage());
        }
    }

    @Test
    void budgetZeroNamesKpcBudget() {
        for (String value : List.of("0", "000")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                            () -> new Arguments().parse(List.of("--budget=" + value, "p.kpc"), new HashMap<>()), value);
            assertEquals("invalid value '" + value + "' for --budget: expected a positive integer; --kpc.Budget=0 removes"
                            + " the limit", e.getMessage());
        }
    }

    /** A number above Long.MAX_VALUE gets the maximum in its message, and Long.MAX_VALUE itself is accepted. */
    @Test
    void numbersAboveMaximumNameIt() {
        String tooLarge = "99999999999999999999";
        for (List<String> args : List.of(List.of("--budget=" + tooLarge), List.of("--tier=auto", "--auto-threshold=" + tooLarge),
                        List.of("image", "--repeat=" + tooLarge))) {
            String option = args.getLast().substring(0, args.getLast().indexOf('='));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                            () -> new Arguments().parse(args, new HashMap<>()), option);
            assertEquals("invalid value '" + tooLarge + "' for " + option + ": expected a positive integer of at most"
                            + " 9223372036854775807", e.getMessage());
        }
        InvalidInputException languageBudget = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--kpc.Budget=" + tooLarge, "p.kpc"), new HashMap<>()));
        assertEquals("invalid value '" + tooLarge + "' for --kpc.Budget: expected 0 (no limit) or a positive integer of at"
                        + " most 9223372036854775807", languageBudget.getMessage());

        arguments.parse(List.of("--tier=auto", "--auto-threshold=9223372036854775807", "p.kpc"), polyglotOptions);
        assertEquals("9223372036854775807", polyglotOptions.get("kpc.AutoThreshold"));
    }

    @Test
    void languageBudgetRejectsNegative() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--kpc.Budget=-3", "p.kpc"), new HashMap<>()));
        assertEquals("invalid value '-3' for --kpc.Budget: expected 0 (no limit) or a positive integer", e.getMessage());
    }

    /**
     * --kpc.Tier selects the tier as --tier does. The argument goes on to launcher-common, which
     * puts it into the polyglot options and checks --experimental-options.
     */
    @Test
    void languageTierSelectsTier() {
        List<String> unrecognized = arguments.parse(List.of("--experimental-options", "--kpc.Tier=emulated",
                        "--kpc.EmulatedCode=checked", "p.kpc"), polyglotOptions);
        assertEquals(List.of("--experimental-options", "--kpc.Tier=emulated", "--kpc.EmulatedCode=checked"), unrecognized);
        assertEquals(Tier.EMULATED, arguments.tier);
        assertEquals("checked", arguments.emulatedCodeInEffect());
        assertEquals(null, polyglotOptions.get("kpc.Tier"), "launcher-common sets it from the argument");

        Arguments truffle = new Arguments();
        truffle.parse(List.of("--kpc.Tier=truffle", "p.kpc"), new HashMap<>());
        assertEquals(Tier.JIT, truffle.tier);
        assertEquals("hardware", truffle.emulatedCodeInEffect());

        InvalidInputException bad = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--kpc.Tier=fast", "p.kpc"), new HashMap<>()));
        assertEquals("invalid value 'fast' for --kpc.Tier: expected truffle, native, emulated or auto", bad.getMessage());
    }

    @Test
    void bothSpellingsOfSettingAreRejected() {
        InvalidInputException tier = assertThrows(InvalidInputException.class, () -> new Arguments().parse(
                        List.of("image", "--tier=emulated", "--kpc.Tier=native"), new HashMap<>()));
        assertEquals("options --tier=emulated and --kpc.Tier=native both set the execution tier; give only one of them",
                        tier.getMessage());

        InvalidInputException sameTier = assertThrows(InvalidInputException.class, () -> new Arguments().parse(
                        List.of("--kpc.Tier=native", "--tier=native", "p.kpc"), new HashMap<>()));
        assertEquals("options --tier=native and --kpc.Tier=native both set the execution tier; give only one of them",
                        sameTier.getMessage());

        InvalidInputException code = assertThrows(InvalidInputException.class, () -> new Arguments().parse(
                        List.of("--tier=emulated", "--emulated-code=checked", "--kpc.EmulatedCode=hardware", "p.kpc"),
                        new HashMap<>()));
        assertEquals("options --emulated-code=checked and --kpc.EmulatedCode=hardware both set the checks of the emulated"
                        + " tier; give only one of them", code.getMessage());

        InvalidInputException threshold = assertThrows(InvalidInputException.class, () -> new Arguments().parse(
                        List.of("--tier=auto", "--kpc.AutoThreshold=5", "--auto-threshold=7", "p.kpc"), new HashMap<>()));
        assertEquals("options --auto-threshold=7 and --kpc.AutoThreshold=5 both set the threshold of the auto tier; give only"
                        + " one of them", threshold.getMessage());
    }

    /** --kpc.EmulatedCode and --kpc.AutoThreshold need their tier, as --emulated-code and --auto-threshold do. */
    @Test
    void languageTierOptionsNeedTheirTier() {
        InvalidInputException code = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--kpc.EmulatedCode=checked", "p.kpc"), new HashMap<>()));
        assertEquals("option --kpc.EmulatedCode=checked applies to --tier=emulated only, and the tier is jit; give"
                        + " --tier=emulated --emulated-code=checked or drop --kpc.EmulatedCode", code.getMessage());

        InvalidInputException threshold = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--kpc.Tier=native", "--kpc.AutoThreshold=5", "p.kpc"), new HashMap<>()));
        assertEquals("option --kpc.AutoThreshold=5 applies to --kpc.Tier=auto only, and --kpc.Tier=native was given; give"
                        + " --kpc.Tier=auto or drop --kpc.AutoThreshold", threshold.getMessage());

        Arguments auto = new Arguments();
        auto.parse(List.of("--kpc.Tier=auto", "--kpc.AutoThreshold=5", "p.kpc"), polyglotOptions);
        assertEquals(Tier.AUTO, auto.tier);
    }

    @Test
    void dumpX86TakesLanguageTier() {
        arguments.parse(List.of("--dump-x86", "p.kpc", "--kpc.Tier=emulated"), polyglotOptions);
        assertEquals(Tier.EMULATED, arguments.tier);

        InvalidInputException truffle = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--kpc.Tier=truffle", "--dump-x86", "p.kpc"), new HashMap<>()));
        assertEquals("--dump-x86 prints the machine code of the native or emulated tier, so --kpc.Tier=truffle does not"
                        + " apply; drop it or give --tier=native or --tier=emulated", truffle.getMessage());
    }

    @Test
    void functionMustBeIdentifier() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> arguments.parse(List.of("image", "--function", "do it"), polyglotOptions));
        assertEquals("invalid value 'do it' for --function: expected a C identifier", e.getMessage());
    }

    @Test
    void missingValueAtEnd() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> arguments.parse(List.of("image", "--out"), polyglotOptions));
        assertEquals("missing value for --out", e.getMessage());
    }

    @Test
    void strayArgumentForImage() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                        () -> arguments.parse(List.of("image", "photo.png"), polyglotOptions));
        assertEquals("unexpected argument 'photo.png' for 'kpc image'; give the files with --plugin, --in and --out", e.getMessage());
    }
}
