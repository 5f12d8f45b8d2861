// SPDX-License-Identifier: Apache-2.0
package org.kplugins.monitor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.runtime.OptimizedCallTarget;
import com.oracle.truffle.runtime.OptimizedTruffleRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A sample of the differential forms with the instructions under test compiled by Graal. Each
 * form's body is a subroutine, so the emulator translates it into a region of its own, and
 * the test compiles that region (Truffle's first tier) before it runs the inputs. Partial
 * evaluation folds the lazy flags, the operand sizes and the memory operands' cached page
 * ranges into the compiled code, so this checks paths the interpreter does not take.
 *
 * <p>Needs the optimizing Truffle runtime, which the module's test JVM gets through the
 * {@code jit.argLine} options of the parent POM. It compiles through
 * {@link OptimizedCallTarget#compile}, a public method of the Truffle runtime that is not part
 * of the Truffle API, because the regions run outside a polyglot context, where the
 * compilation thresholds did not trigger compilation.
 */
class CompiledSemanticsTest {

    private static final long SEED = 0xC0_4411EDL;
    /** Condition forms in the sample. */
    private static final int CONDITION_FORMS = 20;
    /** Runs in the interpreter before the compilation, so that nodes specialize as they would in a hot region. */
    private static final int WARM_UP_RUNS = 3;

    @Test
    void compiledBodiesMatchHost() {
        assertTrue(Truffle.getRuntime() instanceof OptimizedTruffleRuntime,
                        "the test JVM runs Truffle's " + Truffle.getRuntime().getName() + " runtime, which does not compile; "
                                        + "surefire must start it with the jit.argLine options of the parent POM");
        List<Differential.Form> forms = new ArrayList<>();
        Random random = new Random(SEED);
        forms.addAll(onePerMnemonic(IntegerSemanticsTest.forms(), random));
        // Condition forms start with the instruction that sets the flags, so their first mnemonic tells little about them.
        forms.addAll(some(ConditionSemanticsTest.forms(), CONDITION_FORMS, random));
        forms.addAll(onePerMnemonic(SseSemanticsTest.forms(), random));
        // Graal 25.0.1 miscompiled the emulator's 32-bit rotate by a variable count, which the interpreter got right.
        Forms regressions = new Forms("compiled", SEED);
        regressions.add(List.of("ror r9d, cl"), Forms.NO_CONSTRAINT, input -> IntegerSemanticsTest.shiftFlags("ror", 4, input.gpr[1]));
        regressions.add(List.of("rol eax, cl"), Forms.NO_CONSTRAINT, input -> IntegerSemanticsTest.shiftFlags("rol", 4, input.gpr[1]));
        forms.addAll(regressions.list());
        Differential.Session session = new Differential.Session(forms, true);

        List<OptimizedCallTarget> regions = new ArrayList<>();
        for (Differential.Form form : forms) {
            session.check(form, new InputSource(SEED ^ form.label().hashCode()), WARM_UP_RUNS);
            OptimizedCallTarget region = (OptimizedCallTarget) session.bodyRegion(form);
            region.compile(false);
            regions.add(region);
        }
        for (int i = 0; i < forms.size(); i++) {
            regions.get(i).waitForCompilation();
            assertTrue(regions.get(i).isValid(), "Graal did not compile the region of " + forms.get(i).text());
        }

        for (int i = 0; i < forms.size(); i++) {
            Differential.Form form = forms.get(i);
            session.check(form, new InputSource(~SEED ^ form.label().hashCode()), IntegerSemanticsTest.RUNS);
            assertTrue(regions.get(i).isValid(), "the compiled region of " + form.text() + " was invalidated while it ran");
        }
        assertEquals(forms.size() * (WARM_UP_RUNS + IntegerSemanticsTest.RUNS), session.emulatedRuns());
    }

    /** Returns one form, picked at random, of each mnemonic that starts a form's body. */
    private static List<Differential.Form> onePerMnemonic(List<Differential.Form> forms, Random random) {
        Map<String, List<Differential.Form>> groups = new LinkedHashMap<>();
        for (Differential.Form form : forms) {
            String first = form.body().isEmpty() ? "" : form.body().getFirst();
            String mnemonic = first.contains(" ") ? first.substring(0, first.indexOf(' ')) : first;
            groups.computeIfAbsent(mnemonic, key -> new ArrayList<>()).add(form);
        }
        List<Differential.Form> sample = new ArrayList<>();
        for (List<Differential.Form> group : groups.values()) {
            sample.add(group.get(random.nextInt(group.size())));
        }
        return sample;
    }

    /** Returns {@code count} forms picked at random. */
    private static List<Differential.Form> some(List<Differential.Form> forms, int count, Random random) {
        List<Differential.Form> shuffled = new ArrayList<>(forms);
        Collections.shuffle(shuffled, random);
        return shuffled.subList(0, count);
    }
}
