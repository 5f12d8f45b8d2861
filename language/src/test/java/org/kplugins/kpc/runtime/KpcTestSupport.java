// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/** Contexts for the runtime tests, one per execution tier, with printk output captured. */
final class KpcTestSupport {

    /** The execution tiers every runtime test runs in. */
    enum Tier {
        /** The AST interpreter only. */
        INTERPRETER,
        /** Every call target compiled before its first run; a failed compilation fails the test. */
        COMPILED
    }

    private KpcTestSupport() {
    }

    /** A context and the bytes its plugins printed. */
    record Run(Context context, ByteArrayOutputStream out) implements AutoCloseable {

        Value eval(String name, String code) {
            return context.eval(Source.newBuilder("kpc", code, name).buildLiteral());
        }

        String output() {
            return out.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            context.close();
        }
    }

    static Run open(Tier tier) {
        return open(tier, Map.of());
    }

    static Run open(Tier tier, Map<String, String> options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Context.Builder builder = Context.newBuilder("kpc")
                        .allowIO(IOAccess.ALL)
                        .allowHostAccess(HostAccess.ALL)
                        .allowExperimentalOptions(true)
                        .out(out)
                        .option("engine.WarnInterpreterOnly", "false")
                        .options(options);
        if (tier == Tier.INTERPRETER) {
            builder.option("engine.Compilation", "false");
        } else {
            builder.option("engine.CompileImmediately", "true")
                            .option("engine.BackgroundCompilation", "false")
                            .option("engine.CompilationFailureAction", "Throw");
        }
        return new Run(builder.build(), out);
    }
}
