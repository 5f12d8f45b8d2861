// SPDX-License-Identifier: Apache-2.0
package org.kplugins.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Contexts and sources of the two Truffle peers, GraalWasm and Sulong, both at GraalVM 25.0.1 and
 * compiled by the same Graal compiler as the KPC jit tier.
 *
 * <p>GraalWasm is a sandbox like KPC: a module reaches only its linear memory. Sulong here runs
 * LLVM bitcode in its native mode, with unchecked access to the whole process, so it is a speed
 * reference and not a sandbox.
 */
final class Peers {

    static final String WASM = "wasm";
    static final String LLVM = "llvm";

    private Peers() {
    }

    /** Returns a GraalWasm source of the binary module in artifact {@code artifact}, named {@code name}. */
    static Source wasmSource(String artifact, String name) {
        return Source.newBuilder(WASM, ByteSequence.create(Artifacts.bytes(artifact)), name).buildLiteral();
    }

    /** Parses and instantiates a wasm module in {@code context} and returns its exports. */
    static Value instantiateWasm(Context context, Source module) {
        return context.eval(module).newInstance().getMember("exports");
    }

    /** Creates a GraalWasm context with an engine of its own, checking that the Graal compiler is active. */
    static Context newWasmContext() {
        Context context = Context.newBuilder(WASM).option("engine.WarnInterpreterOnly", "false").build();
        KpcTier.requireCompiler(context.getEngine());
        return context;
    }

    /**
     * Creates a Sulong context in native mode with an engine of its own, checking that the Graal
     * compiler is active. Native access lets the bitcode run on the host's memory.
     */
    static Context newSulongContext() {
        Context context = Context.newBuilder(LLVM).option("engine.WarnInterpreterOnly", "false")
                        .allowNativeAccess(true).allowIO(IOAccess.ALL).build();
        KpcTier.requireCompiler(context.getEngine());
        return context;
    }

    /** Loads the bitcode in artifact {@code artifact} into {@code context} and returns the library's symbols. */
    static Value loadBitcode(Context context, String artifact) {
        try {
            return context.eval(Source.newBuilder(LLVM, Artifacts.path(artifact).toFile()).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bitcode " + artifact, e);
        }
    }
}
