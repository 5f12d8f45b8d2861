// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kplugins.kpc.runtime.KpcTestSupport.Run;
import org.kplugins.kpc.runtime.KpcTestSupport.Tier;

/** Compile and link errors as syntax errors, and the validation of the kpc options. */
class CompileErrorTest {

    private static PolyglotException evalError(Run run, String name, String source) {
        PolyglotException e = assertThrows(PolyglotException.class, () -> run.eval(name, source));
        assertTrue(e.isSyntaxError(), "compile errors are syntax errors: " + e.getMessage());
        return e;
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void undefinedFunctionNamesTheSymbol(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            PolyglotException e = evalError(run, "t.kpc", """
                    int fopen(const char *name);
                    int main(void) { return fopen("x"); }
                    """);
            assertEquals("""
                    t.kpc:1:5: error: undefined symbol 'fopen': the host exports no such function
                        int fopen(const char *name);
                            ^
                    1 error generated.""", e.getMessage());
            assertEquals(1, e.getSourceLocation().getStartLine());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void mismatchedPrototypeAndExternData(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            PolyglotException e = evalError(run, "proto.kpc", """
                    int printk(int level);
                    extern int jiffies;
                    int main(void) { return printk(jiffies); }
                    """);
            assertEquals("""
                    proto.kpc:1:5: error: 'printk' is declared as 'int printk(int)' but the host exports 'int printk(const char *, ...)'
                        int printk(int level);
                            ^
                    proto.kpc:2:12: error: undefined symbol 'jiffies': the host exports no such data symbol
                        extern int jiffies;
                                   ^
                    2 errors generated.""", e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void syntaxErrorCarriesRenderedDiagnostics(Tier tier) {
        try (Run run = KpcTestSupport.open(tier)) {
            PolyglotException e = evalError(run, "bad.kpc", "int main(void) { return 1 +; }\n");
            assertTrue(e.getMessage().startsWith("bad.kpc:1:"), e.getMessage());
            assertTrue(e.getMessage().endsWith("1 error generated."), e.getMessage());
        }
    }

    @Test
    void invalidOptionValuesAreRejected() {
        IllegalArgumentException stack = assertThrows(IllegalArgumentException.class,
                        () -> KpcTestSupport.open(Tier.INTERPRETER, Map.of("kpc.StackSize", "1000")).close());
        assertTrue(stack.getMessage().contains("invalid kpc.StackSize 1000: expected a multiple of 4096 bytes from 4096 to"),
                        stack.getMessage());
        IllegalArgumentException budget = assertThrows(IllegalArgumentException.class,
                        () -> KpcTestSupport.open(Tier.INTERPRETER, Map.of("kpc.Budget", "-1")).close());
        assertTrue(budget.getMessage().contains("invalid kpc.Budget -1"), budget.getMessage());
    }

    @Test
    void memoryLimitTooSmallForLayout() {
        try (Run run = KpcTestSupport.open(Tier.INTERPRETER, Map.of("kpc.MemoryLimit", "65536"))) {
            PolyglotException e = assertThrows(PolyglotException.class, () -> run.eval("big.kpc", "int x;\n"));
            assertTrue(e.getMessage().contains("needs a memory limit of at least"), e.getMessage());
        }
    }
}
