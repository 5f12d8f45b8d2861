// SPDX-License-Identifier: Apache-2.0
package org.kplugins.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One in-process run of the kpc command, with its exit status and captured output. */
record KpcRun(int status, String out, String err) {

    /** The folder of the example plugins and images; Maven runs tests in the launcher folder. */
    static final Path EXAMPLES = Path.of("..", "examples");

    /** Runs kpc with {@code args}, capturing stdout and stderr. */
    static KpcRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = new KpcMain(outStream, errStream).run(args);
        }
        return new KpcRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Returns the path of a test plugin under src/test/resources/plugins. */
    static String testPlugin(String name) {
        return Path.of("src", "test", "resources", "plugins", name).toString();
    }

    /** Returns the path of a file in the examples folder. */
    static String example(String name) {
        return EXAMPLES.resolve(name).toString();
    }

    @Override
    public String toString() {
        return "exit status " + status + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
}
