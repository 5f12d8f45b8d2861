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
        InvalidInputException tier = assertThrows(InvalidInputException.class,
                        () -> new Arguments().parse(List.of("--tier=jit", "--dump-x86", "p.kpc"), new HashMap<>()));
        assertEquals("--dump-x86 prints the code of the native tier, so --tier=jit does not apply; drop it or give"
                        + " --tier=native", tier.getMessage());

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
    void budgetRejectsSignsAndOverflow() {
        for (String value : List.of("-5", "+5", "0", "1e10", "99999999999999999999", "")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                            () -> new Arguments().parse(List.of("--budget=" + value, "p.kpc"), new HashMap<>()), value);
            assertEquals("invalid value '" + value + "' for --budget: expected a positive integer", e.getMessage());
        }
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
