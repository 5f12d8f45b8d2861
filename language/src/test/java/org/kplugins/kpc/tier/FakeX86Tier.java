// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.tier;

import java.util.concurrent.atomic.AtomicInteger;
import org.kplugins.kpc.KpcLanguage;
import org.kplugins.kpc.ast.Function;
import org.kplugins.kpc.ast.TranslationUnit;
import org.kplugins.kpc.diagnostics.CompileException;
import org.kplugins.kpc.diagnostics.Diagnostic;
import org.kplugins.kpc.diagnostics.DiagnosticSink;
import org.kplugins.kpc.link.PluginImports;
import org.kplugins.kpc.runtime.NativeTier;
import org.kplugins.kpc.runtime.PluginProgram;
import org.kplugins.monitor.memory.AddressSpace;

/**
 * An x86 tier for the language module's tests, which have no x86-backend on the class path. It is
 * unavailable unless a test sets {@link #behavior}, and its compile always fails, as the real tier
 * fails on a construct it cannot compile yet or on an internal error. Tests that set it reset it.
 */
public final class FakeX86Tier implements NativeTier {

    /** What {@link #compile} does. */
    enum Behavior {
        /** The tier is unavailable for every mode, as on a host that cannot run it. */
        UNAVAILABLE,
        /** Compiling throws a CompileException with an UNSUPPORTED diagnostic at the first function. */
        UNSUPPORTED,
        /** Compiling throws an IllegalStateException, as a bug in the tier would. */
        CRASH
    }

    static volatile Behavior behavior = Behavior.UNAVAILABLE;
    static final AtomicInteger COMPILES = new AtomicInteger();

    @Override
    public String unavailableReason(Mode mode) {
        return behavior == Behavior.UNAVAILABLE ? "the test tier is switched off" : null;
    }

    @Override
    public PluginProgram.MemoryFactory memoryFactory(Mode mode) {
        return AddressSpace::new;
    }

    @Override
    public PluginProgram compile(KpcLanguage language, String name, TranslationUnit unit, PluginImports imports,
                    int stackSize, boolean budgetEnabled, Mode mode) throws CompileException {
        COMPILES.incrementAndGet();
        if (behavior == Behavior.CRASH) {
            throw new IllegalStateException("the test tier crashed");
        }
        DiagnosticSink sink = new DiagnosticSink();
        Function first = unit.functions().stream().filter(Function::isDefined).findFirst().orElseThrow();
        sink.report(Diagnostic.Kind.UNSUPPORTED, first.location(), "the test tier compiles nothing");
        sink.throwIfErrors();
        throw new IllegalStateException("an UNSUPPORTED diagnostic did not throw");
    }
}
