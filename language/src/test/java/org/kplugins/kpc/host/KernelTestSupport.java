// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Engine;

/** A kernel on an engine of one execution tier, with printk output captured. */
final class KernelTestSupport implements AutoCloseable {

    /** The engines the kernel tests run on. */
    enum Tier {
        /** The AST interpreter only. */
        INTERPRETER,
        /** Every call target compiled before its first run. */
        COMPILED
    }

    final Engine engine;
    final Kernel kernel;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    KernelTestSupport(Tier tier) {
        Engine.Builder builder = Engine.newBuilder("kpc").out(out).allowExperimentalOptions(true)
                        .option("engine.WarnInterpreterOnly", "false");
        if (tier == Tier.INTERPRETER) {
            builder.option("engine.Compilation", "false");
        } else {
            builder.option("engine.CompileImmediately", "true")
                            .option("engine.BackgroundCompilation", "false")
                            .option("engine.CompilationFailureAction", "Throw");
        }
        this.engine = builder.build();
        this.kernel = Kernel.builder("test").engine(engine).out(out).build();
    }

    String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        kernel.close();
        engine.close();
    }
}
