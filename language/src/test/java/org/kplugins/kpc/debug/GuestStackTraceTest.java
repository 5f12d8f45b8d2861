// SPDX-License-Identifier: Apache-2.0
package org.kplugins.kpc.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/** A plugin fault carries the guest frames: each plugin function by name, at the line it was executing. */
class GuestStackTraceTest {

    @Test
    void faultNamesEachFunctionAndLine() {
        String code = """
                static int load(int *p) {
                    return *p;
                }

                static int middle(int *p) {
                    return load(p) + 1;
                }

                int outer(void) {
                    return middle(0);
                }
                """;
        try (Context context = Context.newBuilder("kpc").allowExperimentalOptions(true)
                        .option("engine.WarnInterpreterOnly", "false").build()) {
            Value plugin = context.eval(Source.newBuilder("kpc", code, "trace.kpc").buildLiteral());
            PolyglotException e = assertThrows(PolyglotException.class, () -> plugin.invokeMember("outer"));

            List<String> frames = new ArrayList<>();
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                if (frame.isGuestFrame()) {
                    frames.add(frame.getRootName() + ":" + frame.getSourceLocation().getSource().getName() + ":"
                                    + frame.getSourceLocation().getStartLine());
                }
            }
            assertEquals(List.of("load:trace.kpc:2", "middle:trace.kpc:6", "outer:trace.kpc:10"), frames);
            assertEquals(2, e.getSourceLocation().getStartLine(), "the exception's location is the faulting load");
        }
    }
}
